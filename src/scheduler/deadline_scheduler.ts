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
//   Host time: the wall clock, and a dispatch loop (run()) that runs sets as they arrive, up to
//   pipelineDepth at once: successive sets overlap across the main thread and the worker pools
//   (the pipeline enters each stateful stage one set at a time, in dispatch order).
import type { Nanos } from '../msgs/time';
import { Admission, msToNs, nsToMs } from './admission';
import { VirtualClock, type Clock } from './clock';
import type { DegradationPlan } from './degradation';
import { LatencyWindow } from './latency_window';
import { ResourceTimeline } from './resource_timeline';
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
import { HostWarmUp, type WarmUp } from './host_warm_up';
import { setOf, WaitingSets, type Waiting } from './waiting_sets';

export * from './outcomes';
export type { WarmUp } from './host_warm_up';

export class DeadlineScheduler<T> {
  readonly options: SchedulerOptions;
  readonly #clock: Clock;
  readonly #onOutcome: ((o: Outcome<T>) => void) | undefined;
  readonly #waiting: WaitingSets<T>;
  readonly #admit: Admission;
  readonly #latency: LatencyWindow;
  #deadlineNs: Nanos;
  /** Sets dispatched and not yet finished. */
  #inFlight = 0;
  /** Host time: resolves the dispatch loop's wait when a set in flight finishes. */
  #onFinish: (() => void) | undefined;
  readonly #running = new Set<Promise<Outcome<T>>>();
  /** Host time: a set's executor failed; the dispatch loop stops with it, as it always has. */
  #failure: unknown;
  readonly #count = new SchedulerCounters();
  readonly #warm = new HostWarmUp<T>();

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
    this.#waiting = new WaitingSets(o.mailboxDepth);
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

  /** The deadline of the sets offered from now on (a live configuration change); waiting sets keep theirs. */
  set deadlineMs(ms: number) {
    this.#deadlineNs = msToNs(ms);
  }

  /** Sets waiting to start. */
  get pending(): number {
    return this.#waiting.size;
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
    const waiting = this.#waiting.entry(item, stamp, stamp + this.#deadlineNs, now);
    this.#warm.offered(item);
    this.#waiting.notify();
    if (now >= waiting.deadline) return [this.#shedNow(waiting, 'deadline_passed', now)];
    const finish = this.#admit.cheapestFinish(this.#waiting.ahead(waiting), now);
    if (finish > waiting.deadline) {
      const idle = this.#inFlight === 0 && this.#waiting.size === 0;
      if (!(this.options.timeMode === 'host' && idle && this.#admit.host.shedOnly)) return [this.#slackShed(waiting, now, finish)];
      waiting.probe = true;
    }
    const evicted = this.#waiting.put(waiting);
    this.#count.maxPending = Math.max(this.#count.maxPending, this.#waiting.size);
    return evicted ? [this.#shedNow(evicted, 'superseded', now)] : [];
  }

  /**
   * Dispatches the waiting set with the earliest deadline: sheds it if no rung fits its slack, else
   * runs `exec` with the chosen plan. Resolves with the outcome, or undefined when nothing waits.
   * Target time: first advances the clock to when the first stage's resource is free. Callers must
   * await one runNext before calling the next (throws otherwise).
   */
  async runNext(exec: StageExecutor<T>): Promise<Outcome<T> | undefined> {
    if (this.#inFlight > 0) throw new Error('DeadlineScheduler#runNext: a frame set is already running; await the previous runNext first');
    if (this.#clock instanceof VirtualClock && this.#waiting.size > 0) this.#clock.advanceTo(this.#entryFreeAt());
    const waiting = this.#waiting.takeBest();
    if (!waiting) return undefined;
    return this.#dispatch(waiting, exec);
  }

  /** Target time: when the pipeline's first stage can next start. */
  #entryFreeAt(): Nanos {
    const entry = this.options.stages[0];
    const timeline = this.#admit.timeline;
    return timeline instanceof ResourceTimeline ? timeline.freeAt(entry.resource, entry.units, this.#clock.now()) : this.#clock.now();
  }

  async #dispatch(waiting: Waiting<T>, exec: StageExecutor<T>): Promise<Outcome<T>> {
    const admit = this.#admit;
    const startedAt = this.#clock.now();
    if (nsToMs(waiting.deadline - startedAt) - this.options.admissionMarginMs <= 0)
      return this.#shedNow(waiting, 'deadline_passed', startedAt);
    const chosen = admit.dispatchPlan(waiting.deadline, startedAt, waiting.probe === true);
    if (!chosen) return this.#slackShed(waiting, startedAt, admit.predictFinish(admit.cheapest(), startedAt));
    const { plan, probe } = chosen;
    if (plan.detectCameras !== 'all') admit.subset.advance();

    this.#inFlight++;
    const target = this.options.timeMode === 'target';
    // Target time: the simulated finish. Host time: a prediction the sets after it are admitted behind.
    const simulatedEnd = admit.timeline.reserve(admit.timed(plan), startedAt);
    let timings: StageTimings;
    try {
      timings = await exec(waiting.item, plan, waiting.deadline);
    } finally {
      this.#inFlight--;
      this.#onFinish?.();
    }
    const finishedAt = target ? simulatedEnd : this.#clock.now();
    this.#count.lastMeasuredTotalMs = admit.ran(plan, timings, finishedAt, this.#inFlight === 0);
    this.#latency.add(Math.max(0, nsToMs(finishedAt - waiting.stamp)));
    const met = finishedAt <= waiting.deadline;
    this.#count.completedWith(plan, met, probe);
    const latencyMs = nsToMs(finishedAt - waiting.stamp);
    const outcome: CompletedOutcome<T> = {
      kind: 'completed',
      ...setOf(waiting),
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
    while (this.#waiting.size > 0 && this.#entryFreeAt() < time) await this.runNext(exec);
    clock.advanceTo(time);
  }

  /** Runs (or sheds) every waiting set. */
  async drain(exec: StageExecutor<T>): Promise<void> {
    while (this.#waiting.size > 0) await this.runNext(exec);
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
    const onAbort = () => this.#waiting.notify();
    signal.addEventListener('abort', onAbort, { once: true });
    this.#warm.use(warmUp);
    try {
      while (!signal.aborted && this.#failure === undefined) {
        if (this.#warm.due) await this.#warmUp();
        else if (this.#waiting.size > 0 && this.#inFlight < this.options.pipelineDepth) this.#start(exec);
        else await this.#nextEvent();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      await Promise.allSettled(this.#running);
    }
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Host time: dispatches the best waiting set without waiting for it to finish. */
  #start(exec: StageExecutor<T>): void {
    const waiting = this.#waiting.takeBest();
    if (!waiting) return;
    const run = this.#dispatch(waiting, exec);
    this.#running.add(run);
    run
      .catch((err: unknown) => {
        this.#failure ??= err;
        this.#waiting.notify();
      })
      .finally(() => this.#running.delete(run));
  }

  /** Host time: resolves when a set arrives or one in flight finishes. */
  async #nextEvent(): Promise<void> {
    const finished = new Promise<void>((resolve) => (this.#onFinish = resolve));
    await Promise.race([this.#waiting.arrival(), finished]);
    this.#onFinish = undefined;
  }

  async #warmUp(): Promise<void> {
    this.#inFlight++;
    try {
      await this.#warm.run(this.#admit);
    } finally {
      this.#inFlight--;
      this.#count.warmedUp = true;
    }
  }

  #slackShed(w: Waiting<T>, at: Nanos, predictedFinish: Nanos): ShedOutcome<T> {
    if (this.options.timeMode === 'host') this.#admit.host.slackShed();
    return this.#shedNow(w, 'insufficient_slack', at, predictedFinish);
  }

  #shedNow(w: Waiting<T>, reason: ShedReason, at: Nanos, predictedFinish?: Nanos): ShedOutcome<T> {
    this.#count.shed[reason]++;
    const outcome: ShedOutcome<T> = { kind: 'shed', ...setOf(w), reason, at, predictedFinish };
    this.#onOutcome?.(outcome);
    return outcome;
  }

  /** A snapshot of the counters and percentiles. */
  stats(): SchedulerStats {
    return this.#count.snapshot({
      pending: this.#waiting.size,
      stages: this.options.stages.map((s) => ({ stage: s, window: this.#admit.host.window(s.name), budgetMs: this.stageBudgetMs(s) })),
      cameras: this.options.cameras.length,
      resources: this.#admit.timeline.usage(),
      latency: this.#latency,
    });
  }

  /** What a status report needs besides stats(): the mode, period, deadline and the last plan's totals. */
  statusContext(): StatusContext {
    return this.#count.statusContext(this.options, this.deadlineMs, this.planFor(0).predictedMs);
  }
}
