// Target-time stages of the whole pipeline on a hardware profile, costed by the same frame budget
// `dx-perception profile` prints (the detector and learned depth from their ONNX graphs, stereo
// and its half-resolution rung from their cost volumes, fusion and publishing from counted work),
// each on the resource it occupies, so the scheduler can overlap successive frame sets across
// the NPU, the CPU cores and the scaler.
import { resolveModelPath } from '../depth/mono_depth';
import { frameBudget, DEFAULT_STEREO } from '../profile/frame_budget';
import { loadHardwareProfile, type HardwareProfile } from '../profile/hardware_profile';
import { analyzeModel } from '../profile/model_analysis';
import { predictCost } from '../profile/cost_model';
import { learnedDepthCost, stereoRungs } from '../profile/pipeline_costs';
import type { MatcherResolution } from '../profile/stereo_cost';
import type { RungName, SchedulerOptionsInput, StageOptionsInput } from '../scheduler/scheduler_options';
import type { PerceptionConfig } from '../config/config_schema';
import { schedulerOptions } from '../config/stage_options';
import { profileResources, stagesFromFrameBudget } from '../scheduler/stage_budgets';

export interface BudgetInputs {
  profile: HardwareProfile;
  cameras: number;
  rateHz: number;
  /** ONNX detector path, or undefined when the pipeline runs without detection. */
  detectorPath?: string;
  learnedDepth: boolean;
  /** ONNX learned-depth model (resolved path), costed from its graph; without it the profile's assumption. */
  learnedDepthModel?: string;
  /** Rectified pairs matched per set, and the disparities searched (config depth.*). */
  stereoPairs: number;
  disparities: number;
  /** The matcher (config depth.stereo_resolution; default the matcher's own). */
  stereoResolution?: MatcherResolution;
  pointStride: number;
}

/** The scheduler's stages and resource sizes for `i`. */
export interface PipelineStages {
  stages: StageOptionsInput[];
  /** Units of each resource: the profile's CPU cores; one NPU, one scaler. */
  resources: Record<string, number>;
  /** Full-resolution stereo alone exceeds the period on the profile (so it cannot run every set). */
  stereoExceedsPeriod: boolean;
}

/** The scheduler's stages, in pipeline order, with their target-time budgets and resources. */
export function pipelineStages(i: BudgetInputs): PipelineStages {
  let detector;
  let inputPixels;
  if (i.detectorPath) {
    const analysis = analyzeModel(i.detectorPath);
    const shape = analysis.inputs[0]?.shape ?? [];
    inputPixels = (shape[2] ?? 0) * (shape[3] ?? 0);
    detector = predictCost(analysis, i.profile);
  }
  const stereo = { ...DEFAULT_STEREO, disparities: i.disparities };
  const learned =
    i.learnedDepth && i.learnedDepthModel ? learnedDepthCost(i.learnedDepthModel, i.profile, i.cameras, i.stereoPairs) : undefined;
  const budget = frameBudget(i.profile, detector, {
    cameras: i.cameras,
    rateHz: i.rateHz,
    inputPixels,
    learnedDepth: i.learnedDepth,
    learnedDepthCost: learned,
    stereo,
    stereoResolution: i.stereoResolution,
    stereoPairs: i.stereoPairs,
    pointStride: i.pointStride,
  });
  // Stereo's half-resolution rung is costed from its own cost volume: where full resolution
  // exceeds the period (SGM on DX-V3's cores), admission picks the rung from these budgets.
  const rungs = stereoRungs(i.profile, stereo, i.stereoPairs, budget.periodMs, i.stereoResolution);
  const stages = stagesFromFrameBudget(budget).map((s) =>
    s.name === 'stereo_depth' ? { ...s, rungBudgetsMs: { stereo_half_resolution: rungs.halfMs } } : s,
  );
  return { stages, resources: profileResources(i.profile), stereoExceedsPeriod: rungs.matcherExceedsPeriod };
}

/**
 * The ladder with stereo_half_resolution first. Where full-resolution stereo cannot keep up with
 * the period, every set needs that rung; the ladder is cumulative, so behind skip_learned_depth
 * and detect_subset_round_robin it would also cost every set its side-camera depth and half its
 * detections, which the costed budget does not call for.
 */
function stereoFirst(ladder: readonly RungName[]): RungName[] {
  return ladder.includes('stereo_half_resolution')
    ? ['stereo_half_resolution', ...ladder.filter((r) => r !== 'stereo_half_resolution')]
    : [...ladder];
}

/** The scheduler's options for `config`: its scheduler keys, the rig and the profile's costed stages. */
export function schedulerOptionsFor(
  config: PerceptionConfig,
  pipeline: { hasDetector: boolean; hasLearnedDepth: boolean },
): SchedulerOptionsInput {
  const sc = config.scheduler;
  const profile = loadHardwareProfile(sc.profile);
  const { stages, resources, stereoExceedsPeriod } = pipelineStages({
    profile,
    cameras: config.cameras.length,
    rateHz: sc.rate_hz,
    detectorPath: pipeline.hasDetector ? config.detection.model_path : undefined,
    learnedDepth: pipeline.hasLearnedDepth,
    learnedDepthModel: pipeline.hasLearnedDepth ? resolveModelPath(config.depth.learned_model_path) : undefined,
    stereoPairs: config.depth.stereo_pairs.length,
    disparities: config.depth.num_disparities,
    stereoResolution: config.depth.stereo_resolution,
    pointStride: config.depth.point_stride,
  });
  const options = schedulerOptions(config, profile.name, stages, resources);
  // Host time measures this machine's stereo; the profile's cost says nothing about it.
  return sc.time_mode === 'target' && stereoExceedsPeriod ? { ...options, ladder: stereoFirst(sc.ladder) } : options;
}
