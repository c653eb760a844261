// The fixed real-time deadline scheduler. Every frame set gets a deadline measured from its sensor
// stamp; it is either run (possibly degraded) so that it is predicted to finish by then, or shed
// with a counted reason, earliest deadline first.
//
// Decisions:
// - offer(): a set whose deadline has passed, or that cannot finish in time even at the cheapest
//   rung behind the work already running and the waiting sets with earlier deadlines, is shed at
//   once. Otherwise it waits in a bounded latest-only mailbox; a newer set evicts the oldest
//   ('superseded').
// - runNext(): takes the waiting set with the earliest deadline and picks the least-degraded rung
//   whose predicted finish fits its deadline (minus the admission margin); if none fits it is shed.
// - Target time: the stages run on the profile's resources (NPU, CPU cores, scaler), simulated by
//   a ResourceTimeline: a set is dispatched when its first stage's resource is free, so successive
//   sets overlap across resources, and its finish is where its last stage ends on the timeline.
//   The clock is a VirtualClock, so a replay makes the robot's decisions on the profiled hardware,
//   identically on every run and host.
//   Host time: the wall clock; the runner executes one set at a time, so admission treats the
//   pipeline as one resource, with stage budgets from measured quantiles once enough samples exist.
import type { Nanos } from '../msgs/time';
import { VirtualClock, type Clock } from './clock';
import { ladderEffects, makePlan, RoundRobinSubset, rungFor, type DegradationPlan } from './degradation';
import { HostBudgets } from './host_budgets';
import { LatencyWindow } from './latency_window';
import { LatestMailbox } from './latest_mailbox';
import {
  type CompletedOutcome,
  type Outcome,
  type SchedulerHooks,
  type SchedulerStats,
  type ShedOutcome,
  type ShedReason,
  type StageExecutor,
  type StageTimings,
  type StatusContext,
} from './outcomes';
import { ResourceTimeline, type TimedStage } from './resource_timeline';
import {
  parseSchedulerOptions,
  type RungName,
  type SchedulerOptions,
  type SchedulerOptionsInput,
  type StageOptions,
} from './scheduler_options';
import { SchedulerCounters } from './scheduler_counters';

export * from './outcomes';

interface Waiting<T> {
  item: T;
  stamp: Nanos;
  deadline: Nanos;
  seq: number;
}

/** Host time's single executor, on the timeline that reports its utilisation. */
const HOST = 'host';
const msToNs = (ms: number): Nanos => BigInt(Math.round(ms * 1e6));
const nsToMs = (ns: Nanos): number => Number(ns) / 1e6;
const earlierDeadline = <T>(a: Waiting<T>, b: Waiting<T>) => a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);

export class DeadlineScheduler<T> {
  readonly options: SchedulerOptions;
  readonly #clock: Clock;
  readonly #onOutcome: ((o: Outcome<T>) => void) | undefined;
  readonly #mailbox: LatestMailbox<Waiting<T>>;
  readonly #effects: ReturnType<typeof ladderEffects>;
  readonly #subset: RoundRobinSubset;
  readonly #host: HostBudgets;
  readonly #latency: LatencyWindow;
  #deadlineNs: Nanos;
  readonly #marginMs: number;
  /** Target time: reservations of the profile's resources. Host time: the executor's measured runs. */
  readonly #timeline: ResourceTimeline;
  #running = false;
  /** Host time: when the set in progress is predicted to finish. */
  #busyUntil: Nanos = 0n;
  #seq = 0;
  readonly #count = new SchedulerCounters();
  #wake: (() => void) | undefined;

  /**
   * `options` are validated (see schedulerOptionsSchema); throws naming the bad key. The clock's
   * mode must match options.timeMode, and target time needs a VirtualClock.
   */
  constructor(options: SchedulerOptionsInput, clock: Clock, hooks: SchedulerHooks<T> = {}) {
    this.options = parseSchedulerOptions(options);
    if (clock.mode !== this.options.timeMode || (this.options.timeMode === 'target' && !(clock instanceof VirtualClock))) {
      throw new Error(
        `DeadlineScheduler: timeMode "${this.options.timeMode}" needs ${this.options.timeMode === 'target' ? 'a VirtualClock' : 'a HostClock'}; got a ${clock.mode}-time clock`,
      );
    }
    const o = this.options;
    this.#clock = clock;
    this.#onOutcome = hooks.onOutcome;
    this.#mailbox = new LatestMailbox(o.mailboxDepth);
    this.#effects = ladderEffects(o.ladder);
    this.#subset = new RoundRobinSubset(o.cameras, o.detectSubsetSize ?? Math.ceil(o.cameras.length / 2));
    this.#host = new HostBudgets(o);
    this.#latency = new LatencyWindow(o.windowSize);
    this.#deadlineNs = msToNs(o.deadlineMs ?? 1e3 / o.rateHz);
    this.#marginMs = o.admissionMarginMs;
    this.#timeline =
      o.timeMode === 'target'
        ? new ResourceTimeline(
            o.resources,
            o.stages.map((s) => s.resource),
          )
        : new ResourceTimeline({ [HOST]: 1 }, []);
  }

  /** The frame period, ms. */
  get periodMs(): number {
    return 1e3 / this.options.rateHz;
  }

  /** Deadline after the sensor stamp, ms. */
  get deadlineMs(): number {
    return nsToMs(this.#deadlineNs);
  }

  /** The deadline of the sets offered from now on (a live configuration change); waiting sets keep theirs. */
  set deadlineMs(ms: number) {
    this.#deadlineNs = msToNs(ms);
  }

  /** Sets waiting to start. */
  get pending(): number {
    return this.#mailbox.size;
  }

  /**
   * The budget admission uses for a stage now, for all cameras, ms (at `rung` when that rung makes
   * the stage cheaper). Target time: the configured (profiled) budget. Host time: measured (see
   * HostBudgets); cold runs never count: run() warms the stages up first, and a probe forgets a
   * stage's old samples.
   */
  stageBudgetMs(stage: StageOptions, rung?: RungName): number {
    if (this.options.timeMode === 'host') return this.#host.budgetMs(stage, rung);
    return rung === undefined ? stage.budgetMs : (stage.rungBudgetsMs[rung] ?? stage.budgetMs);
  }

  /** The plan for ladder level `level` (0 = full) with the current budgets and round-robin subset. */
  planFor(level: number): DegradationPlan {
    const o = this.options;
    return makePlan(
      level,
      o.ladder,
      this.#effects[level],
      o.stages,
      (s, rung) => this.stageBudgetMs(s, rung),
      o.cameras,
      this.#subset.peek(),
    );
  }

  /**
   * A frame set arrived (non-blocking). Returns the sets shed by this arrival: the new one when it
   * cannot make its deadline, or the oldest waiting one it superseded.
   */
  offer(item: T, stamp: Nanos): ShedOutcome<T>[] {
    this.#count.received++;
    const now = this.#clock.now();
    const waiting: Waiting<T> = { item, stamp, deadline: stamp + this.#deadlineNs, seq: this.#seq++ };
    if (now >= waiting.deadline) return [this.#shedNow(waiting, 'deadline_passed', now)];
    if (this.#cheapestFinish(waiting, now) > waiting.deadline) return [this.#shedNow(waiting, 'insufficient_slack', now)];
    const evicted = this.#mailbox.put(waiting);
    this.#count.maxPending = Math.max(this.#count.maxPending, this.#mailbox.size);
    this.#wake?.();
    return evicted ? [this.#shedNow(evicted, 'superseded', now)] : [];
  }

  /** When `waiting` would finish at the cheapest rung, behind the work in progress and the waiting sets due before it. */
  #cheapestFinish(waiting: Waiting<T>, now: Nanos): Nanos {
    const cheapest = this.planFor(this.#effects.length - 1);
    const ahead = this.#mailbox.peekAll().filter((w) => !earlierDeadline(waiting, w)).length;
    if (this.options.timeMode === 'host') {
      const each = msToNs(cheapest.predictedMs + this.#marginMs);
      return (this.#busyUntil > now ? this.#busyUntil : now) + BigInt(ahead + 1) * each;
    }
    const trial = this.#timeline.clone();
    for (let i = 0; i < ahead; i++) trial.reserve(cheapest.timed, now);
    return trial.predictFinish(cheapest.timed, now) + msToNs(this.#marginMs);
  }

  /**
   * Dispatches the waiting set with the earliest deadline: sheds it if no rung fits its slack, else
   * runs `exec` with the chosen plan. Resolves with the outcome, or undefined when nothing waits.
   * Target time: first advances the clock to when the first stage's resource is free. Callers must
   * await one runNext before calling the next (throws otherwise).
   */
  async runNext(exec: StageExecutor<T>): Promise<Outcome<T> | undefined> {
    if (this.#running) throw new Error('DeadlineScheduler#runNext: a frame set is already running; await the previous runNext first');
    if (this.#clock instanceof VirtualClock && this.#mailbox.size > 0) this.#clock.advanceTo(this.#entryFreeAt());
    const waiting = this.#mailbox.takeBest(earlierDeadline);
    if (!waiting) return undefined;
    return this.#dispatch(waiting, exec);
  }

  /** Target time: when the pipeline's first stage can next start. */
  #entryFreeAt(): Nanos {
    const entry = this.options.stages[0];
    return this.#timeline.freeAt(entry.resource, entry.units, this.#clock.now());
  }

  /** When `plan` started at `start` would finish: on the resource timeline, or serially in host time. */
  #predictFinish(plan: DegradationPlan, start: Nanos): Nanos {
    return this.options.timeMode === 'host' ? start + msToNs(plan.predictedMs) : this.#timeline.predictFinish(plan.timed, start);
  }

  #choosePlan(waiting: Waiting<T>, startedAt: Nanos): DegradationPlan | undefined {
    const latest = waiting.deadline - msToNs(this.#marginMs);
    const fits = (p: DegradationPlan) => this.#predictFinish(p, startedAt) <= latest;
    const plans = this.#effects.map((_, level) => this.planFor(level));
    return plans.find((p) => fits(p) && this.#keepsUp(p)) ?? plans.find(fits);
  }

  /**
   * Target time: whether every set could run `plan` (no resource busier than the period). A rung
   * that makes its own deadline but not the period would supersede the next set, so admission
   * prefers the first rung that keeps up (stereo at half resolution on DX-V3's cores).
   */
  #keepsUp(plan: DegradationPlan): boolean {
    if (this.options.timeMode !== 'target') return true;
    const busy = new Map<string, number>();
    for (const s of plan.timed) busy.set(s.resource, (busy.get(s.resource) ?? 0) + s.ms * s.units);
    return [...busy].every(([r, ms]) => ms / (this.options.resources[r] ?? 1) <= this.periodMs);
  }

  async #dispatch(waiting: Waiting<T>, exec: StageExecutor<T>): Promise<Outcome<T>> {
    const startedAt = this.#clock.now();
    if (nsToMs(waiting.deadline - startedAt) - this.#marginMs <= 0) return this.#shedNow(waiting, 'deadline_passed', startedAt);
    let plan = this.#choosePlan(waiting, startedAt);
    if (!plan) return this.#shedNow(waiting, 'insufficient_slack', startedAt);
    const probe = this.options.timeMode === 'host' && this.#host.probeDue(plan);
    if (probe) plan = this.planFor(0);
    if (plan.detectCameras !== 'all') this.#subset.advance();

    this.#running = true;
    const target = this.options.timeMode === 'target';
    const simulatedEnd = target ? this.#timeline.reserve(plan.timed, startedAt) : 0n;
    this.#busyUntil = startedAt + msToNs(plan.predictedMs);
    let timings: StageTimings;
    try {
      timings = await exec(waiting.item, plan, waiting.deadline);
    } finally {
      this.#running = false;
    }
    const finishedAt = target ? simulatedEnd : this.#clock.now();
    this.#record(plan, timings, startedAt, finishedAt, waiting.stamp);
    const met = finishedAt <= waiting.deadline;
    this.#count.completedWith(plan, met, probe);
    const outcome: CompletedOutcome<T> = {
      kind: 'completed',
      item: waiting.item,
      stamp: waiting.stamp,
      deadline: waiting.deadline,
      plan,
      startedAt,
      finishedAt,
      latencyMs: nsToMs(finishedAt - waiting.stamp),
      met,
      timings,
      probe,
    };
    this.#onOutcome?.(outcome);
    return outcome;
  }

  /**
   * Target time: runs waiting sets that can start before `time`, then advances the clock to
   * `time`. A replay calls this with each frame set's arrival time before offering it.
   */
  async runUntil(time: Nanos, exec: StageExecutor<T>): Promise<void> {
    const clock = this.#clock;
    if (!(clock instanceof VirtualClock)) throw new Error('DeadlineScheduler#runUntil: only in target time (VirtualClock)');
    while (this.#mailbox.size > 0 && this.#entryFreeAt() < time) await this.runNext(exec);
    clock.advanceTo(time);
  }

  /** Runs (or sheds) every waiting set. */
  async drain(exec: StageExecutor<T>): Promise<void> {
    while (this.#mailbox.size > 0) await this.runNext(exec);
  }

  /**
   * Host time: dispatches sets as they arrive until `signal` aborts, then returns (the set in
   * progress finishes first). With `warmUp`, the first set is first handed to it: it runs the
   * stages on that set (at camera size, cold runs discarded) and resolves with warm stage times,
   * which seed the budgets; only then is the set itself dispatched (or shed, if warming took its slack).
   */
  async run(exec: StageExecutor<T>, signal: AbortSignal, warmUp?: (item: T) => Promise<StageTimings>): Promise<void> {
    const onAbort = () => this.#wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (this.#mailbox.size === 0) {
          await new Promise<void>((resolve) => (this.#wake = resolve));
          this.#wake = undefined;
          continue;
        }
        const waiting = this.#mailbox.takeBest(earlierDeadline) as Waiting<T>;
        if (warmUp && !this.#count.warmedUp) {
          this.#running = true;
          try {
            this.#host.add(this.planFor(0), await warmUp(waiting.item), () => undefined);
          } finally {
            this.#running = false;
          }
          this.#count.warmedUp = true;
        }
        await this.#dispatch(waiting, exec);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #shedNow(w: Waiting<T>, reason: ShedReason, at: Nanos): ShedOutcome<T> {
    this.#count.shed[reason]++;
    const outcome: ShedOutcome<T> = { kind: 'shed', item: w.item, stamp: w.stamp, deadline: w.deadline, reason, at };
    this.#onOutcome?.(outcome);
    return outcome;
  }

  #record(plan: DegradationPlan, timings: StageTimings, startedAt: Nanos, finishedAt: Nanos, stamp: Nanos): void {
    const effect = this.#effects[plan.level];
    this.#host.completed(plan);
    this.#count.lastMeasuredTotalMs = this.#host.add(plan, timings, (s) => rungFor(s, effect));
    if (this.options.timeMode === 'host') {
      const ran: TimedStage = { resource: HOST, units: 1, ms: nsToMs(finishedAt - startedAt) };
      this.#timeline.reserve([ran], startedAt);
    }
    this.#latency.add(Math.max(0, nsToMs(finishedAt - stamp)));
  }

  /** A snapshot of the counters and percentiles. */
  stats(): SchedulerStats {
    return this.#count.snapshot({
      pending: this.#mailbox.size,
      stages: this.options.stages.map((s) => ({ stage: s, window: this.#host.window(s.name), budgetMs: this.stageBudgetMs(s) })),
      cameras: this.options.cameras.length,
      resources: this.#timeline.usage(),
      latency: this.#latency,
    });
  }

  /** What a status report needs besides stats(): the mode, period, deadline and the last plan's totals. */
  statusContext(): StatusContext {
    const detect = this.#count.lastPlan?.detectCameras ?? 'all';
    return {
      timeMode: this.options.timeMode,
      profile: this.options.profile,
      periodMs: this.periodMs,
      deadlineMs: this.deadlineMs,
      predictedTotalMs: this.planFor(0).predictedMs,
      measuredTotalMs: this.#count.lastMeasuredTotalMs,
      detectCameras: detect === 'all' ? [...this.options.cameras] : detect,
    };
  }
}
