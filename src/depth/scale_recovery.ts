// Scale and shift recovery for relative inverse-depth maps (MiDaS / Depth-Anything output is
// inverse depth up to an unknown affine map). Given a metric inverse-depth reference on some
// pixels - from stereo where the views overlap, or from the ground plane that the camera's
// mount (TF) predicts - fit reference ≈ scale · relative + shift robustly: RANSAC on pixel
// pairs, then least squares on the inliers. Both references are inverse depth, so one fitter
// serves both. metricDepthFromMap is the whole recovery a learned map goes through.
import { mat4 } from 'gl-matrix';
import { z } from 'zod';
import type { Pinhole } from '../geometry/pinhole';
import type { StereoGeometry } from './disparity_outputs';
import type { MonoDepthMap } from './mono_depth';
import { seededRandom } from './seeded_random';
import type { DisparityResult } from './sgm_stereo';

/** Samples each RANSAC hypothesis is scored on (the final fit uses all of them). */
const HYPOTHESIS_SAMPLES = 1000;

export const scaleFitOptionsSchema = z.object({
  /** RANSAC hypotheses (pairs of pixels). */
  iterations: z.number().int().min(1).default(200),
  /** A pixel is an inlier when |fit - reference| <= tolerance · reference (relative). */
  relativeTolerance: z.number().positive().default(0.05),
  /** Pixels sampled for the fit when more are available (seeded). */
  maxSamples: z.number().int().min(2).default(20000),
  /** Fewer valid pixel pairs than this is an error: the fit would be noise. */
  minSamples: z.number().int().min(2).default(50),
  seed: z.number().int().default(1),
  /**
   * Fit the shift too (relative models: MiDaS, Depth-Anything), or keep it 0 and fit the scale
   * only (a model already metric up to the mount, whose shift a narrow reference would make up).
   */
  fitShift: z.boolean().default(true),
});
export type ScaleFitOptionsInput = z.input<typeof scaleFitOptionsSchema>;

export interface ScaleShift {
  scale: number;
  shift: number;
  /** Inliers among the sampled pixel pairs, and how many were sampled. */
  inliers: number;
  samples: number;
}

/**
 * Robust fit of reference ≈ scale · relative + shift over pixels where both are finite and the
 * reference is positive. Throws when fewer than minSamples such pixels exist or the relative
 * map is constant over them (nothing to fit).
 */
export function fitScaleShift(relative: Float32Array, reference: Float32Array, opts: ScaleFitOptionsInput = {}): ScaleShift {
  const o = scaleFitOptionsSchema.parse(opts);
  if (relative.length !== reference.length) {
    throw new RangeError(`fitScaleShift: relative map has ${relative.length} pixels but the reference has ${reference.length}`);
  }
  const idx = new Int32Array(relative.length);
  let valid = 0;
  for (let i = 0; i < relative.length; i++)
    if (Number.isFinite(relative[i]) && reference[i] > 0 && Number.isFinite(reference[i])) idx[valid++] = i;
  if (valid < o.minSamples) {
    throw new RangeError(`fitScaleShift: ${valid} pixels have both a relative value and a reference; expected at least ${o.minSamples}`);
  }
  const rnd = seededRandom(o.seed);
  const n = Math.min(valid, o.maxSamples);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = valid > n ? idx[Math.floor(rnd() * valid)] : idx[k];
    x[k] = relative[i];
    y[k] = reference[i];
  }
  const inliers = (s: number, t: number, xs: Float64Array, ys: Float64Array) => {
    let c = 0;
    for (let k = 0; k < xs.length; k++) if (Math.abs(s * xs[k] + t - ys[k]) <= o.relativeTolerance * ys[k]) c++;
    return c;
  };
  const count = (s: number, t: number) => inliers(s, t, x, y);
  // Hypotheses are ranked on a random subset: the best of 200 stands out on a thousand samples
  // as on twenty thousand, at a twentieth of the cost (the final fit uses them all).
  const h = Math.min(n, HYPOTHESIS_SAMPLES);
  const hx = new Float64Array(h);
  const hy = new Float64Array(h);
  for (let k = 0; k < h; k++) {
    const j = h < n ? Math.floor(rnd() * n) : k;
    hx[k] = x[j];
    hy[k] = y[j];
  }
  let best = { s: 0, t: 0, c: -1 };
  for (let it = 0; it < o.iterations; it++) {
    const a = Math.floor(rnd() * n);
    const b = Math.floor(rnd() * n);
    // Scale only: one pixel is a hypothesis. Scale and shift: a pair of distinct values.
    if (o.fitShift ? x[a] === x[b] : x[a] === 0) continue;
    const s = o.fitShift ? (y[a] - y[b]) / (x[a] - x[b]) : y[a] / x[a];
    const t = o.fitShift ? y[a] - s * x[a] : 0;
    const c = inliers(s, t, hx, hy);
    if (c > best.c) best = { s, t, c };
  }
  if (best.c < 2) throw new RangeError('fitScaleShift: the relative map is constant over the reference pixels; nothing to fit');
  // Least squares on the inliers of the best hypothesis.
  let sx = 0,
    sy = 0,
    sxx = 0,
    sxy = 0,
    m = 0;
  for (let k = 0; k < n; k++) {
    if (Math.abs(best.s * x[k] + best.t - y[k]) > o.relativeTolerance * y[k]) continue;
    sx += x[k];
    sy += y[k];
    sxx += x[k] * x[k];
    sxy += x[k] * y[k];
    m++;
  }
  if (!o.fitShift) {
    const scale = sxx > 0 ? sxy / sxx : best.s;
    return { scale, shift: 0, inliers: count(scale, 0), samples: n };
  }
  const den = m * sxx - sx * sx;
  const scale = den !== 0 ? (m * sxy - sx * sy) / den : best.s;
  const shift = den !== 0 ? (sy - scale * sx) / m : best.t;
  return { scale, shift, inliers: count(scale, shift), samples: n };
}

/** Metric inverse depth (1/m) from a disparity map: d / (fx · B); NaN where invalid. */
export function inverseDepthFromStereo(d: DisparityResult, g: StereoGeometry): Float32Array {
  const out = new Float32Array(d.disparity.length);
  const fb = g.fx * g.baseline;
  for (let i = 0; i < out.length; i++) out[i] = d.valid[i] !== 0 && d.disparity[i] > 0 ? d.disparity[i] / fb : NaN;
  return out;
}

/**
 * The inverse depth (1/m along the optical axis) the ground plane z = 0 of base_link would
 * have at every pixel, given the camera mount `baseFromCamera` (from TF): the camera's height
 * is its origin's z. NaN at and above the horizon and beyond maxRange metres, where a flat-ground
 * prediction is too sensitive to trust. Throws when the camera is not above the ground.
 */
export function inverseDepthFromGround(k: Pinhole, baseFromCamera: mat4, maxRange = 15): Float32Array {
  const m = baseFromCamera;
  const height = m[14];
  if (!(height > 0)) {
    throw new RangeError(
      `inverseDepthFromGround: camera height from TF is ${height} m; expected the camera above the ground (z > 0 in base_link)`,
    );
  }
  const out = new Float32Array(k.width * k.height);
  for (let v = 0; v < k.height; v++) {
    const ry = (v - k.cy) / k.fy;
    for (let u = 0; u < k.width; u++) {
      const rx = (u - k.cx) / k.fx;
      // z component in base_link of the ray through (u, v) with optical depth 1.
      const rz = m[2] * rx + m[6] * ry + m[10];
      const inv = -rz / height;
      out[v * k.width + u] = inv > 1 / maxRange ? inv : NaN;
    }
  }
  return out;
}

/** Metric depth (m) from a relative inverse-depth map and its fit: 1 / (scale · r + shift); NaN where that is not positive. */
export function applyScaleShift(relative: Float32Array, fit: ScaleShift): Float32Array {
  const out = new Float32Array(relative.length);
  for (let i = 0; i < out.length; i++) {
    const inv = fit.scale * relative[i] + fit.shift;
    out[i] = inv > 0 ? 1 / inv : NaN;
  }
  return out;
}

/** A camera's metric depth image and where it sits: what a stereo pair gives its left camera. */
export interface MetricDepthView {
  depth: Float32Array;
  intrinsics: Pinhole;
  baseFromCamera: mat4;
}

/**
 * Inverse depth (1/m) at the pixels of camera `k` (mounted at `baseFromCamera`) that points of
 * the metric `views` land on, sampled every `stride` pixels of each view; NaN elsewhere. Where
 * two points land on one pixel the nearer wins (the farther one is hidden). This is how the front
 * stereo scales a learned map where their fields of view overlap.
 */
export function inverseDepthFromViews(k: Pinhole, baseFromCamera: mat4, views: readonly MetricDepthView[], stride = 4): Float32Array {
  const out = new Float32Array(k.width * k.height).fill(NaN);
  const toCamera = mat4.invert(mat4.create(), baseFromCamera);
  if (!toCamera) throw new RangeError("inverseDepthFromViews: the camera's mount (TF) is not invertible");
  for (const view of views) {
    const m = mat4.multiply(mat4.create(), toCamera, view.baseFromCamera);
    const v0 = view.intrinsics;
    for (let v = 0; v < v0.height; v += stride) {
      for (let u = 0; u < v0.width; u += stride) {
        const z = view.depth[v * v0.width + u];
        if (!(z > 0 && Number.isFinite(z))) continue;
        const x = ((u - v0.cx) / v0.fx) * z;
        const y = ((v - v0.cy) / v0.fy) * z;
        const cz = m[2] * x + m[6] * y + m[10] * z + m[14];
        if (!(cz > 0.1)) continue;
        const pu = Math.round((k.fx * (m[0] * x + m[4] * y + m[8] * z + m[12])) / cz + k.cx);
        const pv = Math.round((k.fy * (m[1] * x + m[5] * y + m[9] * z + m[13])) / cz + k.cy);
        if (pu < 0 || pv < 0 || pu >= k.width || pv >= k.height) continue;
        const i = pv * k.width + pu;
        if (!(out[i] >= 1 / cz)) out[i] = 1 / cz;
      }
    }
  }
  return out;
}

/**
 * Metric depth (m) of a learned map seen by camera `k` at `baseFromCamera`. A metric map is
 * returned as it is. An inverse-depth map is fitted (fitScaleShift: scale and shift for
 * relative_inverse, scale only for metric_inverse) to the inverse depth the ground plane
 * predicts from the mount, and, where `views` (stereo depth) see the same points, to theirs
 * instead: measured depth outranks a flat-ground assumption. Throws (from the fit) when too few
 * pixels have a reference.
 */
export function metricDepthFromMap(
  map: MonoDepthMap,
  k: Pinhole,
  baseFromCamera: mat4,
  maxRange: number,
  views: readonly MetricDepthView[] = [],
  opts: ScaleFitOptionsInput = {},
): Float32Array {
  if (map.output === 'metric') return map.values;
  opts = { fitShift: map.output === 'relative_inverse', ...opts };
  const reference = inverseDepthFromGround(k, baseFromCamera, maxRange);
  if (views.length > 0) {
    const measured = inverseDepthFromViews(k, baseFromCamera, views);
    for (let i = 0; i < reference.length; i++) if (measured[i] > 0) reference[i] = measured[i];
  }
  return applyScaleShift(map.values, fitScaleShift(map.values, reference, opts));
}
