// Target-time stage budgets from a hardware profile's frame budget (cost model for the detector,
// counted work for the other stages), in the form the scheduler's options take.
import type { FrameBudget } from '../profile/frame_budget';
import type { HardwareProfile } from '../profile/hardware_profile';
import type { StageOptionsInput } from './scheduler_options';

/** One scheduler stage per frame-budget stage, same names, budgets, per-camera scaling and resources. */
export function stagesFromFrameBudget(budget: FrameBudget): StageOptionsInput[] {
  return budget.stages.map((s) => ({ name: s.name, budgetMs: s.ms, perCamera: s.perCamera, resource: s.resource, units: s.cores }));
}

/** Units of the frame budget's resources on `profile`: its CPU cores, one accelerator, one scaler. */
export function profileResources(profile: HardwareProfile): Record<string, number> {
  return { cpu: profile.cpu.cores.value, accelerator: 1, scaler: 1 };
}
