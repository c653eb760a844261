// Cost of semi-global stereo matching from its work: the cost volume (pixels x disparities) and
// its passes, on the resource the profile places stereo on.
//
// Work, counted from the WebAssembly kernels in src/depth/sgm_simd_*.ts, whose costs and path
// sums are u8 lanes, 16 per 128-bit instruction. Per 16 cost-volume cells (one vector):
// - Census Hamming cost (costRow): 3 loads, 3 xor, 3 popcount, 2 adds, 1 store = 12;
// - per aggregation path (the lane16 recurrence L = C + min(L[d], L[d±1] + P1, minL + P2) -
//   minL): 3 loads, 2 min, a saturating add of P1, min with minL + P2, the add of C and the
//   sub of minL, the store of L and the running minimum = 11; passRow, which runs two paths
//   at once, adds the sum into the aggregate (2 saturating adds, a load, a mask, a store = 5);
//   the default 4 paths are two passRow sweeps: 2 x (2 x 11 + 5) = 54;
// - winner-take-all arg-min (load, compare, min, select, block count = 5) and the uniqueness
//   minimum (load, min = 2) = 7.
// That is 73 vector instructions per 16 cells. Per pixel, scalar instructions (the kernels'
// bookkeeping around the vectors): two passRow sweeps (~35 each: addresses, path starts, slot
// swaps, the minima's extraction), costRow's setup and range fills (~25), selectRow (~100:
// the winner, sub-pixel parabola, uniqueness, right-map update, left-right check of both
// neighbours) and the speckle labelling (~30): ~225 ops. (This used to be 80, a count of the
// arithmetic only, with fractions to match; both terms now count instructions as the kernels
// issue them, so the pixel fraction is an instructions-per-cycle figure and may exceed 1 on a
// superscalar core.)
// Time on the CPU = cells x ops / (cores x lanes x SIMD ops per cycle x clock x achieved fraction)
//                 + pixel ops / (cores x clock x pixel fraction) + a fixed cost per pair.
// The two fractions and the fixed cost are what a measurement calibrates (stereo_probe.ts fits
// them to timed runs at sizes other than the ones the bench checks).
// On the NPU, the cell ops run at the NPU's op rate (peak x utilisation) and the per-pixel
// passes stay on the CPU cores.
//
// Coarse-to-fine (src/depth/sgm_refine.ts) is the half-resolution match plus, per
// full-resolution pixel, the refinement's own work (sgm_simd_refine_wat.ts): vector
// instructions at the cell rate - the full-resolution Census of both images (24 loads,
// compares, masks and ors per 16 pixels each: ~13), the band's Census cost (3 splats, 3 loads,
// 3 xor, 3 popcount, 2 adds, the widening and its store: 16), the 5-wide row sum with its
// same-base test (14) and the 5-row sum, minimum and lanes around it (23): 66 - and scalar
// instructions at the pixel rate: the coarse lookup, band bounds, addresses and loop control
// of the cost row (~39), the row sum (~19) and the selection with its parabola and cost test (~48): ~106.
// Neighbours at another band base (depth edges, slanted surfaces) take a slower path that
// is not counted.
import { planRungs } from '../depth/sgm_rungs';
import { parseStereoOptions, type StereoOptions } from '../depth/stereo_options';
import { npuPeakMacsPerSec, type HardwareProfile } from './hardware_profile';

const DEFAULT_OPTIONS = parseStereoOptions({ numDisparities: 64 });
/** How a pair is matched: coarse_to_fine, full or half resolution (depth.stereo_resolution). */
export type MatcherResolution = StereoOptions['resolution'];
/** The matcher's resolution unless configured otherwise. */
export const DEFAULT_MATCHER_RESOLUTION: MatcherResolution = DEFAULT_OPTIONS.resolution;
/** The matcher's default aggregation paths (4: two passRow sweeps). */
export const SGM_PATHS = DEFAULT_OPTIONS.paths;
/** Vector instructions per 16 cells (one u8x16 vector), for the default paths; see above. */
export const OPS_PER_CELL = 12 + (SGM_PATHS / 2) * (2 * 11 + 5) + 7;
export const OPS_PER_PIXEL = 225;
/** Census costs and path sums are u8: lanes per SIMD register = bits / 8. */
export const LANE_BITS = 8;
/** Coarse-to-fine refinement, per full-resolution pixel: vector and scalar instructions. */
export const REFINE_VECTOR_OPS_PER_PIXEL = 13 + 16 + 14 + 23;
export const REFINE_SCALAR_OPS_PER_PIXEL = 106;

export interface StereoWork {
  width: number;
  height: number;
  disparities: number;
}

export interface StereoCost {
  ms: number;
  device: 'cpu' | 'npu';
  /** Vector instructions x lanes (so a cell of the cost volume is one unit per instruction). */
  cellOps: number;
  pixelOps: number;
  /** How it was costed, for the budget table. */
  note: string;
}

const size = (w: StereoWork) => `${w.width}x${w.height}x${w.disparities}`;

function checkWork(w: StereoWork): void {
  for (const key of ['width', 'height', 'disparities'] as const) {
    const v = w[key];
    if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`stereo ${key} = ${v}; expected a positive integer`);
  }
}

/** Time of `cellOps` (lane ops) and `pixelOps` (scalar ops) on `profile`'s stereo resource, plus its fixed cost. */
function costOf(label: string, cellOps: number, pixelOps: number, profile: HardwareProfile): StereoCost {
  const c = profile.cpu;
  const s = profile.stereo;
  const cycles = c.cores.value * c.clockGHz.value * 1e9;
  const pixelMs = (pixelOps / (cycles * s.pixelFraction.value)) * 1e3 + s.perPairOverheadUs.value / 1e3;
  const pixelNote = `${(pixelOps / 1e6).toFixed(1)} Mop per-pixel at ${s.pixelFraction.value.toFixed(2)} of ${c.cores.value} cores x ${c.clockGHz.value.toFixed(2)} GHz, ${(s.perPairOverheadUs.value / 1e3).toFixed(2)} ms fixed`;
  if (s.device.value === 'npu') {
    const npuOpsPerSec = 2 * npuPeakMacsPerSec(profile) * profile.npu.utilization.value;
    const ms = (cellOps / npuOpsPerSec) * 1e3 + pixelMs;
    return { ms, device: 'npu', cellOps, pixelOps, note: `${label}: ${(cellOps / 1e9).toFixed(2)} Gop cells on NPU; ${pixelNote}` };
  }
  const lanes = c.simdBits.value / LANE_BITS;
  const cellRate = cycles * lanes * c.simdOpsPerCycle.value * s.achievedFraction.value;
  return {
    ms: (cellOps / cellRate) * 1e3 + pixelMs,
    device: 'cpu',
    cellOps,
    pixelOps,
    note: `${label}: ${(cellOps / 1e9).toFixed(2)} Gop at ${s.achievedFraction.value.toFixed(2)} of ${lanes} lanes x ${c.simdOpsPerCycle.value}/cycle; ${pixelNote}`,
  };
}

/** Cost of one rectified pair on `profile`. Throws a RangeError naming a non-positive size. */
export function predictStereoCost(w: StereoWork, profile: HardwareProfile): StereoCost {
  checkWork(w);
  const pixels = w.width * w.height;
  return costOf(`SGM ${size(w)}`, pixels * w.disparities * OPS_PER_CELL, pixels * OPS_PER_PIXEL, profile);
}

/**
 * The half-resolution match's work, as the matcher plans it (planRungs, the matcher's own plan):
 * a quarter of the pixels over half the disparities, rounded up to its multiple of 16.
 */
export function halfResolutionWork(w: StereoWork): StereoWork {
  const { minDisparity, speckleWindowSize } = DEFAULT_OPTIONS;
  const plan = planRungs(w.width, w.height, { minDisparity, numDisparities: w.disparities, speckleWindowSize, halfResolution: true });
  return { width: plan.width, height: plan.height, disparities: plan.disparities };
}

/**
 * Cost of one pair matched coarse-to-fine (resolution coarse_to_fine, the default): SGM on the
 * half-resolution work plus the full-resolution refinement of every pixel.
 */
export function predictCoarseToFineCost(w: StereoWork, profile: HardwareProfile): StereoCost {
  checkWork(w);
  const half = halfResolutionWork(w);
  const coarse = half.width * half.height;
  const pixels = w.width * w.height;
  const lanes = profile.cpu.simdBits.value / LANE_BITS;
  return costOf(
    `SGM ${size(half)} refined at ${w.width}x${w.height}`,
    coarse * half.disparities * OPS_PER_CELL + pixels * REFINE_VECTOR_OPS_PER_PIXEL * lanes,
    coarse * OPS_PER_PIXEL + pixels * REFINE_SCALAR_OPS_PER_PIXEL,
    profile,
  );
}

/**
 * Cost of one pair matched at half resolution alone (resolution half, the stereo_half_resolution
 * rung): SGM on the half-resolution work; scaling its disparities up is a copy, not counted.
 */
export function predictHalfResolutionCost(w: StereoWork, profile: HardwareProfile): StereoCost {
  checkWork(w);
  const half = halfResolutionWork(w);
  const cost = predictStereoCost(half, profile);
  return { ...cost, note: cost.note.replace(`SGM ${size(half)}`, `SGM ${size(half)} scaled up to ${w.width}x${w.height}`) };
}

const BY_RESOLUTION: Record<MatcherResolution, (w: StereoWork, profile: HardwareProfile) => StereoCost> = {
  coarse_to_fine: predictCoarseToFineCost,
  full: predictStereoCost,
  half: predictHalfResolutionCost,
};

/** Cost of one pair with the matcher the configuration selects (depth.stereo_resolution). */
export function predictMatcherCost(w: StereoWork, profile: HardwareProfile, resolution: MatcherResolution): StereoCost {
  return BY_RESOLUTION[resolution](w, profile);
}
