// Cost of semi-global stereo matching from its work: the cost volume (pixels x disparities) and
// its passes, on the resource the profile places stereo on.
//
// Work, counted from the matcher in src/depth/sgm_*.ts (5x5 Census, the matcher's default paths, WTA, left-right
// check, sub-pixel, speckles):
// - per cost-volume cell (pixel x disparity), in 16-bit SIMD lanes: Hamming cost (xor +
//   popcount, 2), per aggregation path the recurrence L = C + min(L[d], L[d±1] + P1,
//   min L + P2) - min L plus the running minimum and the sum into the aggregate (8), the
//   winner-take-all compare/select (2) and the right-image minimum for the left-right check (2);
// - per pixel, scalar: the 5x5 Census descriptor (24 compares + 24 shift/or), uniqueness,
//   sub-pixel parabola, left-right check and speckle labelling (~80 ops in all).
// Time on the CPU = cell ops / (cores x lanes x SIMD ops per cycle x clock x achieved fraction)
//                 + pixel ops / (cores x clock x pixel fraction) + a fixed cost per pair.
// The two fractions and the fixed cost are what a measurement calibrates (stereo_probe.ts fits
// them to timed runs at sizes other than the ones the bench checks). Measured on the x86 host,
// cost per cell and cost per pixel each stay constant across sizes; the fixed cost is worker
// dispatch, which shows at small images.
// On the NPU, the cell ops run at the NPU's op rate (peak x utilisation) and the per-pixel
// passes stay on the CPU cores.
import { parseStereoOptions } from '../depth/stereo_options';
import { npuPeakMacsPerSec, type HardwareProfile } from './hardware_profile';

/** The matcher's default aggregation paths (each path costs about 8 ops per cell). */
export const SGM_PATHS = parseStereoOptions({ numDisparities: 64 }).paths;
export const OPS_PER_CELL = 2 + SGM_PATHS * 8 + 2 + 2;
export const OPS_PER_PIXEL = 80;
/** Census costs and path sums are 16-bit: lanes per SIMD register = bits / 16. */
export const LANE_BITS = 16;

export interface StereoWork {
  width: number;
  height: number;
  disparities: number;
}

export interface StereoCost {
  ms: number;
  device: 'cpu' | 'npu';
  cellOps: number;
  pixelOps: number;
  /** How it was costed, for the budget table. */
  note: string;
}

/** Cost of one rectified pair on `profile`. Throws a RangeError naming a non-positive size. */
export function predictStereoCost(w: StereoWork, profile: HardwareProfile): StereoCost {
  for (const [key, v] of Object.entries(w)) {
    if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`stereo ${key} = ${v}; expected a positive integer`);
  }
  const pixels = w.width * w.height;
  const cellOps = pixels * w.disparities * OPS_PER_CELL;
  const pixelOps = pixels * OPS_PER_PIXEL;
  const c = profile.cpu;
  const s = profile.stereo;
  const cycles = c.cores.value * c.clockGHz.value * 1e9;
  const pixelMs = (pixelOps / (cycles * s.pixelFraction.value)) * 1e3 + s.perPairOverheadUs.value / 1e3;
  const size = `${w.width}x${w.height}x${w.disparities}`;
  const pixelNote = `${(pixelOps / 1e6).toFixed(1)} Mop per-pixel at ${s.pixelFraction.value.toFixed(2)} of ${c.cores.value} cores x ${c.clockGHz.value.toFixed(2)} GHz, ${(s.perPairOverheadUs.value / 1e3).toFixed(2)} ms fixed`;
  if (s.device.value === 'npu') {
    const npuOpsPerSec = 2 * npuPeakMacsPerSec(profile) * profile.npu.utilization.value;
    const ms = (cellOps / npuOpsPerSec) * 1e3 + pixelMs;
    return { ms, device: 'npu', cellOps, pixelOps, note: `SGM ${size}: ${(cellOps / 1e9).toFixed(2)} Gop cells on NPU; ${pixelNote}` };
  }
  const lanes = c.simdBits.value / LANE_BITS;
  const cellRate = cycles * lanes * c.simdOpsPerCycle.value * s.achievedFraction.value;
  return {
    ms: (cellOps / cellRate) * 1e3 + pixelMs,
    device: 'cpu',
    cellOps,
    pixelOps,
    note: `SGM ${size}: ${(cellOps / 1e9).toFixed(2)} Gop at ${s.achievedFraction.value.toFixed(2)} of ${lanes} lanes x ${c.simdOpsPerCycle.value}/cycle; ${pixelNote}`,
  };
}
