// A host-time overload scenario shared by the test and the benchmark: stages are timers of known
// duration (asynchronous work that leaves the event loop free for arrivals), each holding its
// resource of this host (host_resources.ts: the main thread, the detector's worker, the stereo
// workers) one set at a time, as the pipeline's stages do; frame sets are offered at `loadFactor`
// times the pipelined executor's capacity (one set per busiest resource's time). The benchmark runs it on the wall
// clock; the unit test on a simulated timeline, so its verdict cannot depend on host speed.
import { setTimeout as wallSleep } from 'node:timers/promises';
import { HostClock, type Clock } from '../../src/scheduler/clock';
import type { Nanos } from '../../src/msgs/time';
import { DeadlineScheduler, type Outcome, type SchedulerStats, type StageTimings } from '../../src/scheduler/deadline_scheduler';
import type { DegradationPlan } from '../../src/scheduler/degradation';
import { hostResourceOf } from '../../src/scheduler/host_resources';
import type { SchedulerOptionsInput } from '../../src/scheduler/scheduler_options';

export const OVERLOAD_CAMERAS = ['front_left', 'front_right', 'left', 'right'];
export const OVERLOAD_STAGES = [
  { name: 'preprocess', budgetMs: 2, perCamera: true },
  { name: 'detect', budgetMs: 8, perCamera: true },
  { name: 'stereo_depth', budgetMs: 4 },
  { name: 'learned_depth', budgetMs: 4 },
  { name: 'fuse', budgetMs: 2 },
];
/** Nominal time of the full pipeline, one set alone: 20 ms. */
export const OVERLOAD_FULL_MS = OVERLOAD_STAGES.reduce((s, st) => s + st.budgetMs, 0);
/** The busiest resource's time per set (the main thread: preprocess, learned depth, fusion, 8 ms): a capacity of 125 sets/s. */
export const OVERLOAD_BOTTLENECK_MS = Math.max(
  ...[...new Set(OVERLOAD_STAGES.map((s) => hostResourceOf(s.name)))].map((r) =>
    OVERLOAD_STAGES.filter((s) => hostResourceOf(s.name) === r).reduce((sum, s) => sum + s.budgetMs, 0),
  ),
);

/** Where the scenario's time comes from: a clock the scheduler reads and a sleep that waits on it. */
export interface Timeline {
  readonly clock: Clock;
  sleep(ms: number): Promise<void>;
}

/** This machine's wall clock (the benchmark). */
export function wallTimeline(): Timeline {
  return { clock: new HostClock(), sleep: (ms) => wallSleep(ms) };
}

/**
 * Simulated host time: a sleep wakes at its due time, in due-time order, and time moves only
 * once every task is waiting on a sleep. The scheduler sees a host clock that behaves exactly as
 * an idle machine's would, whatever else this machine is doing.
 */
export class SimulatedTimeline implements Timeline {
  #now: Nanos = 1_700_000_000_000_000_000n;
  #seq = 0;
  #pumping = false;
  readonly #timers: { at: Nanos; seq: number; wake: () => void }[] = [];
  readonly clock: Clock = { mode: 'host', now: () => this.#now };

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => {
      this.#timers.push({ at: this.#now + BigInt(Math.round(Math.max(0, ms) * 1e6)), seq: this.#seq++, wake });
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    for (;;) {
      // setImmediate runs after every pending promise continuation: all tasks are now waiting.
      await new Promise((r) => setImmediate(r));
      if (this.#timers.length === 0) break;
      this.#timers.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
      const next = this.#timers.shift()!;
      if (next.at > this.#now) this.#now = next.at;
      next.wake();
    }
    this.#pumping = false;
  }
}

/**
 * Runs each planned stage as a timer of its nominal duration, once its resource is free (first
 * come, first served), and reports the measured times (the wait for the resource left out).
 */
function timedStages(timeline: Timeline) {
  const tails = new Map<string, Promise<void>>();
  return async (_item: number, plan: DegradationPlan): Promise<StageTimings> => {
    const fraction = plan.detectCameras === 'all' ? 1 : plan.detectCameras.length / OVERLOAD_CAMERAS.length;
    const timings: Record<string, number> = {};
    for (const stage of OVERLOAD_STAGES) {
      if (!plan.stages.includes(stage.name)) continue;
      const resource = hostResourceOf(stage.name);
      const before = tails.get(resource) ?? Promise.resolve();
      let leave!: () => void;
      tails.set(
        resource,
        before.then(() => new Promise<void>((r) => (leave = r))),
      );
      await before;
      const t0 = timeline.clock.now();
      await timeline.sleep(stage.budgetMs * (stage.perCamera ? fraction : 1));
      timings[stage.name] = Number(timeline.clock.now() - t0) / 1e6;
      leave();
    }
    return timings;
  };
}

export interface OverloadResult {
  offers: number;
  stats: SchedulerStats;
  outcomes: Outcome<number>[];
  admitted: number;
  met: number;
}

/** Offers `offers` frame sets at `loadFactor` x capacity with a `deadlineMs` deadline. */
export async function runOverload(
  offers: number,
  loadFactor = 2,
  deadlineMs = 50,
  timeline: Timeline = wallTimeline(),
  extra: Partial<SchedulerOptionsInput> = {},
): Promise<OverloadResult> {
  const intervalMs = OVERLOAD_BOTTLENECK_MS / loadFactor;
  const options: SchedulerOptionsInput = {
    rateHz: 1000 / intervalMs,
    deadlineMs,
    timeMode: 'host',
    mailboxDepth: 1,
    minSamples: 10,
    budgetQuantile: 0.99,
    admissionMarginMs: 5,
    cameras: OVERLOAD_CAMERAS,
    stages: OVERLOAD_STAGES,
    ...extra,
  };
  const { clock } = timeline;
  const outcomes: Outcome<number>[] = [];
  const sched = new DeadlineScheduler<number>(options, clock, { onOutcome: (o) => outcomes.push(o) });
  const stop = new AbortController();
  const running = sched.run(timedStages(timeline), stop.signal);
  const sensorLatencyNs = 2_000_000n;
  const start = clock.now();
  for (let i = 0; i < offers; i++) {
    // Pace arrivals by the clock so timer drift does not lower the offered rate.
    const wait = Number(start + BigInt(Math.round(i * intervalMs * 1e6)) - clock.now()) / 1e6;
    if (wait > 0) await timeline.sleep(wait);
    sched.offer(i, clock.now() - sensorLatencyNs);
  }
  await timeline.sleep(deadlineMs);
  stop.abort();
  await running;
  const completed = outcomes.filter((o) => o.kind === 'completed');
  return { offers, stats: sched.stats(), outcomes, admitted: completed.length, met: completed.filter((o) => o.met).length };
}
