// Depth image -> 3D points in base_link, organised (one xyz per kept pixel, NaN where unknown)
// and unorganised (only valid points, packed xyz). One pass over the pixels, no per-point objects.
import type { mat4 } from 'gl-matrix';
import { z } from 'zod';
import type { Pinhole } from '../geometry/pinhole';

export const pointsOptionsSchema = z.object({
  /** Keep every stride-th pixel in x and y (1 = all; the configuration's depth.point_stride). */
  stride: z.number().int().min(1).max(16).default(2),
  /** Depths (metres along the optical axis) outside [minDepth, maxDepth] are dropped. */
  minDepth: z.number().min(0).default(0.1),
  /** The obstacle cloud's range (depth.max_range_m, fusion's cloud.maxRange). */
  maxDepth: z.number().positive().default(10),
  /**
   * Pixels whose inverse depth differs from another's within edgeRadius pixels by more than this
   * (1/m) are dropped (0 keeps all); for stereo, a disparity step of focal length x baseline x
   * this. Matching smears depth across an object's outline: those pixels put streaks between the
   * object and what lies behind it.
   */
  maxInverseDepthStep: z.number().min(0).default(0),
  edgeRadius: z.number().int().min(1).max(8).default(1),
});
export type PointsOptionsInput = z.input<typeof pointsOptionsSchema>;

export interface DepthPoints {
  /** Organised cloud: width x height x 3 (x, y, z in base_link, metres), NaN where unknown. */
  organized: Float32Array;
  width: number;
  height: number;
  /** Valid points only, packed x, y, z. */
  points: Float32Array;
  count: number;
}

/**
 * Back-projects a depth image (metres along the optical axis, NaN = unknown; camera optical
 * frame: z forward, x right, y down) with intrinsics `k`, and maps the points to base_link
 * with `baseFromCamera` (gl-matrix column-major). Throws when the image size disagrees with
 * `k` or the data length.
 */
export function depthToPoints(depth: Float32Array, k: Pinhole, baseFromCamera: mat4, opts: PointsOptionsInput = {}): DepthPoints {
  const o = pointsOptionsSchema.parse(opts);
  if (depth.length !== k.width * k.height) {
    throw new RangeError(`depthToPoints: depth has ${depth.length} values; the camera is ${k.width}x${k.height} (${k.width * k.height})`);
  }
  if (!(k.fx > 0 && k.fy > 0)) throw new RangeError(`depthToPoints: fx = ${k.fx}, fy = ${k.fy}; expected positive focal lengths`);
  const m = baseFromCamera;
  const ow = Math.ceil(k.width / o.stride);
  const oh = Math.ceil(k.height / o.stride);
  const organized = new Float32Array(ow * oh * 3).fill(NaN);
  const packed = new Float32Array(ow * oh * 3);
  let count = 0;
  for (let j = 0; j < oh; j++) {
    const v = j * o.stride;
    const ry = (v - k.cy) / k.fy;
    for (let i = 0; i < ow; i++) {
      const u = i * o.stride;
      const zc = depth[v * k.width + u];
      if (!(zc >= o.minDepth && zc <= o.maxDepth)) continue;
      if (o.maxInverseDepthStep > 0) {
        const near = 1 / zc - o.maxInverseDepthStep;
        const hi = near > 0 ? 1 / near : Infinity;
        if (atDepthEdge(depth, k.width, k.height, u, v, o.edgeRadius, hi, 1 / (1 / zc + o.maxInverseDepthStep))) continue;
      }
      const xc = ((u - k.cx) / k.fx) * zc;
      const yc = ry * zc;
      const x = m[0] * xc + m[4] * yc + m[8] * zc + m[12];
      const y = m[1] * xc + m[5] * yc + m[9] * zc + m[13];
      const zb = m[2] * xc + m[6] * yc + m[10] * zc + m[14];
      const at = (j * ow + i) * 3;
      organized[at] = x;
      organized[at + 1] = y;
      organized[at + 2] = zb;
      packed[3 * count] = x;
      packed[3 * count + 1] = y;
      packed[3 * count + 2] = zb;
      count++;
    }
  }
  return { organized, width: ow, height: oh, points: packed.slice(0, 3 * count), count };
}

/** Whether a depth within `radius` pixels of (u, v) lies outside [lo, hi] (unknown depths do not count). */
function atDepthEdge(depth: Float32Array, w: number, h: number, u: number, v: number, radius: number, hi: number, lo: number): boolean {
  const v0 = Math.max(0, v - radius),
    v1 = Math.min(h - 1, v + radius);
  const u0 = Math.max(0, u - radius),
    u1 = Math.min(w - 1, u + radius);
  for (let y = v0; y <= v1; y++) {
    const row = y * w;
    for (let x = u0; x <= u1; x++) {
      const q = depth[row + x];
      if (q > hi || q < lo) return true;
    }
  }
  return false;
}
