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
//   whose predicted finish fits its deadline (admission.ts); if none fits it is shed.
// - Target time: the clock is a VirtualClock moved by the profile's stage times, so a replay makes
//   the robot's decisions on the profiled hardware, identically on every run and host.
//   Host time: the wall clock, and a dispatch loop (run()) that runs sets as they arrive.
import type { Nanos } from '../msgs/time';
import { Admission, HOST, msToNs, nsToMs } from './admission';
import { VirtualClock, type Clock } from './clock';
import type { DegradationPlan } from './degradation';
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
  offeredAt: Nanos;
  seq: number;
  /** Host time: let in although the budgets said no (HostBudgets.shedOnly); runs the cheapest rung. */
  probe?: boolean;
}

/** Runs `plans` on `item` warm (cold runs discarded) and resolves with each plan's stage times (fewer if warming failed). */
export type WarmUp<T> = (item: T, plans: DegradationPlan[]) => Promise<StageTimings[]>;

const earlierDeadline = <T>(a: Waiting<T>, b: Waiting<T>) => a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);

export class DeadlineScheduler<T> {
  readonly options: SchedulerOptions;
  readonly #clock: Clock;
  readonly #onOutcome: ((o: Outcome<T>) => void) | undefined;
  readonly #mailbox: LatestMailbox<Waiting<T>>;
  readonly #admit: Admission;
  readonly #latency: LatencyWindow;
  readonly #deadlineNs: Nanos;
  #running = false;
  #seq = 0;
  readonly #count = new SchedulerCounters();
  #wake: (() => void) | undefined;
  /** Host time: the first set offered, to warm the stages up on (even one that is shed at once). */
  #warmOn: { item: T } | undefined;
  #warmUpWanted = false;

  /**
   * `options` are validated (see schedulerOptionsSchema); throws naming the bad key. The clock's
   * mode must match options.timeMode, and target time needs a VirtualClock.
   */
  constructor(options: SchedulerOptionsInput, clock: Clock, hooks: SchedulerHooks<T> = {}) {
    this.options = parseSchedulerOptions(options);
    const o = this.options;
    if (clock.mode !== o.timeMode || (o.timeMode === 'target' && !(clock instanceof VirtualClock))) {
      throw new Error(
        `DeadlineScheduler: timeMode "${o.timeMode}" needs ${o.timeMode === 'target' ? 'a VirtualClock' : 'a HostClock'}; got a ${clock.mode}-time clock`,
      );
    }
    this.#clock = clock;
    this.#onOutcome = hooks.onOutcome;
    this.#mailbox = new LatestMailbox(o.mailboxDepth);
    this.#admit = new Admission(o);
    this.#latency = new LatencyWindow(o.windowSize);
    this.#deadlineNs = msToNs(o.deadlineMs ?? 1e3 / o.rateHz);
  }

  /** The frame period, ms. */
  get periodMs(): number {
    return 1e3 / this.options.rateHz;
  }

  /** Deadline after the sensor stamp, ms. */
  get deadlineMs(): number {
    return nsToMs(this.#deadlineNs);
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
    return this.#admit.stageBudgetMs(stage, rung);
  }

  /** The plan for ladder level `level` (0 = full) with the current budgets and round-robin subset. */
  planFor(level: number): DegradationPlan {
    return this.#admit.planFor(level);
  }

  /**
   * A frame set arrived (non-blocking). Returns the sets shed by this arrival: the new one when it
   * cannot make its deadline, or the oldest waiting one it superseded.
   */
  offer(item: T, stamp: Nanos): ShedOutcome<T>[] {
    this.#count.received++;
    const now = this.#clock.now();
    const waiting: Waiting<T> = { item, stamp, deadline: stamp + this.#deadlineNs, offeredAt: now, seq: this.#seq++ };
    if (this.#warmUpWanted && !this.#count.warmedUp) this.#warmOn ??= { item };
    this.#wake?.();
    if (now >= waiting.deadline) return [this.#shedNow(waiting, 'deadline_passed', now)];
    const ahead = this.#mailbox.peekAll().filter((w) => !earlierDeadline(waiting, w)).length;
    const finish = this.#admit.cheapestFinish(ahead, now);
    if (finish > waiting.deadline) {
      const idle = !this.#running && this.#mailbox.size === 0;
      if (!(this.options.timeMode === 'host' && idle && this.#admit.host.shedOnly)) return [this.#slackShed(waiting, now, finish)];
      waiting.probe = true;
    }
    const evicted = this.#mailbox.put(waiting);
    this.#count.maxPending = Math.max(this.#count.maxPending, this.#mailbox.size);
    return evicted ? [this.#shedNow(evicted, 'superseded', now)] : [];
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
    return this.#admit.timeline.freeAt(entry.resource, entry.units, this.#clock.now());
  }

  async #dispatch(waiting: Waiting<T>, exec: StageExecutor<T>): Promise<Outcome<T>> {
    const admit = this.#admit;
    const startedAt = this.#clock.now();
    if (nsToMs(waiting.deadline - startedAt) - this.options.admissionMarginMs <= 0)
      return this.#shedNow(waiting, 'deadline_passed', startedAt);
    let plan = waiting.probe ? admit.shedOnlyProbe() : admit.choose(waiting.deadline, startedAt);
    if (!plan) return this.#slackShed(waiting, startedAt, admit.predictFinish(admit.cheapest(), startedAt));
    let probe = waiting.probe === true;
    if (!probe && this.options.timeMode === 'host' && admit.host.probeDue(plan)) {
      probe = true;
      plan = this.planFor(0);
    }
    if (plan.detectCameras !== 'all') admit.subset.advance();

    this.#running = true;
    const target = this.options.timeMode === 'target';
    const simulatedEnd = target ? admit.timeline.reserve(plan.timed, startedAt) : 0n;
    admit.busyUntil = startedAt + msToNs(plan.predictedMs);
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
    const { item, stamp, deadline, offeredAt } = waiting;
    const latencyMs = nsToMs(finishedAt - stamp);
    const outcome: CompletedOutcome<T> = {
      kind: 'completed',
      item,
      stamp,
      deadline,
      offeredAt,
      plan,
      startedAt,
      finishedAt,
      latencyMs,
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
   * progress finishes first). With `warmUp`, the first set offered (even one shed at once: a
   * machine that cannot keep up must still measure its stages) is first handed to it with the
   * plans to warm (the full pipeline and each rung that runs a stage at its own cost): it runs each
   * on that set at camera size, cold runs discarded, and resolves with their warm stage times,
   * which seed the budgets before any set is dispatched.
   */
  async run(exec: StageExecutor<T>, signal: AbortSignal, warmUp?: WarmUp<T>): Promise<void> {
    const onAbort = () => this.#wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#warmUpWanted = warmUp !== undefined;
    try {
      while (!signal.aborted) {
        if (warmUp && this.#warmOn) await this.#warmUp(this.#warmOn.item, warmUp);
        else if (this.#mailbox.size > 0) await this.runNext(exec);
        else await new Promise<void>((resolve) => (this.#wake = resolve));
      }
    } finally {
      this.#wake = undefined;
      signal.removeEventListener('abort', onAbort);
    }
  }

  async #warmUp(item: T, warmUp: WarmUp<T>): Promise<void> {
    this.#running = true;
    try {
      const plans = this.#admit.warmUpPlans();
      const warm = await warmUp(item, plans);
      warm.forEach((timings, i) => this.#admit.measured(plans[i], timings));
    } finally {
      this.#running = false;
      this.#warmOn = undefined;
      this.#count.warmedUp = true;
    }
  }

  #slackShed(w: Waiting<T>, at: Nanos, predictedFinish: Nanos): ShedOutcome<T> {
    if (this.options.timeMode === 'host') this.#admit.host.slackShed();
    return this.#shedNow(w, 'insufficient_slack', at, predictedFinish);
  }

  #shedNow(w: Waiting<T>, reason: ShedReason, at: Nanos, predictedFinish?: Nanos): ShedOutcome<T> {
    this.#count.shed[reason]++;
    const { item, stamp, deadline, offeredAt } = w;
    const outcome: ShedOutcome<T> = { kind: 'shed', item, stamp, deadline, reason, offeredAt, at, predictedFinish };
    this.#onOutcome?.(outcome);
    return outcome;
  }

  #record(plan: DegradationPlan, timings: StageTimings, startedAt: Nanos, finishedAt: Nanos, stamp: Nanos): void {
    const admit = this.#admit;
    admit.host.completed(plan);
    this.#count.lastMeasuredTotalMs = admit.measured(plan, timings);
    if (this.options.timeMode === 'host') {
      admit.timeline.reserve([{ resource: HOST, units: 1, ms: nsToMs(finishedAt - startedAt) }], startedAt);
      // The executor is free now, whatever was predicted: later arrivals queue behind nothing.
      admit.busyUntil = finishedAt;
    }
    this.#latency.add(Math.max(0, nsToMs(finishedAt - stamp)));
  }

  /** A snapshot of the counters and percentiles. */
  stats(): SchedulerStats {
    return this.#count.snapshot({
      pending: this.#mailbox.size,
      stages: this.options.stages.map((s) => ({ stage: s, window: this.#admit.host.window(s.name), budgetMs: this.stageBudgetMs(s) })),
      cameras: this.options.cameras.length,
      resources: this.#admit.timeline.usage(),
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
