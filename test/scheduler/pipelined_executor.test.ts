// The pipelined executor in target time and host time: stages hold the resources they run on, so successive
// frame sets overlap across resources. A rig whose stage times sum to more than the period keeps
// up when no single resource is loaded past it, and the same stages on one resource do not.
import { strict as assert } from 'node:assert';
import type { Nanos } from '../../src/msgs/time';
import { VirtualClock } from '../../src/scheduler/clock';
import { DeadlineScheduler, type Outcome, type StageTimings } from '../../src/scheduler/deadline_scheduler';
import type { DegradationPlan } from '../../src/scheduler/degradation';
import { ResourceTimeline } from '../../src/scheduler/resource_timeline';
import type { SchedulerOptionsInput, StageOptionsInput } from '../../src/scheduler/scheduler_options';
import { OVERLOAD_BOTTLENECK_MS, runOverload, SimulatedTimeline } from './overload_scenario';

const MS = 1_000_000n;
const BASE: Nanos = 1_700_000_000n * 1_000_000_000n;
const CAMERAS = ['front_left', 'front_right'];

/** 25 + 25 + 10 = 60 ms per set at a 33.3 ms period; the busiest resource needs 25 ms. */
const PIPELINED: StageOptionsInput[] = [
  { name: 'detect', budgetMs: 25, resource: 'accelerator' },
  { name: 'stereo_depth', budgetMs: 25, resource: 'cpu', units: 2 },
  { name: 'fuse', budgetMs: 10, resource: 'scaler' },
];

async function replay(stages: StageOptionsInput[], sets: number) {
  const options: SchedulerOptionsInput = {
    rateHz: 30,
    deadlineMs: 100,
    timeMode: 'target',
    cameras: CAMERAS,
    ladder: ['reuse_last_depth'],
    resources: { cpu: 2, accelerator: 1, scaler: 1 },
    stages,
  };
  const outcomes: Outcome<number>[] = [];
  const sched = new DeadlineScheduler<number>(options, new VirtualClock(BASE), { onOutcome: (o) => outcomes.push(o) });
  const exec = async (_i: number, plan: DegradationPlan): Promise<StageTimings> => Object.fromEntries(plan.stages.map((s) => [s, 1]));
  const period = 1_000_000_000n / 30n;
  for (let k = 0; k < sets; k++) {
    const stamp = BASE + BigInt(k) * period;
    await sched.runUntil(stamp, exec);
    sched.offer(k, stamp);
  }
  await sched.drain(exec);
  return { outcomes, stats: sched.stats() };
}

describe('pipelined executor (target time)', () => {
  it("overlaps successive sets across resources on the timeline and reports each resource's utilisation", () => {
    const tl = new ResourceTimeline({ cpu: 2, accelerator: 1 }, []);
    const plan = [
      { resource: 'accelerator', units: 1, ms: 20 },
      { resource: 'cpu', units: 2, ms: 20 },
    ];
    assert.equal(tl.reserve(plan, 0n), 40n * MS);
    // The second set's detection runs while the first one's stereo holds the CPU.
    const second = tl.freeAt('accelerator', 1, 0n);
    assert.equal(second, 20n * MS);
    assert.equal(tl.reserve(plan, second), 60n * MS);
    const use = Object.fromEntries(tl.usage().map((u) => [u.resource, u]));
    assert.equal(use.accelerator.busyMs, 40);
    assert.equal(use.cpu.busyMs, 80); // 2 cores x 2 sets x 20 ms
    assert.ok(Math.abs(use.accelerator.utilisation - 40 / 60) < 1e-12);
    assert.ok(Math.abs(use.cpu.utilisation - 80 / (2 * 60)) < 1e-12);
  });

  it('keeps up at the full rung when the stages sum past the period but no resource is loaded past it', async () => {
    const { outcomes, stats } = await replay(PIPELINED, 300);
    assert.equal(stats.received, 300);
    assert.equal(stats.completed, 300, `shed: ${JSON.stringify(stats.shed)}`);
    assert.ok(outcomes.every((o) => o.kind === 'completed' && o.met && o.plan.rung === 'full'));
    // Sets overlap: in steady state each takes 60 ms from dispatch to finish, one finishes per period.
    const use = Object.fromEntries(stats.resources.map((r) => [r.resource, r.utilisation]));
    for (const r of ['accelerator', 'cpu']) assert.ok(Math.abs(use[r] - 25 / (1000 / 30)) < 0.01, `${r}: ${use[r]}`);
    assert.ok(Math.abs(use.scaler - 10 / (1000 / 30)) < 0.01, `scaler: ${use.scaler}`);
  });

  it('degrades or sheds the same stages when they all share one resource (one serial budget)', async () => {
    const serial = PIPELINED.map((s) => ({ ...s, resource: 'cpu', units: 2 }));
    const { stats } = await replay(serial, 300);
    const full = stats.rungs.full ?? 0;
    assert.ok(full < 200, `full-rung sets: ${full}`);
    assert.ok(stats.shedTotal + (stats.rungs.reuse_last_depth ?? 0) > 100, JSON.stringify(stats));
    assert.ok(stats.resources.find((r) => r.resource === 'cpu')!.utilisation > 0.9);
  });
});

describe('pipelined executor (host time)', function () {
  this.timeout(20_000);
  // The overload scenario's stages sum to 20 ms a set, 8 of them on the main thread (its busiest
  // resource); sets offered every 10 ms (100/s) on a simulated host clock: twice what one set at
  // a time can do, 80 % of what overlapping them across resources can.
  const offers = 300;
  const load = OVERLOAD_BOTTLENECK_MS / 10;

  it('keeps up at the full rung when successive sets overlap across the main thread and the workers', async () => {
    const { stats: s, outcomes, admitted, met } = await runOverload(offers, load, 50, new SimulatedTimeline());
    const full = outcomes.filter((o) => o.kind === 'completed' && o.plan.rung === 'full').length;
    assert.ok(admitted >= offers * 0.95, `completed ${admitted} of ${offers} (${JSON.stringify(s.shed)})`);
    assert.ok(full >= offers * 0.9, `${full} of ${offers} at the full rung`);
    assert.ok(met / admitted >= 0.99, `${met} of ${admitted} met the deadline`);
    // Measured use of this host's resources: 8 ms of the main thread and of the detector per 10 ms set.
    const use = Object.fromEntries(s.resources.map((r) => [r.resource, r.utilisation]));
    for (const r of ['main_thread', 'detector']) assert.ok(use[r] > 0.6 && use[r] <= 1, `${r}: ${JSON.stringify(s.resources)}`);
    assert.ok(use.stereo_workers > 0.3 && use.stereo_workers < 0.5, JSON.stringify(s.resources));
    // Two sets were in flight at once: one started before the one before it finished.
    const done = outcomes.filter((o) => o.kind === 'completed');
    assert.ok(
      done.some((o, i) => i > 0 && o.startedAt < done[i - 1].finishedAt),
      'no set started before the previous one finished',
    );
  });

  it('sheds or degrades the same load one set at a time (pipelineDepth 1), and still meets the deadlines it admits', async () => {
    const { stats: s, outcomes, admitted, met } = await runOverload(offers, load, 50, new SimulatedTimeline(), { pipelineDepth: 1 });
    const full = outcomes.filter((o) => o.kind === 'completed' && o.plan.rung === 'full').length;
    assert.ok(full <= offers * 0.6, `${full} of ${offers} at the full rung one at a time (${JSON.stringify(s.shed)})`);
    assert.ok(met / admitted >= 0.99, `${met} of ${admitted} met the deadline`);
  });
});
