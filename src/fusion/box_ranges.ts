// Where an object lies along the rays of its detection box: the box's depth samples (ground
// dropped), the dense modes of their range histogram, and the mode that is the object (the
// nearest, unless the class's size prior points to a farther one: a partly occluded object).
// Used by DetectionLifter (lifting.ts); holds scratch buffers, so one per lifter.
import type { SizePrior } from './class_priors';
import type { LiftingOptions } from './options';
import type { CameraView, DepthNoiseModel, GroundPlane } from './types';

/** One-sided 95% quantile of the normal distribution. */
const Z95 = 1.645;

export interface RangeStats {
  /** Ranges along pixel rays (m): near and far visible surface, median. */
  near: number;
  far: number;
  median: number;
  /** Depth samples on the object. */
  count: number;
  /** Per-sample range noise at the median (1 sigma, m). */
  sigma: number;
  /** dz/dx of the visible surface in the camera frame; NaN when unknown. */
  faceSlope: number;
  fromDepth: boolean;
}

/** Depth noise (1 sigma, m) at range z for a noise model. */
export function depthStd(z: number, noise: DepthNoiseModel): number {
  return noise.kind === 'stereo' ? (z * z * noise.disparityStd) / noise.focalBaseline : noise.fraction * z;
}

export class BoxRanges {
  readonly #o: LiftingOptions;
  readonly #ranges: Float64Array;
  readonly #sorted: Float64Array;
  readonly #lateral: Float64Array;
  readonly #depthZ: Float64Array;
  readonly #counts: Int32Array;

  constructor(options: LiftingOptions) {
    this.#o = options;
    this.#ranges = new Float64Array(options.maxSamples * 2);
    this.#sorted = new Float64Array(options.maxSamples * 2);
    this.#lateral = new Float64Array(options.maxSamples * 2);
    this.#depthZ = new Float64Array(options.maxSamples * 2);
    this.#counts = new Int32Array(options.maxSamples * 2);
  }

  /** Robust ranges (along pixel rays) of the object inside the box, or null when too few. */
  measure(
    view: CameraView,
    x1: number,
    y1: number,
    x2: number,
    y2: number,
    prior: Readonly<SizePrior>,
    priorRange: number | undefined,
    ground?: GroundPlane,
  ): RangeStats | null {
    const o = this.#o;
    const depth = view.depth as Float32Array;
    const { fx, fy, cx, cy, width } = view.intrinsics;
    const m = view.baseFromCamera;
    const halfU = ((x2 - x1) * o.innerFraction) / 2,
      halfV = ((y2 - y1) * o.innerFraction) / 2;
    const uc = (x1 + x2) / 2,
      vc = (y1 + y2) / 2;
    const u0 = Math.max(0, Math.round(uc - halfU)),
      u1 = Math.round(uc + halfU);
    const v0 = Math.max(0, Math.round(vc - halfV)),
      v1 = Math.round(vc + halfV);
    const area = (u1 - u0 + 1) * (v1 - v0 + 1);
    const stride = Math.max(1, Math.ceil(Math.sqrt(area / o.maxSamples)));
    const [nx, ny, nz] = ground ? ground.normal : [0, 0, 1];
    const nd = ground ? ground.d : -o.groundZ;
    // Height above ground of a camera-frame point (a*z, b*z, z) is linear in z: z*(h_a*a + h_b*b + h_c) + h_0.
    const h0 = nx * m[12] + ny * m[13] + nz * m[14] + nd;
    const hA = nx * m[0] + ny * m[1] + nz * m[2];
    const hB = nx * m[4] + ny * m[5] + nz * m[6];
    const hC = nx * m[8] + ny * m[9] + nz * m[10];
    const ranges = this.#ranges,
      lateral = this.#lateral,
      depthZ = this.#depthZ;
    const cap = ranges.length,
      clearance = o.groundClearance;
    let n = 0;
    for (let v = v0; v <= v1 && n < cap; v += stride) {
      const b = (v - cy) / fy;
      const row = v * width;
      for (let u = u0; u <= u1 && n < cap; u += stride) {
        const z = depth[row + u];
        if (!(z > 0) || z === Infinity) continue;
        const a = (u - cx) / fx;
        if (z * (hA * a + hB * b + hC) + h0 < clearance) continue;
        lateral[n] = a * z;
        depthZ[n] = z;
        ranges[n++] = z * Math.sqrt(a * a + b * b + 1);
      }
    }
    if (n < o.minPoints) return null;
    const sorted = this.#sorted.subarray(0, n);
    sorted.set(ranges.subarray(0, n));
    sorted.sort();
    const noise = view.depthNoise ?? { kind: 'relative', fraction: o.defaultRelativeDepthStd };

    // Range histogram as a sliding window whose width follows range and noise.
    const counts = this.#counts;
    // window(r) = max(min, relative * r, 2 sigma(r)), with depthStd's sigma(r) = s2 r^2 + s1 r.
    const s2 = noise.kind === 'stereo' ? noise.disparityStd / noise.focalBaseline : 0;
    const s1 = noise.kind === 'relative' ? noise.fraction : 0;
    const wMin = o.modeWindowMin,
      wRel = o.modeWindowRelative;
    const windowAt = (r: number) => Math.max(wMin, wRel * r, 2 * (s2 * r * r + s1 * r));
    let best = 0;
    for (let i = 0, j = 0; i < n; i++) {
      const w = windowAt(sorted[i]);
      if (j < i) j = i;
      while (j < n && sorted[j] <= sorted[i] + w) j++;
      counts[i] = j - i;
      if (counts[i] > best) best = counts[i];
    }
    // Candidate modes: dense windows (>= modeMinShare of the best), one per run of overlapping
    // windows. The nearest one is the object unless the class's height says otherwise (an
    // occluder in front of the box is dense and near too).
    let mode = NaN,
      bestMiss = Infinity;
    for (let i = 0; i < n;) {
      if (counts[i] < o.modeMinShare * best || counts[i] < Math.min(o.minPoints, best)) {
        i++;
        continue;
      }
      let k = i;
      for (let q = i + 1; q < i + counts[i]; q++) if (counts[q] > counts[k]) k = q;
      const candidate = sorted[k + (counts[k] >> 1)];
      const miss = priorRange === undefined ? 0 : Math.abs(Math.log(candidate / priorRange));
      if (miss < bestMiss) {
        bestMiss = miss;
        mode = candidate;
      }
      if (priorRange === undefined) break;
      i = k + counts[k];
    }
    const sigmaMode = depthStd(mode, noise);
    const lower = mode - Math.max(3 * sigmaMode, windowAt(mode));
    const upper = mode + Math.max(3 * sigmaMode, prior.length);
    let lo = 0;
    while (lo < n && sorted[lo] < lower) lo++;
    let hi = lo;
    while (hi < n && sorted[hi] <= upper) hi++;
    const count = hi - lo;
    if (count < o.minPoints) return null;
    const at = (q: number) => sorted[lo + Math.min(count - 1, Math.floor(q * count))];
    const median = at(0.5);
    const sigma = depthStd(median, noise);
    // Percentiles of noisy samples sit ~1.645 sigma outside the true near and far surfaces.
    const near = Math.min(median, at(0.05) + Z95 * sigma);
    const far = Math.max(median, at(0.95) - Z95 * sigma);
    // Slope dz/dx of the visible surface (least squares over the object's samples) gives the
    // face's orientation, hence the direction from the face to the object's centre.
    let sx = 0,
      sz = 0,
      sxx = 0,
      sxz = 0,
      k = 0;
    for (let i = 0; i < n; i++) {
      if (ranges[i] < sorted[lo] || ranges[i] > sorted[hi - 1]) continue;
      const x = lateral[i],
        z = depthZ[i];
      sx += x;
      sz += z;
      sxx += x * x;
      sxz += x * z;
      k++;
    }
    const den = k * sxx - sx * sx;
    const faceSlope = den > 1e-9 * k * k ? (k * sxz - sx * sz) / den : NaN;
    return { near, far, median, count, sigma, faceSlope, fromDepth: true };
  }
}
