// Public surface of the deadline scheduler.
export { HostClock, VirtualClock, type Clock } from './clock';
export { DeadlineScheduler } from './deadline_scheduler';
export {
  SHED_REASONS,
  type CompletedOutcome,
  type Outcome,
  type SchedulerHooks,
  type SchedulerStats,
  type ShedOutcome,
  type ShedReason,
  type StageExecutor,
  type StageStats,
  type StageTimings,
  type StatusContext,
} from './outcomes';
export { ResourceTimeline, type ResourceUse, type TimedStage } from './resource_timeline';
export { type DegradationPlan } from './degradation';
export { LatencyWindow } from './latency_window';
export { LatestMailbox } from './latest_mailbox';
export {
  RUNGS,
  parseSchedulerOptions,
  schedulerOptionsSchema,
  stageOptionsSchema,
  type RungName,
  type SchedulerOptions,
  type SchedulerOptionsInput,
  type StageOptions,
  type StageOptionsInput,
} from './scheduler_options';
export { profileResources, stagesFromFrameBudget } from './stage_budgets';
