// The fixed real-time deadline scheduler. Every frame set gets a deadline measured from its sensor
// stamp; it is either run (possibly degraded) so that it is predicted to finish by then, or shed
// with a counted reason. Frame sets run one at a time (the NPU and the pipeline are one resource),
// earliest deadline first.
//
// Decisions:
// - offer(): a set whose deadline has passed, or that cannot finish in time even at the cheapest
//   rung behind the work already running and the waiting sets with earlier deadlines, is shed at
//   once. Otherwise it waits in a bounded latest-only mailbox; a newer set evicts the oldest
//   ('superseded').
// - runNext(): takes the waiting set with the earliest deadline and picks the least-degraded rung
//   whose predicted time fits the slack left (minus the admission margin); if none fits it is shed.
// - Target time: the clock is a VirtualClock advanced by the plan's predicted time, so a replay
//   makes the robot's decisions on the profiled hardware, identically on every run and host.
//   Host time: the wall clock, and stage budgets from measured quantiles once enough samples exist.
import type { Nanos } from '../msgs/time';
import { DiagnosticLevel, type DiagnosticArray, type DiagnosticStatus, type Header, type PipelineStatus, type StageTiming } from '../msgs/types';
import { VirtualClock, type Clock } from './clock';
import { ladderEffects, makePlan, RoundRobinSubset, type DegradationPlan } from './degradation';
import { LatencyWindow } from './latency_window';
import { LatestMailbox } from './latest_mailbox';
import { parseSchedulerOptions, type SchedulerOptions, type SchedulerOptionsInput, type StageOptions } from './scheduler_options';

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
  at: Nanos;
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
  pending: number;
  /** Most sets ever waiting at once (bounded by mailboxDepth). */
  maxPending: number;
  stages: StageStats[];
  latency: { lastMs: number; p50Ms: number; p90Ms: number; p99Ms: number };
}

export interface SchedulerHooks<T> {
  /** Called for every completion and every shed, in decision order. */
  onOutcome?: (o: Outcome<T>) => void;
}

interface Waiting<T> {
  item: T;
  stamp: Nanos;
  deadline: Nanos;
  seq: number;
}

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
  readonly #windows: Map<string, LatencyWindow>;
  readonly #latency: LatencyWindow;
  readonly #deadlineNs: Nanos;
  readonly #marginMs: number;
  #running = false;
  #busyUntil: Nanos = 0n;
  #seq = 0;
  #received = 0;
  #completed = 0;
  #misses = 0;
  #shed: Record<ShedReason, number> = { superseded: 0, deadline_passed: 0, insufficient_slack: 0 };
  #rungs: Record<string, number> = {};
  #lastPlan: DegradationPlan | undefined;
  #lastMeasuredTotalMs = 0;
  #maxPending = 0;
  #wake: (() => void) | undefined;
  #reported = { misses: 0, shed: 0 };
  #probes = 0;
  #warmedUp = false;
  /** Host time: completed sets since each stage last ran, for probes. */
  readonly #setsWithout: Map<string, number>;

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
    this.#windows = new Map(o.stages.map((s) => [s.name, new LatencyWindow(o.windowSize)]));
    this.#latency = new LatencyWindow(o.windowSize);
    this.#setsWithout = new Map(o.stages.map((s) => [s.name, 0]));
    this.#deadlineNs = msToNs(o.deadlineMs ?? 1e3 / o.rateHz);
    this.#marginMs = o.admissionMarginMs;
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
   * The budget admission uses for a stage now, for all cameras, ms. Target time: the configured
   * (profiled) budget. Host time: the budgetQuantile of measured times once minSamples exist;
   * before that, the larger of the configured budget and the worst time measured so far. Cold
   * runs never count: run() warms the stages up first, and a probe forgets a stage's old samples.
   */
  stageBudgetMs(stage: StageOptions): number {
    if (this.options.timeMode === 'target') return stage.budgetMs;
    const w = this.#windows.get(stage.name) as LatencyWindow;
    const scale = stage.perCamera ? this.options.cameras.length : 1;
    if (w.size < this.options.minSamples) return Math.max(stage.budgetMs, w.quantile(1) * scale);
    return w.quantile(this.options.budgetQuantile) * scale;
  }

  /** The plan for ladder level `level` (0 = full) with the current budgets and round-robin subset. */
  planFor(level: number): DegradationPlan {
    const o = this.options;
    return makePlan(level, o.ladder, this.#effects[level], o.stages, (s) => this.stageBudgetMs(s), o.cameras, this.#subset.peek());
  }

  /**
   * A frame set arrived (non-blocking). Returns the sets shed by this arrival: the new one when it
   * cannot make its deadline, or the oldest waiting one it superseded.
   */
  offer(item: T, stamp: Nanos): ShedOutcome<T>[] {
    this.#received++;
    const now = this.#clock.now();
    const waiting: Waiting<T> = { item, stamp, deadline: stamp + this.#deadlineNs, seq: this.#seq++ };
    if (now >= waiting.deadline) return [this.#shedNow(waiting, 'deadline_passed', now)];
    const cheapestNs = msToNs(this.planFor(this.#effects.length - 1).predictedMs + this.#marginMs);
    let start = this.#busyUntil > now ? this.#busyUntil : now;
    for (const w of this.#mailbox.peekAll()) if (!earlierDeadline(waiting, w)) start += cheapestNs;
    if (start + cheapestNs > waiting.deadline) return [this.#shedNow(waiting, 'insufficient_slack', now)];
    const evicted = this.#mailbox.put(waiting);
    this.#maxPending = Math.max(this.#maxPending, this.#mailbox.size);
    this.#wake?.();
    return evicted ? [this.#shedNow(evicted, 'superseded', now)] : [];
  }

  /**
   * Dispatches the waiting set with the earliest deadline: sheds it if no rung fits its slack, else
   * runs `exec` with the chosen plan. Resolves with the outcome, or undefined when nothing waits.
   * Callers must await one runNext before calling the next (throws otherwise).
   */
  async runNext(exec: StageExecutor<T>): Promise<Outcome<T> | undefined> {
    if (this.#running) throw new Error('DeadlineScheduler#runNext: a frame set is already running; await the previous runNext first');
    const waiting = this.#mailbox.takeBest(earlierDeadline);
    if (!waiting) return undefined;
    return this.#dispatch(waiting, exec);
  }

  async #dispatch(waiting: Waiting<T>, exec: StageExecutor<T>): Promise<Outcome<T>> {
    const startedAt = this.#clock.now();
    const slackMs = nsToMs(waiting.deadline - startedAt) - this.#marginMs;
    if (slackMs <= 0) return this.#shedNow(waiting, 'deadline_passed', startedAt);
    let plan: DegradationPlan | undefined;
    for (let level = 0; level < this.#effects.length && !plan; level++) {
      const candidate = this.planFor(level);
      if (candidate.predictedMs <= slackMs) plan = candidate;
    }
    if (!plan) return this.#shedNow(waiting, 'insufficient_slack', startedAt);
    const probe = this.#probeDue(plan);
    if (probe) plan = this.planFor(0);
    if (plan.detectCameras !== 'all') this.#subset.advance();

    this.#running = true;
    this.#busyUntil = startedAt + msToNs(plan.predictedMs);
    let timings: StageTimings;
    try {
      timings = await exec(waiting.item, plan, waiting.deadline);
    } finally {
      this.#running = false;
    }
    const clock = this.#clock;
    if (clock instanceof VirtualClock) clock.advanceTo(this.#busyUntil);
    const finishedAt = clock.now();
    this.#record(plan, timings, nsToMs(finishedAt - waiting.stamp));
    const met = finishedAt <= waiting.deadline;
    if (!met) this.#misses++;
    if (probe) this.#probes++;
    const outcome: CompletedOutcome<T> = {
      kind: 'completed', item: waiting.item, stamp: waiting.stamp, deadline: waiting.deadline, plan,
      startedAt, finishedAt, latencyMs: nsToMs(finishedAt - waiting.stamp), met, timings, probe,
    };
    this.#onOutcome?.(outcome);
    return outcome;
  }

  /**
   * Target time: runs waiting sets while the virtual clock is before `time`, then advances the
   * clock to `time`. A replay calls this with each frame set's arrival time before offering it.
   */
  async runUntil(time: Nanos, exec: StageExecutor<T>): Promise<void> {
    const clock = this.#clock;
    if (!(clock instanceof VirtualClock)) throw new Error('DeadlineScheduler#runUntil: only in target time (VirtualClock)');
    while (this.#mailbox.size > 0 && clock.now() < time) await this.runNext(exec);
    clock.advanceTo(time);
  }

  /** Runs (or sheds) every waiting set. */
  async drain(exec: StageExecutor<T>): Promise<void> {
    while (this.#mailbox.size > 0) await this.runNext(exec);
  }

  /**
   * Host time: whether `plan` leaves out a stage that has not run for probeIntervalSets completed
   * sets. Its samples are then forgotten, so the probe's time becomes its budget.
   */
  #probeDue(plan: DegradationPlan): boolean {
    if (this.options.timeMode !== 'host') return false;
    const stale = this.options.stages.filter((s) => !plan.stages.includes(s.name) && (this.#setsWithout.get(s.name) ?? 0) >= this.options.probeIntervalSets);
    for (const s of stale) this.#windows.get(s.name)?.clear();
    return stale.length > 0;
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
        if (warmUp && !this.#warmedUp) {
          this.#running = true;
          try {
            this.#addSamples(this.planFor(0), await warmUp(waiting.item));
          } finally {
            this.#running = false;
          }
          this.#warmedUp = true;
        }
        await this.#dispatch(waiting, exec);
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #shedNow(w: Waiting<T>, reason: ShedReason, at: Nanos): ShedOutcome<T> {
    this.#shed[reason]++;
    const outcome: ShedOutcome<T> = { kind: 'shed', item: w.item, stamp: w.stamp, deadline: w.deadline, reason, at };
    this.#onOutcome?.(outcome);
    return outcome;
  }

  /** Adds the measured stage times of a run of `plan` to the stage windows; returns their sum. */
  #addSamples(plan: DegradationPlan, timings: StageTimings): number {
    const camerasRun = plan.detectCameras === 'all' ? this.options.cameras.length : plan.detectCameras.length;
    let total = 0;
    for (const stage of this.options.stages) {
      const ms = timings[stage.name];
      if (ms === undefined || !plan.stages.includes(stage.name)) continue;
      total += ms;
      // Per-camera stages are kept per camera so subsets and full runs share one budget.
      this.#windows.get(stage.name)?.add(stage.perCamera ? ms / camerasRun : ms);
    }
    return total;
  }

  #record(plan: DegradationPlan, timings: StageTimings, latencyMs: number): void {
    for (const stage of this.options.stages) {
      this.#setsWithout.set(stage.name, plan.stages.includes(stage.name) ? 0 : (this.#setsWithout.get(stage.name) ?? 0) + 1);
    }
    this.#lastMeasuredTotalMs = this.#addSamples(plan, timings);
    this.#latency.add(Math.max(0, latencyMs));
    this.#completed++;
    this.#rungs[plan.rung] = (this.#rungs[plan.rung] ?? 0) + 1;
    this.#lastPlan = plan;
  }

  /** A snapshot of the counters and percentiles. */
  stats(): SchedulerStats {
    const shedTotal = SHED_REASONS.reduce((s, r) => s + this.#shed[r], 0);
    return {
      received: this.#received,
      completed: this.#completed,
      deadlineMisses: this.#misses,
      shed: { ...this.#shed },
      shedTotal,
      probes: this.#probes,
      warmedUp: this.#warmedUp,
      rungs: { ...this.#rungs },
      lastRung: this.#lastPlan?.rung ?? 'full',
      pending: this.#mailbox.size,
      maxPending: this.#maxPending,
      stages: this.options.stages.map((s) => {
        const w = this.#windows.get(s.name) as LatencyWindow;
        const scale = s.perCamera ? this.options.cameras.length : 1;
        return {
          name: s.name, configuredMs: s.budgetMs, budgetMs: this.stageBudgetMs(s), lastMs: w.last * scale,
          p50Ms: w.quantile(0.5) * scale, p90Ms: w.quantile(0.9) * scale, p99Ms: w.quantile(0.99) * scale, samples: w.total,
        };
      }),
      latency: { lastMs: this.#latency.last, p50Ms: this.#latency.quantile(0.5), p90Ms: this.#latency.quantile(0.9), p99Ms: this.#latency.quantile(0.99) },
    };
  }

  /** The dx_perception/PipelineStatus message for the current statistics. */
  toPipelineStatus(header: Header, extra: { activeCameras?: string[]; droppedMessages?: bigint; depthAgeMs?: number } = {}): PipelineStatus {
    const s = this.stats();
    const stages: StageTiming[] = s.stages.map((st) => ({
      name: st.name, budget_ms: st.configuredMs, predicted_ms: st.budgetMs, measured_ms: st.lastMs,
      p50_ms: st.p50Ms, p90_ms: st.p90Ms, p99_ms: st.p99Ms,
    }));
    const detect = this.#lastPlan?.detectCameras ?? 'all';
    return {
      header,
      time_mode: this.options.timeMode,
      period_ms: this.periodMs,
      deadline_ms: this.deadlineMs,
      frame_sets_received: BigInt(s.received),
      frame_sets_completed: BigInt(s.completed),
      deadline_misses: BigInt(s.deadlineMisses),
      shed_total: BigInt(s.shedTotal),
      shed: SHED_REASONS.map((reason) => ({ reason, count: BigInt(s.shed[reason]) })),
      degradation_level: s.lastRung,
      stages,
      predicted_total_ms: this.planFor(0).predictedMs,
      measured_total_ms: this.#lastMeasuredTotalMs,
      latency_ms: s.latency.lastMs,
      active_cameras: extra.activeCameras ?? (detect === 'all' ? [...this.options.cameras] : detect),
      dropped_messages: extra.droppedMessages ?? 0n,
      depth_age_ms: extra.depthAgeMs ?? Number.NaN,
    };
  }

  /**
   * A diagnostic_msgs/DiagnosticArray with one status for the scheduler. Level: ERROR if deadlines
   * were missed since the previous call, WARN if sets were shed since then, else OK.
   */
  toDiagnostics(header: Header, name = 'dx_perception: deadline scheduler'): DiagnosticArray {
    const s = this.stats();
    const newMisses = s.deadlineMisses - this.#reported.misses;
    const newShed = s.shedTotal - this.#reported.shed;
    this.#reported = { misses: s.deadlineMisses, shed: s.shedTotal };
    const level = newMisses > 0 ? DiagnosticLevel.ERROR : newShed > 0 ? DiagnosticLevel.WARN : DiagnosticLevel.OK;
    const message =
      newMisses > 0 ? `${newMisses} deadline misses since last report` : newShed > 0 ? `${newShed} frame sets shed since last report (degradation: ${s.lastRung})` : 'all frame sets on time';
    const kv = (key: string, value: number | string) => ({ key, value: typeof value === 'number' ? String(Number(value.toFixed(3))) : value });
    const status: DiagnosticStatus = {
      level, name, message, hardware_id: this.options.profile,
      values: [
        kv('time_mode', this.options.timeMode), kv('period_ms', this.periodMs), kv('deadline_ms', this.deadlineMs),
        kv('received', s.received), kv('completed', s.completed), kv('deadline_misses', s.deadlineMisses),
        kv('shed_total', s.shedTotal), kv('probes', s.probes), ...SHED_REASONS.map((r) => kv(`shed.${r}`, s.shed[r])),
        kv('degradation_level', s.lastRung), kv('latency_p50_ms', s.latency.p50Ms), kv('latency_p99_ms', s.latency.p99Ms),
        ...s.stages.flatMap((st) => [kv(`${st.name}.budget_ms`, st.budgetMs), kv(`${st.name}.p99_ms`, st.p99Ms)]),
      ],
    };
    return { header, status: [status] };
  }
}
