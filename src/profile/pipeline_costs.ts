// The costings `profile` prints and the scheduler budgets with, in one place: learned depth from
// its ONNX graph on the cameras without a stereo partner, and stereo with the configured matcher
// (depth.stereo_resolution) and at the ladder's stereo_half_resolution rung (half resolution
// alone), from their work.
import { predictCost, type ModelCost } from './cost_model';
import type { HardwareProfile } from './hardware_profile';
import { analyzeModel } from './model_analysis';
import {
  DEFAULT_MATCHER_RESOLUTION,
  halfResolutionWork,
  predictHalfResolutionCost,
  predictMatcherCost,
  type MatcherResolution,
  type StereoWork,
} from './stereo_cost';

export { halfResolutionWork };

/** Cameras that run learned depth: those outside the stereo pairs (at least one). */
export const learnedDepthCameras = (cameras: number, stereoPairs: number): number => Math.max(1, cameras - 2 * stereoPairs);

/** The learned-depth model's cost on `profile`, one batch of the cameras without a stereo partner. */
export function learnedDepthCost(modelPath: string, profile: HardwareProfile, cameras: number, stereoPairs: number): ModelCost {
  return predictCost(analyzeModel(modelPath), profile, { batch: learnedDepthCameras(cameras, stereoPairs) });
}

export interface StereoRungs {
  /** The cost volume at camera size, and the configured matcher's resolution. */
  work: StereoWork;
  resolution: MatcherResolution;
  half: StereoWork;
  /** All pairs of a frame set, ms: with the configured matcher, and at the rung. */
  matcherMs: number;
  halfMs: number;
  /** Whether the configured matcher alone exceeds the period (then admission runs the half rung). */
  matcherExceedsPeriod: boolean;
}

export function stereoRungs(
  profile: HardwareProfile,
  work: StereoWork,
  pairs: number,
  periodMs: number,
  resolution: MatcherResolution = DEFAULT_MATCHER_RESOLUTION,
): StereoRungs {
  const matcherMs = predictMatcherCost(work, profile, resolution).ms * pairs;
  const halfMs = predictHalfResolutionCost(work, profile).ms * pairs;
  return { work, resolution, half: halfResolutionWork(work), matcherMs, halfMs, matcherExceedsPeriod: matcherMs > periodMs };
}

/** The plan's sentence about stereo on the period, naming the rung admission chooses when full resolution cannot keep up. */
export function stereoRungNote(r: StereoRungs, periodMs: number): string {
  const size = (w: StereoWork) => `${w.width}x${w.height}x${w.disparities}`;
  const half = `stereo_half_resolution rung (${size(r.half)} alone, scaled up: ${r.halfMs.toFixed(2)} ms, saving ${(r.matcherMs - r.halfMs).toFixed(2)} ms)`;
  const matcher = `Stereo at ${size(r.work)} (${r.resolution.replaceAll('_', '-')})`;
  return r.matcherExceedsPeriod
    ? `${matcher} (${r.matcherMs.toFixed(2)} ms) alone exceeds the ${periodMs.toFixed(1)} ms period: admission runs the ${half}.`
    : `${matcher} fits the period (${r.matcherMs.toFixed(2)} ms of ${periodMs.toFixed(1)} ms); the ${half} when a set runs late.`;
}
