// The in-memory face of the simulator: frame by frame, what every camera of the rig captured
// and the ground truth that goes with it. Tests and the pipeline use it directly; the bag
// writer (write_scene_bag.ts) serialises the same frames.
import { mat4 } from 'gl-matrix';
import type { Raster } from '../io/raster';
import type { Nanos } from '../msgs/time';
import { nanosToTime } from '../msgs/time';
import type { CameraInfo } from '../msgs/types';
import { boxesFromRender, objectsInBase, type GroundTruthBox, type GroundTruthObject } from './ground_truth';
import { mat4d } from './mat64';
import { loadScenePhotos } from './photo_texture';
import { CameraRenderer } from './renderer';
import { cameraFrames, cameraInfo, opticalInBase } from './rig';
import type { CameraSpec, Scene } from './scene_schema';
import { StampSchedule } from './stamps';
import { buildTextureTile } from './texture';
import { SceneWorld } from './world';

/** Everything produced for one frame instant. Cameras whose frame is dropped or stopped are absent from the maps. */
export interface SimFrame {
  index: number;
  /** Scene time (s) of the nominal stamp: index / rate_hz. */
  time: number;
  /** Nominal (unjittered) stamp of the frame: the stamp of /clock and of the object ground truth. */
  stamp: Nanos;
  /** Each present camera's sensor stamp (jittered); its image was rendered at exactly this time. */
  stamps: Map<string, Nanos>;
  images: Map<string, Raster<Uint8Array>>;
  /** Depth along the optical axis, metres, row-major like the image; NaN where nothing was hit. */
  depth: Map<string, Float32Array>;
  infos: Map<string, CameraInfo>;
  /** Objects at the nominal stamp. */
  objects: GroundTruthObject[];
  /** Per camera, the objects at that camera's stamp as it sees them. */
  boxes: Map<string, GroundTruthBox[]>;
  /** Pose of base_link in odom at the nominal stamp. */
  baseInOdom: mat4;
}

/** Renders a scene frame by frame; any frame may be rendered in any order with identical results. */
export class SceneSimulator {
  readonly #scene: Scene;
  readonly #world: SceneWorld;
  readonly #schedule: StampSchedule;
  readonly #renderers: Map<string, CameraRenderer>;
  readonly #opticalInBase: Map<string, mat4>;

  /**
   * `scene` must come from loadScene or parseScene (validated, defaults filled in). Reads the
   * scene's photos; throws naming the key when one is missing or smaller than its crop.
   */
  constructor(scene: Scene) {
    this.#scene = scene;
    this.#world = new SceneWorld(scene);
    this.#schedule = new StampSchedule(scene);
    const tile = buildTextureTile(scene.seed);
    const photos = loadScenePhotos(scene);
    this.#renderers = new Map(scene.rig.cameras.map((c) => [c.name, new CameraRenderer(c, tile, photos)]));
    this.#opticalInBase = new Map(scene.rig.cameras.map((c) => [c.name, opticalInBase(c)]));
  }

  get scene(): Scene {
    return this.#scene;
  }

  get cameras(): CameraSpec[] {
    return this.#scene.rig.cameras;
  }

  get frameCount(): number {
    return this.#schedule.frameCount;
  }

  get schedule(): StampSchedule {
    return this.#schedule;
  }

  get world(): SceneWorld {
    return this.#world;
  }

  /** Renders frame `index` (0 <= index < frameCount) of every camera. */
  renderFrame(index: number): SimFrame {
    if (!Number.isInteger(index) || index < 0 || index >= this.frameCount) {
      throw new RangeError(
        `SceneSimulator(${this.#scene.name}).renderFrame: index ${index}; expected an integer in [0, ${this.frameCount - 1}]`,
      );
    }
    const t = this.#schedule.nominalTime(index);
    const frame: SimFrame = {
      index,
      time: t,
      stamp: this.#schedule.nominalStamp(index),
      stamps: new Map(),
      images: new Map(),
      depth: new Map(),
      infos: new Map(),
      objects: objectsInBase(this.#world.objectsAt(t), this.#world.baseAt(t)),
      boxes: new Map(),
      baseInOdom: this.#world.baseInOdom(t),
    };
    for (const cam of this.cameras) {
      const stamp = this.#schedule.cameraStamp(cam.name, index);
      if (stamp === undefined) continue;
      const tc = this.#schedule.sceneTime(stamp);
      const objects = this.#world.objectsAt(tc);
      const pose = mat4.multiply(mat4d(), this.#world.baseInOdom(tc), this.#opticalInBase.get(cam.name)!);
      const render = this.#renderers.get(cam.name)!.render(this.#world.surfaces(objects), objects.length, pose);
      frame.stamps.set(cam.name, stamp);
      frame.images.set(cam.name, render.image);
      frame.depth.set(cam.name, render.depth);
      frame.infos.set(cam.name, cameraInfo(cam, { stamp: nanosToTime(stamp), frame_id: cameraFrames(cam).optical }));
      frame.boxes.set(cam.name, boxesFromRender(objects, render));
    }
    return frame;
  }
}
