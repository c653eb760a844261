// When each camera's frames are stamped, and which frames never arrive: the realism that a
// synchroniser must cope with (jitter, a dropped frame, a camera that stops).
import { NS_PER_SEC, type Nanos } from '../msgs/time';
import { hashString, hashUnit } from './random';
import type { Scene } from './scene_schema';

/** Stamp schedule of a scene; pure functions of (scene, camera, frame index). */
export class StampSchedule {
  readonly #scene: Scene;
  readonly #start: Nanos;
  readonly #drops: Set<string>;

  constructor(scene: Scene) {
    this.#scene = scene;
    this.#start = BigInt(Math.round(scene.stamps.start * 1e6)) * 1000n;
    this.#drops = new Set(scene.stamps.drops.map((d) => `${d.camera}#${d.frame}`));
  }

  /** Number of frame instants in the scene: round(duration * rate). */
  get frameCount(): number {
    return Math.round(this.#scene.duration * this.#scene.rate_hz);
  }

  /** Stamp of scene time 0. */
  get start(): Nanos {
    return this.#start;
  }

  /** Scene time (s) of frame `index` without jitter. */
  nominalTime(index: number): number {
    return index / this.#scene.rate_hz;
  }

  /** Stamp of frame `index` without jitter (the stamp of /clock and of the ground truth). */
  nominalStamp(index: number): Nanos {
    return this.#start + BigInt(Math.round((index * 1e9) / this.#scene.rate_hz));
  }

  /**
   * Stamp of `camera`'s frame `index`: the nominal stamp plus a deterministic offset uniform in
   * ±jitter_ms; undefined when that frame is dropped or the camera has stopped by then.
   */
  cameraStamp(camera: string, index: number): Nanos | undefined {
    if (this.#drops.has(`${camera}#${index}`)) return undefined;
    const t = this.nominalTime(index);
    if (this.#scene.stamps.stops.some((s) => s.camera === camera && t >= s.at)) return undefined;
    const jitterNs = (hashUnit(this.#scene.seed, hashString(camera), index, 0x57a) * 2 - 1) * this.#scene.stamps.jitter_ms * 1e6;
    return this.nominalStamp(index) + BigInt(Math.round(jitterNs));
  }

  /** Scene time (s) of a stamp. */
  sceneTime(stamp: Nanos): number {
    return Number(stamp - this.#start) / Number(NS_PER_SEC);
  }
}
