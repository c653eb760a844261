// The scene's world at any instant: the room, the static and moving boxes, and the robot base,
// all in odom. Everything is an oriented box (people and carts too): their faces are flat and
// convex, which keeps rendering and ground truth exact.
import { mat4, quat } from 'gl-matrix';
import { mat4d, quatd } from './mat64';
import { objectPhotos } from './photo_texture';
import { hashUnit } from './random';
import { TEXTURE_SIZE } from './texture';
import { CLASS_SIZES, type Scene } from './scene_schema';
import { Trajectory, type PlanarState } from './trajectory';

const DEG = Math.PI / 180;
/** Texels per metre of every surface (1 cm texels). */
export const TEXELS_PER_METRE = 100;
/** Direction towards the light, in odom, for flat per-face shading. */
const LIGHT = normalize([0.3, 0.5, 0.8]);

export type Vec3 = [number, number, number];

/** One object of the scene at one instant, in odom. */
export interface WorldObject {
  /** Ground-truth id (1-based, stable for the whole scene). */
  id: number;
  className: string;
  isStatic: boolean;
  /** Box centre in odom, metres. */
  center: Vec3;
  /** Heading about odom z, radians. */
  yaw: number;
  /** Extent along the box's own x (heading), y and z, metres. */
  size: Vec3;
  /** Velocity in odom, m/s. */
  velocity: Vec3;
}

/** One flat convex face to draw: geometry, texture mapping and colour, in odom. */
export interface Surface {
  /** Index into the objects array, or -1 for the room (floor, walls, ceiling). */
  owner: number;
  /** Corner points in loop order. */
  corners: Vec3[];
  /** Unit normal pointing to the side the face is seen from. */
  normal: Vec3;
  /** Texture origin and unit axes: texel (u, v) = texelsPerMetre * ((p - origin)·uAxis, ·vAxis) + offset. */
  origin: Vec3;
  uAxis: Vec3;
  vAxis: Vec3;
  offset: [number, number];
  /** TEXELS_PER_METRE for the procedural tile; crop pixels per metre of face for a photo face. */
  texelsPerMetre: [number, number];
  /**
   * Whether texels come from the owner's photo crop (texel = crop pixel, top-left origin) instead
   * of the procedural tile; the crop's colour is then scaled by `color` / 255.
   */
  photo: boolean;
  /** Base colour, [r, g, b] in 0..255, already scaled by the face's flat lighting. */
  color: Vec3;
}

/** Width and height in pixels of a photo crop stretched over a face. */
type CropSize = readonly [number, number];

/** The scene's objects and robot as functions of scene time. Immutable after construction. */
export class SceneWorld {
  readonly #scene: Scene;
  readonly #trajectories: Trajectory[];
  readonly #robotPath: Trajectory | undefined;
  readonly #colors: Vec3[];
  readonly #cropSizes: Array<CropSize | undefined>;
  readonly #roomSurfaces: Surface[];

  /** Throws when a trajectory is degenerate (naming the object). */
  constructor(scene: Scene) {
    this.#scene = scene;
    this.#trajectories = scene.moving_objects.map(
      (m, i) => new Trajectory(m.trajectory, `scene ${scene.name}: moving_objects.${i}.trajectory`),
    );
    this.#robotPath = scene.robot.path ? new Trajectory(scene.robot.path, `scene ${scene.name}: robot.path`) : undefined;
    const specs = [...scene.static_objects, ...scene.moving_objects];
    this.#colors = specs.map((s, i) => (s.color ? [...s.color] : objectColor(scene.seed, i)));
    this.#cropSizes = objectPhotos(scene).map(({ photo }) => (photo ? [photo.crop[2], photo.crop[3]] : undefined));
    const { room_min: lo, room_max: hi, room_height: h } = scene.world;
    const roomCenter: Vec3 = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, h / 2];
    const roomColors = { floor: scene.world.ground_color, ceiling: scene.world.ceiling_color, wall: scene.world.wall_color };
    this.#roomSurfaces = boxSurfaces(-1, roomCenter, 0, [hi[0] - lo[0], hi[1] - lo[1], h], true, scene.seed, (n) =>
      n[2] > 0.5 ? [...roomColors.floor] : n[2] < -0.5 ? [...roomColors.ceiling] : [...roomColors.wall],
    );
  }

  /** Whether the robot base moves (so /tf carries odom -> base_link). */
  get robotMoves(): boolean {
    return this.#robotPath !== undefined;
  }

  /** Every object (static first, then moving, in file order) at scene time `t` (s). */
  objectsAt(t: number): WorldObject[] {
    const scene = this.#scene;
    const statics = scene.static_objects.map((s, i): WorldObject => ({
      id: i + 1,
      className: s.class,
      isStatic: true,
      center: [s.position[0], s.position[1], s.size[2] / 2],
      yaw: s.yaw_deg * DEG,
      size: [...s.size],
      velocity: [0, 0, 0],
    }));
    const moving = scene.moving_objects.map((m, i): WorldObject => {
      const st = this.#trajectories[i].at(t);
      const size: Vec3 = m.size ? [...m.size] : [...(CLASS_SIZES[m.class] ?? [0.5, 0.5, 1.0])];
      return {
        id: statics.length + i + 1,
        className: m.class,
        isStatic: false,
        center: [st.x, st.y, size[2] / 2],
        yaw: st.yaw,
        size,
        velocity: [st.vx, st.vy, 0],
      };
    });
    return [...statics, ...moving];
  }

  /** The base's planar pose and velocity in odom at scene time `t`. */
  baseAt(t: number): PlanarState {
    if (this.#robotPath) return this.#robotPath.at(t);
    const r = this.#scene.robot;
    return { x: r.position[0], y: r.position[1], yaw: r.yaw_deg * DEG, vx: 0, vy: 0 };
  }

  /** Pose of base_link in odom at scene time `t` (maps base_link coordinates to odom). */
  baseInOdom(t: number): mat4 {
    const b = this.baseAt(t);
    const q = quat.setAxisAngle(quatd(), [0, 0, 1], b.yaw);
    return mat4.fromRotationTranslation(mat4d(), q, [b.x, b.y, 0]);
  }

  /** Every face to draw for the given objects (from `objectsAt`), room included. */
  surfaces(objects: readonly WorldObject[]): Surface[] {
    const out = [...this.#roomSurfaces];
    objects.forEach((o, i) => {
      const seed = this.#scene.seed + o.id * 7919;
      out.push(...boxSurfaces(i, o.center, o.yaw, o.size, false, seed, () => [...this.#colors[i]], this.#cropSizes[i]));
    });
    return out;
  }
}

/** A distinct, moderately saturated colour per object, from the seed. */
function objectColor(seed: number, index: number): Vec3 {
  const hue = hashUnit(seed, 7, index) * 6;
  const sat = 0.45 + 0.3 * hashUnit(seed, 8, index);
  const val = 170 + 60 * hashUnit(seed, 9, index);
  const f = hue - Math.floor(hue);
  const [p, q, r] = [1 - sat, 1 - sat * f, 1 - sat * (1 - f)];
  const rgb: Vec3[] = [
    [1, r, p],
    [q, 1, p],
    [p, 1, r],
    [p, q, 1],
    [r, p, 1],
    [1, p, q],
  ];
  const c = rgb[Math.floor(hue) % 6];
  return [c[0] * val, c[1] * val, c[2] * val];
}

/**
 * The six faces of a box with centre `c`, heading `yaw` and extent `size`. `inward` makes the
 * faces visible from inside (the room); otherwise from outside. With `photo` (objects only, not
 * `inward`), each vertical face shows the whole crop upright and unmirrored as seen from outside.
 */
function boxSurfaces(
  owner: number,
  c: Vec3,
  yaw: number,
  size: Vec3,
  inward: boolean,
  texSeed: number,
  colorOf: (n: Vec3) => Vec3,
  photo?: CropSize,
): Surface[] {
  const axes: Vec3[] = [
    [Math.cos(yaw), Math.sin(yaw), 0],
    [-Math.sin(yaw), Math.cos(yaw), 0],
    [0, 0, 1],
  ];
  const half = size.map((s) => s / 2);
  const faces: Surface[] = [];
  for (let a = 0; a < 3; a++) {
    const b = (a + 1) % 3;
    const cc = (a + 2) % 3;
    for (const s of [1, -1]) {
      const at = (sb: number, sc: number): Vec3 =>
        [0, 1, 2].map((k) => c[k] + s * axes[a][k] * half[a] + sb * axes[b][k] * half[b] + sc * axes[cc][k] * half[cc]) as Vec3;
      const outward = axes[a].map((v) => v * s) as Vec3;
      const normal = (inward ? outward.map((v) => -v) : outward) as Vec3;
      const faceIndex = a * 2 + (s > 0 ? 0 : 1);
      const light = 0.6 + 0.4 * Math.max(0, dot(normal, LIGHT));
      const corners = [at(-1, -1), at(1, -1), at(1, 1), at(-1, 1)];
      if (photo && a < 2) {
        // u runs to the viewer's right (z × outward normal), v down from the top edge.
        const across = 1 - a;
        const uAxis: Vec3 = [-normal[1], normal[0], 0];
        const origin = [0, 1, 2].map((k) => c[k] + normal[k] * half[a] - uAxis[k] * half[across] + (k === 2 ? half[2] : 0)) as Vec3;
        faces.push({
          owner,
          corners,
          normal,
          origin,
          uAxis,
          vAxis: [0, 0, -1],
          offset: [0, 0],
          texelsPerMetre: [photo[0] / size[across], photo[1] / size[2]],
          photo: true,
          color: [255 * light, 255 * light, 255 * light],
        });
        continue;
      }
      faces.push({
        owner,
        corners,
        normal,
        origin: at(-1, -1),
        uAxis: axes[b],
        vAxis: axes[cc],
        offset: [hashUnit(texSeed, 11, faceIndex) * TEXTURE_SIZE, hashUnit(texSeed, 12, faceIndex) * TEXTURE_SIZE],
        texelsPerMetre: [TEXELS_PER_METRE, TEXELS_PER_METRE],
        photo: false,
        color: colorOf(normal).map((v) => v * light) as Vec3,
      });
    }
  }
  return faces;
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}
