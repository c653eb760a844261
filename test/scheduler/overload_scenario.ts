// A host-time overload scenario shared by the test and the benchmark: stages are timers of known
// duration (real asynchronous work that leaves the event loop free for arrivals), frame sets are
// offered at `loadFactor` times the full pipeline's capacity, paced by the wall clock.
import { setTimeout as sleep } from 'node:timers/promises';
import { HostClock } from '../../src/scheduler/clock';
import { DeadlineScheduler, type Outcome, type SchedulerStats, type StageTimings } from '../../src/scheduler/deadline_scheduler';
import type { DegradationPlan } from '../../src/scheduler/degradation';
import type { SchedulerOptionsInput } from '../../src/scheduler/scheduler_options';

export const OVERLOAD_CAMERAS = ['front_left', 'front_right', 'left', 'right'];
export const OVERLOAD_STAGES = [
  { name: 'preprocess', budgetMs: 2, perCamera: true },
  { name: 'detect', budgetMs: 8, perCamera: true },
  { name: 'stereo_depth', budgetMs: 4 },
  { name: 'learned_depth', budgetMs: 4 },
  { name: 'fuse', budgetMs: 2 },
];
/** Nominal time of the full pipeline: 20 ms, a capacity of 50 frame sets/s. */
export const OVERLOAD_FULL_MS = OVERLOAD_STAGES.reduce((s, st) => s + st.budgetMs, 0);

/** Runs each planned stage as a timer of its nominal duration and reports the measured times. */
async function timedStages(_item: number, plan: DegradationPlan): Promise<StageTimings> {
  const fraction = plan.detectCameras === 'all' ? 1 : plan.detectCameras.length / OVERLOAD_CAMERAS.length;
  const timings: Record<string, number> = {};
  for (const stage of OVERLOAD_STAGES) {
    if (!plan.stages.includes(stage.name)) continue;
    const t0 = process.hrtime.bigint();
    await sleep(stage.budgetMs * (stage.perCamera ? fraction : 1));
    timings[stage.name] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return timings;
}

export interface OverloadResult {
  offers: number;
  stats: SchedulerStats;
  outcomes: Outcome<number>[];
  admitted: number;
  met: number;
}

/** Offers `offers` frame sets at `loadFactor` x capacity with a `deadlineMs` deadline. */
export async function runOverload(offers: number, loadFactor = 2, deadlineMs = 50): Promise<OverloadResult> {
  const intervalMs = OVERLOAD_FULL_MS / loadFactor;
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
  };
  const clock = new HostClock();
  const outcomes: Outcome<number>[] = [];
  const sched = new DeadlineScheduler<number>(options, clock, { onOutcome: (o) => outcomes.push(o) });
  const stop = new AbortController();
  const running = sched.run(timedStages, stop.signal);
  const sensorLatencyNs = 2_000_000n;
  const start = process.hrtime.bigint();
  for (let i = 0; i < offers; i++) {
    // Pace arrivals by the wall clock so timer drift does not lower the offered rate.
    const wait = Number(start + BigInt(Math.round(i * intervalMs * 1e6)) - process.hrtime.bigint()) / 1e6;
    if (wait > 0) await sleep(wait);
    sched.offer(i, clock.now() - sensorLatencyNs);
  }
  await sleep(deadlineMs);
  stop.abort();
  await running;
  const completed = outcomes.filter((o) => o.kind === 'completed');
  return { offers, stats: sched.stats(), outcomes, admitted: completed.length, met: completed.filter((o) => o.met).length };
}
