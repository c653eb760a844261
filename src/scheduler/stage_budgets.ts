// Target-time stage budgets from a hardware profile's frame budget (cost model for the detector,
// profile assumptions for the other stages), in the form the scheduler's options take.
import type { FrameBudget } from '../profile/frame_budget';
import type { StageOptions } from './scheduler_options';

/** One scheduler stage per frame-budget stage, same names, budgets and per-camera scaling. */
export function stagesFromFrameBudget(budget: FrameBudget): StageOptions[] {
  return budget.stages.map((s) => ({ name: s.name, budgetMs: s.ms, perCamera: s.perCamera }));
}
