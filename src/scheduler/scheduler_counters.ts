// What the deadline scheduler counts about its decisions (sets received, completed, missed, shed
// by reason, per rung, ladder steps), kept apart from the decisions themselves. Only ever grows:
// a reader that wants "since last time" keeps its own previous snapshot.
import type { DegradationPlan } from './degradation';
import type { LatencyWindow } from './latency_window';
import { SHED_REASONS, type SchedulerStats, type ShedReason, type StatusContext } from './outcomes';
import type { ResourceUse } from './resource_timeline';
import type { SchedulerOptions, StageOptions } from './scheduler_options';

/** What a stats snapshot needs from the rest of the scheduler. */
export interface SnapshotParts {
  pending: number;
  /** Each stage with its measured times (per camera for a perCamera stage) and current budget. */
  stages: Array<{ stage: StageOptions; window: LatencyWindow; budgetMs: number }>;
  cameras: number;
  resources: ResourceUse[];
  latency: LatencyWindow;
}

export class SchedulerCounters {
  received = 0;
  completed = 0;
  misses = 0;
  /** Host time: completed sets that were probes. */
  probes = 0;
  /** Host time: the stages were warmed up before the first set was admitted. */
  warmedUp = false;
  maxPending = 0;
  readonly shed: Record<ShedReason, number> = { superseded: 0, deadline_passed: 0, insufficient_slack: 0 };
  readonly rungs: Record<string, number> = {};
  readonly steps = { down: 0, up: 0 };
  lastPlan: DegradationPlan | undefined;
  /** Measured time of the last completed set's stages, ms. */
  lastMeasuredTotalMs = 0;

  get shedTotal(): number {
    return SHED_REASONS.reduce((s, r) => s + this.shed[r], 0);
  }

  /** A set completed with `plan` (met or missed its deadline: `met`). */
  completedWith(plan: DegradationPlan, met: boolean, probe: boolean): void {
    this.completed++;
    if (!met) this.misses++;
    if (probe) this.probes++;
    this.rungs[plan.rung] = (this.rungs[plan.rung] ?? 0) + 1;
    const last = this.lastPlan?.level ?? 0;
    if (plan.level > last) this.steps.down++;
    if (plan.level < last) this.steps.up++;
    this.lastPlan = plan;
  }

  /** The counters with the stage, resource and latency figures of `p`, as one SchedulerStats. */
  snapshot(p: SnapshotParts): SchedulerStats {
    return {
      received: this.received,
      completed: this.completed,
      deadlineMisses: this.misses,
      shed: { ...this.shed },
      shedTotal: this.shedTotal,
      probes: this.probes,
      warmedUp: this.warmedUp,
      rungs: { ...this.rungs },
      lastRung: this.lastPlan?.rung ?? 'full',
      stepsDown: this.steps.down,
      stepsUp: this.steps.up,
      pending: p.pending,
      maxPending: this.maxPending,
      stages: p.stages.map(({ stage: s, window: w, budgetMs }) => {
        const scale = s.perCamera ? p.cameras : 1;
        return {
          name: s.name,
          configuredMs: s.budgetMs,
          budgetMs,
          lastMs: w.last * scale,
          p50Ms: w.quantile(0.5) * scale,
          p90Ms: w.quantile(0.9) * scale,
          p99Ms: w.quantile(0.99) * scale,
          samples: w.total,
        };
      }),
      resources: p.resources,
      latency: {
        lastMs: p.latency.last,
        p50Ms: p.latency.quantile(0.5),
        p90Ms: p.latency.quantile(0.9),
        p99Ms: p.latency.quantile(0.99),
      },
    };
  }

  /** The status context of a scheduler with options `o`, deadline `deadlineMs` and full plan `fullPlanMs`. */
  statusContext(o: SchedulerOptions, deadlineMs: number, fullPlanMs: number): StatusContext {
    const detect = this.lastPlan?.detectCameras ?? 'all';
    return {
      timeMode: o.timeMode,
      profile: o.profile,
      periodMs: 1e3 / o.rateHz,
      deadlineMs,
      predictedTotalMs: fullPlanMs,
      measuredTotalMs: this.lastMeasuredTotalMs,
      detectCameras: detect === 'all' ? [...o.cameras] : detect,
    };
  }
}
