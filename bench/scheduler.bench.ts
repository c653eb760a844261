// Deadline scheduler: its own overhead per frame set (target time, no stage work, so only the
// scheduler's bookkeeping is timed), and a 2x-overload run in host time with timer-based stage
// work: the share of admitted frame sets that met their deadline and the shed counts by reason.
import { VirtualClock } from '../src/scheduler/clock';
import { DeadlineScheduler, SHED_REASONS, type StageTimings } from '../src/scheduler/deadline_scheduler';
import type { DegradationPlan } from '../src/scheduler/degradation';
import { OVERLOAD_CAMERAS, OVERLOAD_STAGES, runOverload } from '../test/scheduler/overload_scenario';
import { timeMedianMs, type BenchRow } from './harness';

const SETS = 20_000;
const PERIOD_NS = 33_333_333n;

async function overheadRun(): Promise<void> {
  const clock = new VirtualClock(0n);
  const sched = new DeadlineScheduler<number>(
    { rateHz: 30, timeMode: 'target', mailboxDepth: 2, cameras: OVERLOAD_CAMERAS, stages: OVERLOAD_STAGES },
    clock,
  );
  const timings: Record<string, number> = {};
  const exec = async (_: number, plan: DegradationPlan): Promise<StageTimings> => {
    for (const s of plan.stages) timings[s] = 1;
    return timings;
  };
  // Offered at 1.5x the period's rate, so admission, degradation and superseding all run.
  for (let i = 0; i < SETS; i++) {
    const stamp = (BigInt(i) * PERIOD_NS * 2n) / 3n;
    await sched.runUntil(stamp, exec);
    sched.offer(i, stamp);
  }
  await sched.drain(exec);
}

export default async function (): Promise<BenchRow[]> {
  const ms = await timeMedianMs(overheadRun, 5, 1);
  const perSetUs = (ms * 1e3) / SETS;
  const overload = await runOverload(500, 2);
  const s = overload.stats;
  return [
    {
      name: 'scheduler overhead per frame set (target time)',
      value: perSetUs,
      unit: 'us',
      note: `${SETS} sets offered at 1.5x rate, mailbox 2; ${((perSetUs / 33_333) * 100).toFixed(3)}% of a 33.3 ms period`,
    },
    {
      name: 'host time 2x overload: admitted sets meeting deadline',
      value: (100 * overload.met) / Math.max(1, overload.admitted),
      unit: '%',
      target: 99,
      lowerIsBetter: false,
      note: `${overload.met}/${overload.admitted} admitted of ${overload.offers} offered; rungs ${JSON.stringify(s.rungs)}`,
    },
    {
      name: 'host time 2x overload: shed frame sets',
      value: s.shedTotal,
      unit: 'sets',
      note: `${SHED_REASONS.map((r) => `${r} ${s.shed[r]}`).join(', ')}; sum of reasons = total: ${SHED_REASONS.reduce((a, r) => a + s.shed[r], 0) === s.shedTotal}`,
    },
    {
      name: 'host time 2x overload: p99 latency of admitted sets',
      value: s.latency.p99Ms,
      unit: 'ms',
      note: `deadline 50 ms; p50 ${s.latency.p50Ms.toFixed(1)} ms`,
    },
  ];
}
