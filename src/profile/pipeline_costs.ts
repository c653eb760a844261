// The costings `profile` prints and the scheduler budgets with, in one place: learned depth from
// its ONNX graph on the cameras without a stereo partner, and stereo at full resolution and at
// the ladder's stereo_half_resolution rung (matched coarse-to-fine), from their work.
import { predictCost, type ModelCost } from './cost_model';
import type { HardwareProfile } from './hardware_profile';
import { analyzeModel } from './model_analysis';
import { halfResolutionWork, predictCoarseToFineCost, predictStereoCost, type StereoWork } from './stereo_cost';

export { halfResolutionWork };

/** Cameras that run learned depth: those outside the stereo pairs (at least one). */
export const learnedDepthCameras = (cameras: number, stereoPairs: number): number => Math.max(1, cameras - 2 * stereoPairs);

/** The learned-depth model's cost on `profile`, one batch of the cameras without a stereo partner. */
export function learnedDepthCost(modelPath: string, profile: HardwareProfile, cameras: number, stereoPairs: number): ModelCost {
  return predictCost(analyzeModel(modelPath), profile, { batch: learnedDepthCameras(cameras, stereoPairs) });
}

export interface StereoRungs {
  full: StereoWork;
  half: StereoWork;
  /** All pairs of a frame set, ms. */
  fullMs: number;
  halfMs: number;
  /** Whether full-resolution stereo alone exceeds the period (then admission runs the half rung). */
  fullExceedsPeriod: boolean;
}

export function stereoRungs(profile: HardwareProfile, full: StereoWork, pairs: number, periodMs: number): StereoRungs {
  const half = halfResolutionWork(full);
  const fullMs = predictStereoCost(full, profile).ms * pairs;
  return { full, half, fullMs, halfMs: predictCoarseToFineCost(full, profile).ms * pairs, fullExceedsPeriod: fullMs > periodMs };
}

/** The plan's sentence about stereo on the period, naming the rung admission chooses when full resolution cannot keep up. */
export function stereoRungNote(r: StereoRungs, periodMs: number): string {
  const size = (w: StereoWork) => `${w.width}x${w.height}x${w.disparities}`;
  const half = `stereo_half_resolution rung (${size(r.half)} refined at full resolution: ${r.halfMs.toFixed(2)} ms, saving ${(r.fullMs - r.halfMs).toFixed(2)} ms)`;
  return r.fullExceedsPeriod
    ? `Stereo at ${size(r.full)} (${r.fullMs.toFixed(2)} ms) alone exceeds the ${periodMs.toFixed(1)} ms period: admission runs the ${half}.`
    : `Stereo at ${size(r.full)} fits the period (${r.fullMs.toFixed(2)} ms of ${periodMs.toFixed(1)} ms); the ${half} when a set runs late.`;
}
