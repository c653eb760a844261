// What the deadline scheduler decides about each frame set, and the statistics it keeps.
import type { Nanos } from '../msgs/time';
import type { DegradationPlan } from './degradation';
import type { ResourceUse } from './resource_timeline';

export const SHED_REASONS = ['superseded', 'deadline_passed', 'insufficient_slack'] as const;
export type ShedReason = (typeof SHED_REASONS)[number];

/** Measured wall time per stage name, ms, as reported by the executor. */
export type StageTimings = Readonly<Record<string, number>>;

/** Runs one frame set's stages as `plan` says. Must resolve with the stage times it measured. */
export type StageExecutor<T> = (item: T, plan: DegradationPlan, deadline: Nanos) => Promise<StageTimings>;

export interface CompletedOutcome<T> {
  kind: 'completed';
  item: T;
  stamp: Nanos;
  deadline: Nanos;
  /** When the set was offered (its wait in the mailbox is startedAt - offeredAt). */
  offeredAt: Nanos;
  plan: DegradationPlan;
  startedAt: Nanos;
  finishedAt: Nanos;
  /** finishedAt - stamp, ms. */
  latencyMs: number;
  met: boolean;
  /** Host time: run at the full rung to re-measure stages the ladder had left out (see probeIntervalSets). */
  probe: boolean;
  timings: StageTimings;
}

export interface ShedOutcome<T> {
  kind: 'shed';
  item: T;
  stamp: Nanos;
  deadline: Nanos;
  reason: ShedReason;
  offeredAt: Nanos;
  at: Nanos;
  /** What admission predicted for the set's finish at the rung it last tried (insufficient_slack), ns. */
  predictedFinish?: Nanos;
}

export type Outcome<T> = CompletedOutcome<T> | ShedOutcome<T>;

export interface StageStats {
  name: string;
  /** Configured (profile) budget for all cameras, ms. */
  configuredMs: number;
  /** Budget admission uses now, ms (configured, or the measured quantile in host time). */
  budgetMs: number;
  lastMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  samples: number;
}

export interface SchedulerStats {
  received: number;
  completed: number;
  deadlineMisses: number;
  shed: Record<ShedReason, number>;
  shedTotal: number;
  /** Host time: completed sets that were probes (see probeIntervalSets). */
  probes: number;
  /** Host time: whether the stages were warmed up and measured before the first set was admitted. */
  warmedUp: boolean;
  /** Completed sets per rung ('full' and ladder rungs). */
  rungs: Record<string, number>;
  lastRung: string;
  /** Times the ladder stepped to a more degraded rung, and back to a less degraded one. */
  stepsDown: number;
  stepsUp: number;
  pending: number;
  /** Most sets ever waiting at once (bounded by mailboxDepth). */
  maxPending: number;
  stages: StageStats[];
  /** Target time: each resource's share of the simulated time it was busy (host time: one executor). */
  resources: ResourceUse[];
  latency: { lastMs: number; p50Ms: number; p90Ms: number; p99Ms: number };
}

/** What a status report needs from the scheduler besides its SchedulerStats. */
export interface StatusContext {
  timeMode: 'target' | 'host';
  /** The hardware profile the target-time budgets came from. */
  profile: string;
  periodMs: number;
  deadlineMs: number;
  predictedTotalMs: number;
  measuredTotalMs: number;
  /** Cameras the last plan ran detection on. */
  detectCameras: string[];
}

export interface SchedulerHooks<T> {
  /** Called for every completion and every shed, in decision order. */
  onOutcome?: (o: Outcome<T>) => void;
}
