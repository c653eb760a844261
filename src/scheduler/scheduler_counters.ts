// What the deadline scheduler counts about its decisions (sets received, completed, missed, shed
// by reason, per rung, ladder steps), kept apart from the decisions themselves. Only ever grows:
// a reader that wants "since last time" keeps its own previous snapshot.
import type { DegradationPlan } from './degradation';
import { SHED_REASONS, type ShedReason } from './outcomes';

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
}
