// Voxel-grid downsampling: one centroid per occupied voxel. Voxels are keyed by their integer
// coordinates packed into one safe integer, so a Map does the hashing and no per-point
// objects are made.
import { z } from 'zod';

export const voxelOptionsSchema = z.object({
  /** Voxel edge length, metres (the configuration's depth.voxel_size_m). */
  leafSize: z.number().min(0.01).max(1).default(0.08),
  /** Voxels with fewer points are dropped (isolated noise). */
  minPointsPerVoxel: z.number().int().min(1).default(1),
});
export type VoxelOptionsInput = z.input<typeof voxelOptionsSchema>;

/** Voxel indices must fit 17 bits each side of zero to pack three into a 53-bit integer. */
const HALF_RANGE = 1 << 16;

/**
 * Centroids of the points (packed xyz) in each voxel, packed xyz, in first-seen voxel order.
 * NaN points are skipped. Throws when a point lies more than 65536 voxels from the origin
 * (e.g. 3.2 km at 5 cm), where the packed key would overflow.
 */
export function voxelDownsample(points: Float32Array, opts: VoxelOptionsInput = {}): Float32Array {
  const o = voxelOptionsSchema.parse(opts);
  const inv = 1 / o.leafSize;
  const slot = new Map<number, number>();
  const n = Math.floor(points.length / 3);
  let sums = new Float64Array(4 * Math.min(n, 1024));
  let used = 0;
  for (let i = 0; i < n; i++) {
    const x = points[3 * i];
    const y = points[3 * i + 1];
    const zz = points[3 * i + 2];
    if (Number.isNaN(x) || Number.isNaN(y) || Number.isNaN(zz)) continue;
    const ix = Math.floor(x * inv);
    const iy = Math.floor(y * inv);
    const iz = Math.floor(zz * inv);
    if (Math.abs(ix) >= HALF_RANGE || Math.abs(iy) >= HALF_RANGE || Math.abs(iz) >= HALF_RANGE) {
      throw new RangeError(
        `voxelDownsample: point (${x}, ${y}, ${zz}) is more than ${HALF_RANGE} voxels of ${o.leafSize} m from the origin`,
      );
    }
    const key = ((ix + HALF_RANGE) * 2 * HALF_RANGE + (iy + HALF_RANGE)) * 2 * HALF_RANGE + (iz + HALF_RANGE);
    let s = slot.get(key);
    if (s === undefined) {
      s = used++;
      slot.set(key, s);
      if (4 * used > sums.length) {
        const grown = new Float64Array(sums.length * 2);
        grown.set(sums);
        sums = grown;
      }
    }
    sums[4 * s] += x;
    sums[4 * s + 1] += y;
    sums[4 * s + 2] += zz;
    sums[4 * s + 3] += 1;
  }
  const out = new Float32Array(3 * used);
  let k = 0;
  for (let s = 0; s < used; s++) {
    const c = sums[4 * s + 3];
    if (c < o.minPointsPerVoxel) continue;
    out[3 * k] = sums[4 * s] / c;
    out[3 * k + 1] = sums[4 * s + 1] / c;
    out[3 * k + 2] = sums[4 * s + 2] / c;
    k++;
  }
  return out.slice(0, 3 * k);
}
