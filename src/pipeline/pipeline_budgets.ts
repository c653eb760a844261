// Target-time stage budgets of the whole pipeline on a hardware profile: the detector's cost from
// the ONNX cost model (when a detector is configured), the other stages from the profile.
import { frameBudget } from '../profile/frame_budget';
import type { HardwareProfile } from '../profile/hardware_profile';
import { analyzeModel } from '../profile/model_analysis';
import { predictCost } from '../profile/cost_model';
import type { StageOptions } from '../scheduler/scheduler_options';
import { stagesFromFrameBudget } from '../scheduler/stage_budgets';

export interface BudgetInputs {
  profile: HardwareProfile;
  cameras: number;
  rateHz: number;
  /** ONNX detector path, or undefined when the pipeline runs without detection. */
  detectorPath?: string;
  learnedDepth: boolean;
}

/** The scheduler's stages, in pipeline order, with their target-time budgets. */
export function pipelineStages(i: BudgetInputs): StageOptions[] {
  const b = i.profile.stageBudgetsMs;
  if (i.detectorPath) {
    const analysis = analyzeModel(i.detectorPath);
    const shape = analysis.inputs[0]?.shape ?? [];
    const inputPixels = (shape[2] ?? 0) * (shape[3] ?? 0);
    const cost = predictCost(analysis, i.profile);
    // The replay keeps the profile's flat stereo, fuse and publish budgets for now: the frame
    // budget costs them from their work, and costed SGM on dx-v3 (tens of ms per pair) overloads
    // today's serial plan at 30 Hz; adopting it belongs with the pipelined, per-resource executor.
    const flat: Record<string, number> = { stereo_depth: b.stereoDepth.value, fuse: b.fuse.value, publish: b.publish.value };
    return stagesFromFrameBudget(frameBudget(i.profile, cost, { cameras: i.cameras, rateHz: i.rateHz, inputPixels, learnedDepth: i.learnedDepth }))
      .map((s) => (s.name in flat ? { ...s, budgetMs: flat[s.name] } : s));
  }
  return [
    { name: 'sync', budgetMs: b.sync.value, perCamera: false },
    { name: 'stereo_depth', budgetMs: b.stereoDepth.value, perCamera: false },
    ...(i.learnedDepth ? [{ name: 'learned_depth', budgetMs: b.learnedDepth.value, perCamera: false }] : []),
    { name: 'fuse', budgetMs: b.fuse.value, perCamera: false },
    { name: 'publish', budgetMs: b.publish.value, perCamera: false },
  ];
}
