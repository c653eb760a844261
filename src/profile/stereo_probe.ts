// Times the project's SGM matcher on this machine: a synthetic textured pair (seeded noise, the
// right view shifted by a fixed disparity), fastest of a few runs after warm-up (the machine is
// shared; the fastest run is the one least disturbed). Used to fit the host's stereo fractions
// and, in the bench, to check the stereo cost model's predictions against the same matcher.
import type { Raster } from '../io/raster';
import { seededRandom } from '../depth/seeded_random';
import { invert3Into, mulVec3 } from '../geometry/rotation';
import { StereoMatcher } from '../depth/sgm_stereo';
import { MAX_PIXEL_FRACTION, type HardwareProfile } from './hardware_profile';
import { LANE_BITS, predictMatcherCost, type MatcherResolution, type StereoWork } from './stereo_cost';

/** A rectified pair whose true disparity is `shift` px everywhere (texture seeded by size). */
function texturedPair(width: number, height: number, shift: number): { left: Raster; right: Raster } {
  const rand = seededRandom(width * 7919 + height);
  const left = new Uint8Array(width * height).map(() => Math.floor(rand() * 256));
  const right = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) right[y * width + x] = left[y * width + Math.min(width - 1, x + shift)];
  }
  const raster = (data: Uint8Array): Raster => ({ width, height, channels: 1, format: 'mono8', data });
  return { left: raster(left), right: raster(right) };
}

/** A size and the matcher timed at it: full resolution, or coarse-to-fine (`coarseToFine`). */
export interface StereoCase extends StereoWork {
  coarseToFine?: boolean;
}

/** The matcher resolution a case times. */
export const caseResolution = (c: StereoCase): MatcherResolution => (c.coarseToFine ? 'coarse_to_fine' : 'full');

/**
 * Fastest wall time (ms) of each case over `repeats` interleaved rounds with `workers` worker
 * threads each (the pipeline's default is 2), after 2 warm-up rounds. The cases take turns
 * within a round, so a burst of load on a shared machine hits them all alike.
 */
export async function timeStereoCases(cases: readonly StereoCase[], workers: number, repeats = 7): Promise<number[]> {
  const runs = cases.map((c) => ({
    matcher: new StereoMatcher({ numDisparities: c.disparities, workers, resolution: caseResolution(c) }),
    ...texturedPair(c.width, c.height, Math.floor(c.disparities / 3)),
    best: Infinity,
  }));
  try {
    for (let i = 0; i < repeats + 2; i++) {
      for (const r of runs) {
        const t0 = process.hrtime.bigint();
        await r.matcher.compute(r.left, r.right);
        if (i >= 2) r.best = Math.min(r.best, Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
    return runs.map((r) => r.best);
  } finally {
    for (const r of runs) await r.matcher.dispose();
  }
}

/**
 * Probe cases: none is a size the bench checks, so the check is a prediction, not a fit. They
 * span the checked sizes (up to 704x528 and 112 disparities) so the checks interpolate, and
 * include the coarse-to-fine matcher, whose refinement weighs the per-pixel term more.
 */
export const STEREO_PROBES: StereoCase[] = [
  { width: 256, height: 192, disparities: 32 },
  { width: 384, height: 288, disparities: 96 },
  { width: 512, height: 384, disparities: 48 },
  { width: 704, height: 528, disparities: 112 },
  { width: 384, height: 288, disparities: 48, coarseToFine: true },
  { width: 704, height: 528, disparities: 96, coarseToFine: true },
];

export interface StereoFit {
  achievedFraction: number;
  pixelFraction: number;
  perPairOverheadUs: number;
  probes: Array<StereoCase & { ms: number }>;
}

/**
 * Least squares of t = a cells + b pixels + c restricted to the terms in `use` (the others held
 * at 0, by identity rows in the normal equations); NaN when they are singular.
 */
function leastSquaresOn(rows: Array<[number, number, number, number]>, use: readonly boolean[]): { x: number[]; residual: number } {
  const m = new Float64Array(9);
  const v = new Float64Array(3);
  for (const [x0, x1, x2, t] of rows) {
    const x = [x0, x1, x2];
    for (let i = 0; i < 3; i++) {
      if (!use[i]) continue;
      v[i] += x[i] * t;
      for (let j = 0; j < 3; j++) if (use[j]) m[i * 3 + j] += x[i] * x[j];
    }
  }
  for (let i = 0; i < 3; i++) if (!use[i]) m[i * 3 + i] = 1;
  if (!invert3Into(m, m)) return { x: [NaN, NaN, NaN], residual: Infinity };
  const x = [...mulVec3(m, v)];
  const residual = rows.reduce((r, [x0, x1, x2, t]) => r + (x[0] * x0 + x[1] * x1 + x[2] * x2 - t) ** 2, 0);
  return { x, residual };
}

/**
 * Non-negative least squares of t = a cells + b pixels + c over the 7 subsets of terms: the best
 * fit whose coefficients are all >= 0. On a loaded machine the free 3-term fit can give a
 * negative cost per pixel, which clamped to a tiny fraction predicted seconds per pair; a term
 * the timings cannot separate is dropped instead.
 */
export function nonNegativeLeastSquares3(rows: Array<[number, number, number, number]>): [number, number, number] {
  let best = { x: [NaN, NaN, NaN], residual: Infinity };
  for (let mask = 1; mask < 8; mask++) {
    const fit = leastSquaresOn(
      rows,
      [0, 1, 2].map((i) => (mask & (1 << i)) !== 0),
    );
    if (fit.x.every((c) => c >= 0) && fit.residual < best.residual) best = fit;
  }
  return [best.x[0], best.x[1], best.x[2]];
}

/**
 * Times the matcher at STEREO_PROBES and fits the stereo section of `profile`'s cost model to the
 * timings, none negative: t = cell ops / cell rate + pixel ops / pixel rate + a fixed cost per
 * pair, with the ops as the cost model counts them for each matcher. The cell fraction is
 * clamped to (0, 1] of the vector issue rate; the pixel fraction, an instructions-per-cycle
 * figure for scalar code, to (0, MAX_PIXEL_FRACTION] (a dropped term costs its largest value); a
 * clamp shows as prediction error in the bench.
 */
export async function fitStereo(profile: HardwareProfile, workers: number): Promise<StereoFit> {
  const times = await timeStereoCases(STEREO_PROBES, workers);
  return fitStereoTimes(
    profile,
    STEREO_PROBES.map((c, i) => ({ ...c, ms: times[i] })),
  );
}

/** The fit of fitStereo from probe timings already taken. */
export function fitStereoTimes(profile: HardwareProfile, probes: StereoFit['probes']): StereoFit {
  const [msPerCellOp, msPerPixelOp, fixedMs] = nonNegativeLeastSquares3(
    probes.map((p) => {
      const { cellOps, pixelOps } = predictMatcherCost(p, profile, caseResolution(p));
      return [cellOps, pixelOps, 1, p.ms];
    }),
  );
  const c = profile.cpu;
  const cycles = c.cores.value * c.clockGHz.value * 1e9;
  const lanes = c.simdBits.value / LANE_BITS;
  const clamp = (f: number, max: number) => Math.min(max, Math.max(1e-4, f));
  return {
    achievedFraction: clamp(1 / (msPerCellOp / 1e3) / (cycles * lanes * c.simdOpsPerCycle.value), 1),
    pixelFraction: clamp(1 / (msPerPixelOp / 1e3) / cycles, MAX_PIXEL_FRACTION),
    perPairOverheadUs: Math.max(0, fixedMs * 1e3),
    probes,
  };
}
