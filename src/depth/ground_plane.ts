// RANSAC ground-plane estimation in base_link. The prior is that the ground is roughly
// horizontal and near z = 0 (base_link sits on the ground, REP-105), so candidate planes that
// tilt or sit too far from it are rejected before counting inliers; this keeps walls and table
// tops from winning when they hold many points. The winner is refit by least squares on its
// inliers. Seeded, so the same cloud gives the same plane.
import { z } from 'zod';
import { seededRandom } from './seeded_random';

export const groundPlaneOptionsSchema = z.object({
  /** RANSAC hypotheses. */
  iterations: z.number().int().min(1).default(200),
  /** Inlier distance from the plane, metres. */
  distanceThreshold: z.number().positive().default(0.03),
  /** Largest tilt of the plane normal from +z accepted, degrees. */
  maxTiltDeg: z.number().min(0).max(90).default(15),
  /** Largest |height| of the plane under the base_link origin accepted, metres. */
  maxAbsHeight: z.number().positive().default(0.5),
  /** Points sampled for scoring (uniformly, seeded) when the cloud is larger. */
  maxPoints: z.number().int().min(3).default(20000),
  /** Fewer inliers than this share of the scored points means "no ground found". */
  minInlierRatio: z.number().min(0).max(1).default(0.1),
  seed: z.number().int().default(1),
});
export type GroundPlaneOptionsInput = z.input<typeof groundPlaneOptionsSchema>;

export interface GroundPlane {
  /** Unit normal (pointing up, nz > 0) and offset: n·p + d = 0 for p on the plane. */
  normal: [number, number, number];
  d: number;
  /** z of the plane directly under (or over) the base_link origin, metres. */
  height: number;
  /** Angle between the normal and +z, degrees. */
  tiltDeg: number;
  inliers: number;
  /** Inliers / scored points. */
  inlierRatio: number;
}

/** Signed height of point (x, y, z) above `plane`, metres. */
export function heightAbove(plane: GroundPlane, x: number, y: number, zz: number): number {
  return plane.normal[0] * x + plane.normal[1] * y + plane.normal[2] * zz + plane.d;
}

/** Fits z = a x + b y + c to the given points by least squares; undefined if degenerate. */
function fitLeastSquares(px: Float64Array, py: Float64Array, pz: Float64Array, n: number): [number, number, number] | undefined {
  let sxx = 0,
    sxy = 0,
    sx = 0,
    syy = 0,
    sy = 0,
    sxz = 0,
    syz = 0,
    sz = 0;
  for (let i = 0; i < n; i++) {
    const x = px[i],
      y = py[i],
      zz = pz[i];
    sxx += x * x;
    sxy += x * y;
    sx += x;
    syy += y * y;
    sy += y;
    sxz += x * zz;
    syz += y * zz;
    sz += zz;
  }
  // Normal equations [sxx sxy sx; sxy syy sy; sx sy n] [a b c]' = [sxz syz sz]', by Cramer.
  const det = sxx * (syy * n - sy * sy) - sxy * (sxy * n - sy * sx) + sx * (sxy * sy - syy * sx);
  if (Math.abs(det) < 1e-12) return undefined;
  const a = (sxz * (syy * n - sy * sy) - sxy * (syz * n - sy * sz) + sx * (syz * sy - syy * sz)) / det;
  const b = (sxx * (syz * n - sz * sy) - sxz * (sxy * n - sy * sx) + sx * (sxy * sz - syz * sx)) / det;
  const c = (sxx * (syy * sz - sy * syz) - sxy * (sxy * sz - sy * sxz) + sx * (sxy * syz - syy * sxz)) / det;
  return [a, b, c];
}

function planeFromZ(a: number, b: number, c: number, inliers: number, scored: number): GroundPlane {
  // z = a x + b y + c  <=>  -a x - b y + z - c = 0
  const norm = Math.hypot(a, b, 1);
  const normal: [number, number, number] = [-a / norm, -b / norm, 1 / norm];
  return {
    normal,
    d: -c / norm,
    height: c,
    tiltDeg: (Math.acos(Math.min(1, normal[2])) * 180) / Math.PI,
    inliers,
    inlierRatio: scored > 0 ? inliers / scored : 0,
  };
}

/**
 * The ground plane of a base_link cloud (packed xyz; NaN points skipped), or undefined when no
 * plane satisfying the prior holds minInlierRatio of the points.
 */
export function estimateGroundPlane(points: Float32Array, opts: GroundPlaneOptionsInput = {}): GroundPlane | undefined {
  const o = groundPlaneOptionsSchema.parse(opts);
  const rnd = seededRandom(o.seed);
  const total = Math.floor(points.length / 3);
  const valid: number[] = [];
  for (let i = 0; i < total; i++) if (!Number.isNaN(points[3 * i] + points[3 * i + 1] + points[3 * i + 2])) valid.push(i);
  const n = Math.min(valid.length, o.maxPoints);
  if (n < 3) return undefined;
  const px = new Float64Array(n),
    py = new Float64Array(n),
    pz = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = valid.length > n ? valid[Math.floor(rnd() * valid.length)] : valid[k];
    px[k] = points[3 * i];
    py[k] = points[3 * i + 1];
    pz[k] = points[3 * i + 2];
  }
  const minNz = Math.cos((o.maxTiltDeg * Math.PI) / 180);
  let bestCount = 0;
  let best: [number, number, number, number] | undefined;
  for (let it = 0; it < o.iterations; it++) {
    const i = Math.floor(rnd() * n),
      j = Math.floor(rnd() * n),
      k = Math.floor(rnd() * n);
    const ux = px[j] - px[i],
      uy = py[j] - py[i],
      uz = pz[j] - pz[i];
    const vx = px[k] - px[i],
      vy = py[k] - py[i],
      vz = pz[k] - pz[i];
    let nx = uy * vz - uz * vy,
      ny = uz * vx - ux * vz,
      nz = ux * vy - uy * vx;
    const len = Math.hypot(nx, ny, nz);
    if (len < 1e-9) continue;
    if (nz < 0) {
      nx = -nx;
      ny = -ny;
      nz = -nz;
    }
    nx /= len;
    ny /= len;
    nz /= len;
    if (nz < minNz) continue;
    const d = -(nx * px[i] + ny * py[i] + nz * pz[i]);
    if (Math.abs(d / nz) > o.maxAbsHeight) continue;
    let count = 0;
    for (let p = 0; p < n; p++) if (Math.abs(nx * px[p] + ny * py[p] + nz * pz[p] + d) <= o.distanceThreshold) count++;
    if (count > bestCount) {
      bestCount = count;
      best = [nx, ny, nz, d];
    }
  }
  if (best === undefined || bestCount < o.minInlierRatio * n) return undefined;
  const [nx, ny, nz, d] = best;
  const ix = new Float64Array(bestCount),
    iy = new Float64Array(bestCount),
    iz = new Float64Array(bestCount);
  let m = 0;
  for (let p = 0; p < n; p++) {
    if (Math.abs(nx * px[p] + ny * py[p] + nz * pz[p] + d) <= o.distanceThreshold) {
      ix[m] = px[p];
      iy[m] = py[p];
      iz[m] = pz[p];
      m++;
    }
  }
  const fit = fitLeastSquares(ix, iy, iz, m);
  if (fit === undefined) return planeFromZ(-nx / nz, -ny / nz, -d / nz, bestCount, n);
  return planeFromZ(fit[0], fit[1], fit[2], bestCount, n);
}
