// Randomised training and evaluation views for the learned side-camera depth: one camera at a
// side camera's mount (about 0.5 m up, level) in a procedural room with boxes of every size,
// procedural tile textures, photo-textured faces and a random global lighting. Every view is a
// pure function of (split, index), so the data set is reproducible from its seed alone.
//
// The splits share nothing a network could memorise: their scene seeds (which fix the tile
// texture, the colours and the layout) come from disjoint ranges, and each split textures its
// photo faces from its own images (TRAIN_PHOTOS / HELD_OUT_PHOTOS).
import { mat4 } from 'gl-matrix';
import { existsSync, readFileSync } from 'node:fs';
import { decodeImage } from '../src/io/image_codec';
import { dataDirectory } from '../src/sim/data_directory';
import { loadScenePhotos } from '../src/sim/photo_texture';
import { hashUnit } from '../src/sim/random';
import { CameraRenderer } from '../src/sim/renderer';
import { linkInBase, opticalInLink } from '../src/sim/rig';
import { parseScene, type CameraSpec, type Scene } from '../src/sim/scene_schema';
import { buildTextureTile } from '../src/sim/texture';
import { SceneWorld } from '../src/sim/world';
import type { Raster } from '../src/io/raster';

export type Split = 'train' | 'eval';

/** Photos under the data directory's data/images; the held-out ones are never seen in training. */
export const TRAIN_PHOTOS = ['000000000139.jpg', '000000000285.jpg', '000000000632.jpg', '000000000724.jpg', '000000000776.jpg', '000000000785.jpg', '000000000802.jpg', 'person.jpg', 'dog.jpg'];
export const HELD_OUT_PHOTOS = ['000000000872.jpg', '000000000885.jpg', '000000001000.jpg', 'street.png'];

/** Scene seeds: training from 1, evaluation from SPLIT_SEED_BASE (no overlap below 10^6 views). */
const SPLIT_SEED_BASE: Record<Split, number> = { train: 1, eval: 1_000_000 };
/** Views that share one texture tile (building a tile costs as much as rendering a view). */
const VIEWS_PER_TILE = 4;

/** The side cameras' intrinsics (src/sim/rig.ts defaultRig), so the views look like theirs. */
export const VIEW_CAMERA: CameraSpec = { name: 'side', width: 640, height: 480, fx: 460, fy: 460, cx: 319.5, cy: 239.5, position: [0, 0, 0.5], rpy_deg: [0, 0, 0] };

export interface DepthView {
  /** rgb8 image at VIEW_CAMERA's size, lighting applied. */
  image: Raster<Uint8Array>;
  /** Depth along the optical axis (m) per pixel. */
  depth: Float32Array;
  /** Maps optical-frame points to base_link (ground z = 0). */
  baseFromCamera: mat4;
}

/** Photo crops cut once per split (decoding a JPEG per view would dominate the time). */
export interface PhotoPool {
  specs: Array<{ image: string; crop: [number, number, number, number] }>;
  rasters: Array<Raster<Uint8Array>>;
}

/** Crops of the split's photos, or an empty pool (procedural textures only) when the data directory lacks them. */
export function photoPool(split: Split, cropsPerPhoto = 8): PhotoPool {
  const files = (split === 'train' ? TRAIN_PHOTOS : HELD_OUT_PHOTOS).map((f) => `${dataDirectory()}/data/images/${f}`).filter((f) => existsSync(f));
  const specs: PhotoPool['specs'] = [];
  files.forEach((image, f) => {
    const { width, height } = decodeImage({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' }, format: '', data: new Uint8Array(readFileSync(image)) });
    for (let c = 0; c < cropsPerPhoto; c++) {
      const r = (k: number) => hashUnit(SPLIT_SEED_BASE[split], 900 + k, f * 1000 + c);
      const w = Math.max(16, Math.floor(width * (0.25 + 0.75 * r(0))));
      const h = Math.max(16, Math.floor(height * (0.25 + 0.75 * r(1))));
      specs.push({ image, crop: [Math.floor((width - w) * r(2)), Math.floor((height - h) * r(3)), w, h] });
    }
  });
  if (specs.length === 0) return { specs, rasters: [] };
  const scene = parseScene({ name: 'photo_pool', seed: 1, duration: 1, static_objects: specs.map((photo, i) => ({ class: 'box', size: [1, 1, 1], position: [i, 0], photo })) }, 'photo pool');
  return { specs, rasters: loadScenePhotos(scene).map((r) => r!) };
}

/** The scene of view `index` of `split`: a room, boxes and the robot's pose (one random camera mount). */
export function viewScene(split: Split, index: number, pool: PhotoPool): { scene: Scene; camera: CameraSpec; photos: Array<Raster<Uint8Array> | undefined> } {
  const seed = SPLIT_SEED_BASE[split] + index;
  const r = (stream: number, k = 0) => hashUnit(seed, stream, k);
  const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
  const length = lerp(6, 30, r(1));
  const width = lerp(3.5, 16, r(2));
  const lo: [number, number] = [-lerp(0.8, length - 0.8, r(3)), -width / 2];
  const hi: [number, number] = [lo[0] + length, width / 2];
  const position: [number, number] = [0, lerp(lo[1] + 0.6, hi[1] - 0.6, r(4))];
  const yaw = 360 * r(5);
  // A side camera's mount, with the spread a real bracket and a tilting base give it.
  const camera: CameraSpec = { ...VIEW_CAMERA, position: [0, 0, lerp(0.4, 0.6, r(6))], rpy_deg: [lerp(-2, 2, r(7)), lerp(-4, 4, r(8)), 0] };
  const heading = (yaw * Math.PI) / 180;
  const colour = (stream: number): [number, number, number] => [0, 1, 2].map((c) => Math.round(lerp(40, 230, r(stream, c)))) as [number, number, number];
  const objects: unknown[] = [];
  const photos: Array<Raster<Uint8Array> | undefined> = [];
  const count = Math.floor(lerp(2, 16, r(9)));
  for (let i = 0; i < count; i++) {
    const q = (k: number) => r(100 + i, k);
    const size = objectSize(q);
    // Most objects stand in the camera's field of view at 0.8-12 m, the rest anywhere in the room.
    const inView = q(10) < 0.7;
    const bearing = heading + (inView ? lerp(-0.7, 0.7, q(11)) : 2 * Math.PI * q(11));
    const range = lerp(0.8, 12, q(12) ** 1.3);
    const x = position[0] + range * Math.cos(bearing);
    const y = position[1] + range * Math.sin(bearing);
    const reach = Math.hypot(size[0], size[1]) / 2;
    if (x - reach < lo[0] || x + reach > hi[0] || y - reach < lo[1] || y + reach > hi[1]) continue;
    if (Math.hypot(x - position[0], y - position[1]) < reach + 0.35) continue;
    const photo = pool.specs.length > 0 && q(13) < 0.35 ? Math.floor(q(14) * pool.specs.length) : -1;
    objects.push({ class: 'box', size, position: [x, y], yaw_deg: 360 * q(15), color: q(16) < 0.5 ? colour(200 + i) : undefined, photo: photo >= 0 ? pool.specs[photo] : undefined });
    photos.push(photo >= 0 ? pool.rasters[photo] : undefined);
  }
  const scene = parseScene({
    name: `${split}_${index}`,
    seed: SPLIT_SEED_BASE[split] + Math.floor(index / VIEWS_PER_TILE),
    duration: 1,
    world: { room_min: lo, room_max: hi, room_height: lerp(2.4, 4.5, r(10)), ground_color: colour(11), wall_color: colour(12), ceiling_color: colour(13) },
    static_objects: objects,
    rig: { cameras: [camera] },
    robot: { position, yaw_deg: yaw },
  }, `depth view ${split} ${index}`);
  return { scene, camera: scene.rig.cameras[0], photos };
}

/** Extent of one box: people-, furniture-, shelf- and clutter-like shapes in equal shares. */
function objectSize(q: (k: number) => number): [number, number, number] {
  const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
  switch (Math.floor(q(0) * 4)) {
    case 0: return [lerp(0.3, 0.6, q(1)), lerp(0.3, 0.6, q(2)), lerp(1.2, 1.95, q(3))];
    case 1: return [lerp(0.4, 1.8, q(1)), lerp(0.4, 1.0, q(2)), lerp(0.4, 1.1, q(3))];
    case 2: return [lerp(1.0, 3.5, q(1)), lerp(0.3, 0.7, q(2)), lerp(1.2, 2.6, q(3))];
    default: return [lerp(0.15, 0.6, q(1)), lerp(0.15, 0.6, q(2)), lerp(0.15, 0.6, q(3))];
  }
}

/** Renders view `index` of `split`: image with the view's lighting, exact depth, camera pose. */
export function renderView(split: Split, index: number, pool: PhotoPool, tiles: Map<number, Float32Array>): DepthView {
  const { scene, camera, photos } = viewScene(split, index, pool);
  let tile = tiles.get(scene.seed);
  if (!tile) {
    tiles.clear();
    tile = buildTextureTile(scene.seed);
    tiles.set(scene.seed, tile);
  }
  const world = new SceneWorld(scene);
  const objects = world.objectsAt(0);
  const baseFromCamera = mat4.multiply(mat4.create(), linkInBase(camera), opticalInLink());
  const pose = mat4.multiply(mat4.create(), world.baseInOdom(0), baseFromCamera);
  const render = new CameraRenderer(camera, tile, photos).render(world.surfaces(objects), objects.length, pose);
  return { image: relight(render.image, SPLIT_SEED_BASE[split] + index), depth: render.depth, baseFromCamera };
}

/**
 * The renderer lights every face from one fixed direction; a view's lighting varies on top of
 * that: exposure, colour cast, gamma, a vertical falloff and sensor noise. Returns rgb8.
 */
function relight(bgr: Raster<Uint8Array>, seed: number): Raster<Uint8Array> {
  const r = (k: number) => hashUnit(seed, 50, k);
  const gain = 0.55 + 0.8 * r(0);
  const cast = [0.88 + 0.24 * r(1), 0.9 + 0.2 * r(2), 0.88 + 0.24 * r(3)];
  const gamma = 0.75 + 0.6 * r(4);
  const falloff = -0.35 + 0.7 * r(5);
  const noise = 6 * r(6);
  const { width, height, data } = bgr;
  const out = new Uint8Array(data.length);
  for (let y = 0, p = 0; y < height; y++) {
    const row = gain * (1 + falloff * (y / height - 0.5));
    for (let x = 0; x < width; x++, p += 3) {
      for (let c = 0; c < 3; c++) {
        const v = 255 * Math.pow(data[p + 2 - c] / 255, gamma) * row * cast[c] + noise * (hashUnit(seed, 51 + c, p) - 0.5);
        out[p + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { width, height, channels: 3, format: 'rgb8', data: out };
}
