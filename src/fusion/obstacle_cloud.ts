// The obstacle cloud published for the Nav2 costmap's obstacle/voxel layer: finite points in a
// height band and range, so the costmap neither marks the floor nor pays for far clutter.
import type { CloudOptions } from './options';

/**
 * Copies the points of `points` (x, y, z triples in base_link, voxel-downsampled upstream) that
 * are finite, within the height band and within maxRange horizontally. The result has no NaN,
 * so the PointCloud2 built from it is dense.
 */
export function cropObstaclePoints(points: Float32Array, o: CloudOptions): Float32Array {
  if (points.length % 3 !== 0) {
    throw new Error(`cropObstaclePoints: obstacle points have ${points.length} floats; expected x, y, z triples`);
  }
  const out = new Float32Array(points.length);
  const r2max = o.maxRange * o.maxRange;
  let n = 0;
  for (let i = 0; i < points.length; i += 3) {
    const x = points[i],
      y = points[i + 1],
      z = points[i + 2];
    if (!(z >= o.minHeight && z <= o.maxHeight) || !(x * x + y * y <= r2max)) continue;
    out[n++] = x;
    out[n++] = y;
    out[n++] = z;
  }
  return out.slice(0, n);
}
