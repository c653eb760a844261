// Admission: which rung of the ladder a frame set can run so that it is predicted to finish by its
// deadline, and whether it can finish at all behind the work already admitted.
// - Target time: the stages run on the profile's resources (NPU, CPU cores, scaler), simulated by
//   a ResourceTimeline; a set's finish is where its last stage ends on the timeline, so
//   successive sets overlap across resources.
// - Host time: the same, on this process's resources (host_resources.ts: the main thread, the
//   stereo workers, the detector's worker), with measured stage budgets (HostBudgets); the
//   timeline holds predictions, and starts again from what happened whenever the pipeline is idle.
import type { Nanos } from '../msgs/time';
import { ladderEffects, makePlan, planShape, RoundRobinSubset, rungFor, type DegradationPlan } from './degradation';
import { HostBudgets } from './host_budgets';
import { GapTimeline } from './gap_timeline';
import { hostTimed, hostUse } from './host_resources';
import { ResourceTimeline, type TimedStage } from './resource_timeline';
import type { RungName, SchedulerOptions, StageOptions } from './scheduler_options';

export const msToNs = (ms: number): Nanos => BigInt(Math.round(ms * 1e6));
export const nsToMs = (ns: Nanos): number => Number(ns) / 1e6;

export class Admission {
  readonly #o: SchedulerOptions;
  readonly effects: ReturnType<typeof ladderEffects>;
  readonly subset: RoundRobinSubset;
  readonly host: HostBudgets;
  /** Target time: reservations of the profile's resources. Host time: predicted use of this host's. */
  readonly timeline: ResourceTimeline | GapTimeline;

  constructor(o: SchedulerOptions) {
    this.#o = o;
    this.effects = ladderEffects(o.ladder);
    this.subset = new RoundRobinSubset(o.cameras, o.detectSubsetSize ?? Math.ceil(o.cameras.length / 2));
    this.host = new HostBudgets(o);
    this.timeline =
      o.timeMode === 'target'
        ? new ResourceTimeline(
            o.resources,
            o.stages.map((s) => s.resource),
          )
        : new GapTimeline();
  }

  get #hostTime(): boolean {
    return this.#o.timeMode === 'host';
  }

  /** The budget of a stage now, all cameras, ms (at `rung` when it makes the stage cheaper; host time: in a plan of `shape`). */
  stageBudgetMs(stage: StageOptions, rung?: RungName, shape?: string): number {
    if (this.#hostTime) return this.host.budgetMs(stage, rung, shape);
    return rung === undefined ? stage.budgetMs : (stage.rungBudgetsMs[rung] ?? stage.budgetMs);
  }

  /** The plan for ladder level `level` (0 = full) with the current budgets and round-robin subset. */
  planFor(level: number): DegradationPlan {
    const o = this.#o;
    return makePlan(
      level,
      o.ladder,
      this.effects[level],
      o.stages,
      (s, rung, shape) => this.stageBudgetMs(s, rung, shape),
      o.cameras,
      this.subset.peek(),
    );
  }

  /**
   * Host time's warm-up plans: one per plan shape of the ladder (the full pipeline, learned depth
   * skipped, stereo at half resolution with its own matcher and workers, ...). Each is measured
   * warm at camera size before the first admission, so no rung's budget is a cold run or a guess.
   */
  warmUpPlans(): DegradationPlan[] {
    const byShape = new Map<string, DegradationPlan>();
    this.effects.forEach((_, level) => {
      const plan = this.planFor(level);
      const shape = this.#shapeOf(plan);
      if (!byShape.has(shape)) byShape.set(shape, plan);
    });
    return [...byShape.values()];
  }

  #shapeOf(plan: DegradationPlan): string {
    return planShape(
      this.#o.stages.filter((s) => plan.stages.includes(s.name)),
      this.effects[plan.level],
    );
  }

  /** Adds measured stage times of `plan` to the host budgets (at the rung each stage ran at); returns their sum. */
  measured(plan: DegradationPlan, timings: Readonly<Record<string, number>>): number {
    return this.host.add(plan, this.#shapeOf(plan), timings, (s) => rungFor(s, this.effects[plan.level]));
  }

  /** The most degraded plan of the ladder. */
  cheapest(): DegradationPlan {
    return this.planFor(this.effects.length - 1);
  }

  /** `plan`'s stages on the resources of the time mode. */
  timed(plan: DegradationPlan): TimedStage[] {
    return this.#hostTime ? hostTimed(plan) : plan.timed;
  }

  /** When a set would finish at the cheapest rung behind the work in progress and `ahead` waiting sets due before it. */
  cheapestFinish(ahead: number, now: Nanos): Nanos {
    const cheapest = this.timed(this.cheapest());
    const trial = this.timeline.clone();
    for (let i = 0; i < ahead; i++) trial.reserve(cheapest, now);
    return trial.predictFinish(cheapest, now) + msToNs(this.#o.admissionMarginMs);
  }

  /** When `plan` started at `start` would finish, behind the sets in flight, on the resource timeline. */
  predictFinish(plan: DegradationPlan, start: Nanos): Nanos {
    return this.timeline.predictFinish(this.timed(plan), start);
  }

  /**
   * The plan a set dispatched at `startedAt` runs, or undefined when none fits its deadline: a
   * shed-only probe's (see HostBudgets.shedOnly), else the least-degraded that fits, replaced by
   * the full rung when a stage it leaves out is due for a probe (host time).
   */
  dispatchPlan(deadline: Nanos, startedAt: Nanos, shedOnlyProbe: boolean): { plan: DegradationPlan; probe: boolean } | undefined {
    if (shedOnlyProbe) {
      const plan = this.cheapest();
      this.host.forget(plan, (s) => rungFor(s, this.effects[plan.level]));
      return { plan, probe: true };
    }
    const plan = this.choose(deadline, startedAt);
    if (!plan) return undefined;
    return this.#hostTime && this.host.probeDue(plan) ? { plan: this.planFor(0), probe: true } : { plan, probe: false };
  }

  /**
   * A set ran `plan` with the stage times `timings`: they join the budgets. Host time: they count
   * to the resources' utilisation, and when no other set is in flight (`idle`), every resource is
   * free from `finishedAt`, whatever was predicted. Returns the stage times' sum.
   */
  ran(plan: DegradationPlan, timings: Readonly<Record<string, number>>, finishedAt: Nanos, idle: boolean): number {
    this.host.completed(plan);
    if (this.timeline instanceof GapTimeline) {
      this.timeline.used(hostUse(timings), finishedAt);
      if (idle) this.timeline.freeFrom(finishedAt);
    }
    return this.measured(plan, timings);
  }

  /** The least-degraded plan predicted to finish by `deadline` (minus the margin), preferring one that keeps up. */
  choose(deadline: Nanos, startedAt: Nanos): DegradationPlan | undefined {
    const latest = deadline - msToNs(this.#o.admissionMarginMs);
    const fits = (p: DegradationPlan) => this.predictFinish(p, startedAt) <= latest;
    const plans = this.effects.map((_, level) => this.planFor(level));
    return plans.find((p) => fits(p) && this.#keepsUp(p)) ?? plans.find(fits);
  }

  /**
   * Target time: whether every set could run `plan` (no resource busier than the period). A rung
   * that makes its own deadline but not the period would supersede the next set, so admission
   * prefers the first rung that keeps up (stereo at half resolution on DX-V3's cores).
   */
  #keepsUp(plan: DegradationPlan): boolean {
    if (this.#hostTime) return true;
    const busy = new Map<string, number>();
    for (const s of plan.timed) busy.set(s.resource, (busy.get(s.resource) ?? 0) + s.ms * s.units);
    const periodMs = 1e3 / this.#o.rateHz;
    return [...busy].every(([r, ms]) => ms / (this.#o.resources[r] ?? 1) <= periodMs);
  }
}
