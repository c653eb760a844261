// Target-time stages of the whole pipeline on a hardware profile, costed by the profile's frame
// budget (the detector from the ONNX cost model when one is configured, stereo from its cost
// volume, fusion and publishing from counted work), each on the resource it occupies, so the
// scheduler can overlap successive frame sets across the NPU, the CPU cores and the scaler.
import { frameBudget, DEFAULT_STEREO } from '../profile/frame_budget';
import { loadHardwareProfile, type HardwareProfile } from '../profile/hardware_profile';
import { analyzeModel } from '../profile/model_analysis';
import { predictCost } from '../profile/cost_model';
import { predictStereoCost } from '../profile/stereo_cost';
import type { SchedulerOptionsInput, StageOptionsInput } from '../scheduler/scheduler_options';
import type { PerceptionConfig } from './config_schema';
import { schedulerOptions } from './stage_options';
import { profileResources, stagesFromFrameBudget } from '../scheduler/stage_budgets';

export interface BudgetInputs {
  profile: HardwareProfile;
  cameras: number;
  rateHz: number;
  /** ONNX detector path, or undefined when the pipeline runs without detection. */
  detectorPath?: string;
  learnedDepth: boolean;
  /** Rectified pairs matched per set, and the disparities searched (config depth.*). */
  stereoPairs: number;
  disparities: number;
  pointStride: number;
}

/** The scheduler's stages and resource sizes for `i`. */
export interface PipelineStages {
  stages: StageOptionsInput[];
  /** Units of each resource: the profile's CPU cores; one NPU, one scaler. */
  resources: Record<string, number>;
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
  const budget = frameBudget(i.profile, detector, {
    cameras: i.cameras,
    rateHz: i.rateHz,
    inputPixels,
    learnedDepth: i.learnedDepth,
    stereo,
    stereoPairs: i.stereoPairs,
    pointStride: i.pointStride,
  });
  // The half-resolution rung matches a quarter of the pixels over half the disparities (rounded
  // up to the matcher's 16), as planRungs does.
  const half = { width: stereo.width / 2, height: stereo.height / 2, disparities: Math.ceil(stereo.disparities / 2 / 16) * 16 };
  const costedMs = predictStereoCost(stereo, i.profile).ms * i.stereoPairs;
  const halfMs = predictStereoCost(half, i.profile).ms * i.stereoPairs;
  // Stereo keeps the profile's flat budget, its half-resolution rung the costed saving: costed SGM
  // on DX-V3's cores (~68 ms at 640x480x64) exceeds the 33 ms period on its own, and neither
  // superseding every other set nor running every set at half resolution (demo MOTA 0.18 -> -0.37)
  // is the robot's behaviour to replay until the matcher is faster (issue 14).
  const flatMs = i.profile.stageBudgetsMs.stereoDepth.value;
  const stages = stagesFromFrameBudget(budget).map((s) =>
    s.name === 'stereo_depth' ? { ...s, budgetMs: flatMs, rungBudgetsMs: { stereo_half_resolution: (flatMs * halfMs) / costedMs } } : s,
  );
  return { stages, resources: profileResources(i.profile) };
}

/** The scheduler's options for `config`: its scheduler keys, the rig and the profile's costed stages. */
export function schedulerOptionsFor(
  config: PerceptionConfig,
  pipeline: { hasDetector: boolean; hasLearnedDepth: boolean },
): SchedulerOptionsInput {
  const sc = config.scheduler;
  const profile = loadHardwareProfile(sc.profile);
  const { stages, resources } = pipelineStages({
    profile,
    cameras: config.cameras.length,
    rateHz: sc.rate_hz,
    detectorPath: pipeline.hasDetector ? config.detection.model_path : undefined,
    learnedDepth: pipeline.hasLearnedDepth,
    stereoPairs: config.depth.stereo_pairs.length,
    disparities: config.depth.num_disparities,
    pointStride: config.depth.point_stride,
  });
  return schedulerOptions(config, profile.name, stages, resources);
}
