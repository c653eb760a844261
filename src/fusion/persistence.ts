// Temporal consistency of obstacle points: a point is kept only when the place it marks (a
// horizontal grid cell, or one next to it) also held obstacle points in enough of the last few
// frame sets. Stereo outliers and learned-depth flicker come and go from frame to frame; real
// surfaces stay (moving ones move less than a cell between frame sets). The grid lives in a
// fixed frame (odom when given) so that the robot's own motion does not break persistence.
import type { mat4 } from 'gl-matrix';
import type { PersistenceOptions } from './options';

/** Cell indices must fit 2^20 either side of zero to pack two into one safe integer. */
const HALF = 1 << 20;

export class PersistenceFilter {
  readonly #o: PersistenceOptions;
  /** Occupied cells (packed keys) of the previous frame sets, newest last. */
  readonly #history: Float64Array[] = [];

  constructor(options: PersistenceOptions) {
    this.#o = options;
  }

  /**
   * The points of `points` (x, y, z triples in base_link) whose cell, or an 8-neighbour, was
   * occupied in at least minFrames of the last `frames` frame sets; all points while the history
   * is shorter than minFrames (start-up). `fixedFromBase` maps base_link to the fixed frame.
   */
  filter(points: Float32Array, fixedFromBase?: mat4): Float32Array {
    const o = this.#o;
    if (!o.enabled) return points;
    const n = points.length / 3;
    const keys = new Float64Array(n);
    const inv = 1 / o.cellSize;
    const m = fixedFromBase;
    for (let i = 0; i < n; i++) {
      let x = points[3 * i],
        y = points[3 * i + 1];
      if (m) {
        const z = points[3 * i + 2];
        [x, y] = [m[0] * x + m[4] * y + m[8] * z + m[12], m[1] * x + m[5] * y + m[9] * z + m[13]];
      }
      keys[i] = (Math.floor(x * inv) + HALF) * 2 * HALF + (Math.floor(y * inv) + HALF);
    }
    let out = points;
    if (this.#history.length >= o.minFrames) {
      // Per cell, how many previous frame sets held it or a neighbour.
      const support = new Map<number, number>();
      for (const frame of this.#history) {
        const marked = new Set<number>();
        for (const k of frame) {
          for (let dx = -1; dx <= 1; dx++) {
            for (let dy = -1; dy <= 1; dy++) {
              const nk = k + dx * 2 * HALF + dy;
              if (marked.has(nk)) continue;
              marked.add(nk);
              support.set(nk, (support.get(nk) ?? 0) + 1);
            }
          }
        }
      }
      const kept = new Float32Array(points.length);
      let c = 0;
      for (let i = 0; i < n; i++) {
        if ((support.get(keys[i]) ?? 0) < o.minFrames) continue;
        kept[c++] = points[3 * i];
        kept[c++] = points[3 * i + 1];
        kept[c++] = points[3 * i + 2];
      }
      out = kept.slice(0, c);
    }
    this.#history.push(Float64Array.from(new Set(keys)));
    if (this.#history.length > o.frames) this.#history.shift();
    return out;
  }

  /** Forgets the history (the fixed frame changed, or time jumped). */
  reset(): void {
    this.#history.length = 0;
  }
}
