// Host-time budgets on an injected clock (no dependence on this machine's speed): the warm-up
// seeds them with warm times, never the cold run; a stage the ladder left out because of one slow
// moment is probed again and comes back.
import { strict as assert } from 'node:assert';
import type { Nanos } from '../../src/msgs/time';
import type { Clock } from '../../src/scheduler/clock';
import { DeadlineScheduler, type Outcome, type StageTimings } from '../../src/scheduler/deadline_scheduler';
import type { DegradationPlan } from '../../src/scheduler/degradation';
import type { SchedulerOptionsInput } from '../../src/scheduler/scheduler_options';

const MS = 1_000_000n;

/** A host-mode clock that moves only when the fake stages run. */
class FakeHostClock implements Clock {
  readonly mode = 'host' as const;
  t = 1000n * MS;
  now(): Nanos {
    return this.t;
  }
}

const OPTIONS: SchedulerOptionsInput = {
  rateHz: 30,
  deadlineMs: 100,
  timeMode: 'host',
  ladder: ['reuse_last_depth'],
  probeIntervalSets: 5,
  cameras: ['a', 'b'],
  stages: [
    { name: 'stereo_depth', budgetMs: 10 },
    { name: 'fuse', budgetMs: 5 },
  ],
};

/** Stages that take `ms(stage)` of the fake clock each and report it. */
function fakeStages(clock: FakeHostClock, ms: (stage: string) => number) {
  return async (_: number, plan: DegradationPlan): Promise<StageTimings> => {
    const t: Record<string, number> = {};
    for (const s of plan.stages) {
      t[s] = ms(s);
      clock.t += BigInt(Math.round(t[s] * 1e6));
    }
    return t;
  };
}

/** Stereo with a half-resolution rung, learned depth and fusion, on a ladder that can skip or halve them. */
const LADDER_OPTIONS: SchedulerOptionsInput = {
  ...OPTIONS,
  ladder: ['skip_learned_depth', 'stereo_half_resolution', 'reuse_last_depth'],
  stages: [
    { name: 'stereo_depth', budgetMs: 10, rungBudgetsMs: { stereo_half_resolution: 3 } },
    { name: 'learned_depth', budgetMs: 10 },
    { name: 'fuse', budgetMs: 5 },
  ],
};

type FakeExec = (item: number, plan: DegradationPlan) => Promise<StageTimings>;

/** Host time's loop on `sets` sets offered one after the other, warmed up by running each warm-up plan once with `run`. */
async function runWarmed(clock: FakeHostClock, options: SchedulerOptionsInput, run: FakeExec, sets: number) {
  const outcomes: Outcome<number>[] = [];
  const s = new DeadlineScheduler<number>(options, clock, { onOutcome: (o) => outcomes.push(o) });
  const warmed: string[] = [];
  const warmUp = async (item: number, plans: DegradationPlan[]) => {
    const warm = [];
    for (const p of plans) {
      warmed.push(p.rung);
      warm.push(await run(item, p));
    }
    return warm;
  };
  const stop = new AbortController();
  const loop = s.run(run, stop.signal, warmUp);
  for (let i = 1; i <= sets; i++) {
    s.offer(i, clock.t);
    while (outcomes.length < i) await new Promise((r) => setImmediate(r));
  }
  stop.abort();
  await loop;
  return { s, outcomes, warmed };
}

describe('DeadlineScheduler host-time budgets', () => {
  it('warms up before the first admission: the warm times are the budgets, the cold run counts nowhere', async () => {
    const clock = new FakeHostClock();
    const outcomes: Outcome<number>[] = [];
    const s = new DeadlineScheduler<number>(OPTIONS, clock, { onOutcome: (o) => outcomes.push(o) });
    const exec = fakeStages(clock, (st) => (st === 'stereo_depth' ? 40 : 5));
    const warmUp = async (item: number, plans: DegradationPlan[]) => {
      assert.deepEqual(
        plans.map((p) => p.rung),
        ['full', 'reuse_last_depth'],
        'one plan per shape',
      );
      await fakeStages(clock, (st) => (st === 'stereo_depth' ? 600 : 50))(item, plans[0]); // cold, discarded
      return [await exec(item, plans[0])];
    };
    const stop = new AbortController();
    const loop = s.run(exec, stop.signal, warmUp);
    s.offer(1, clock.t);
    while (outcomes.length < 1) await new Promise((r) => setImmediate(r));
    assert.equal(outcomes[0].kind === 'shed' && outcomes[0].reason, 'deadline_passed', "warming took the first set's slack");
    for (let i = 2; i < 6; i++) {
      s.offer(i, clock.t);
      while (outcomes.length < i) await new Promise((r) => setImmediate(r));
    }
    stop.abort();
    await loop;
    const st = s.stats();
    assert.equal(st.warmedUp, true);
    assert.deepEqual(
      outcomes.slice(1).map((o) => o.kind === 'completed' && o.plan.rung),
      ['full', 'full', 'full', 'full'],
    );
    assert.equal(st.deadlineMisses, 0);
    assert.equal(st.stages.find((x) => x.name === 'stereo_depth')?.budgetMs, 40);
  });

  it('warms each plan shape (half-resolution stereo has its own cost), so admission can pick it from the first set', async () => {
    const clock = new FakeHostClock();
    // On this host full-resolution stereo (120 ms) cannot make the 100 ms deadline; half resolution (30 ms) can.
    const exec = async (item: number, plan: DegradationPlan) =>
      fakeStages(clock, (st) => (st === 'stereo_depth' ? (plan.stereoHalfResolution ? 30 : 120) : 5))(item, plan);
    const { s, outcomes, warmed } = await runWarmed(clock, LADDER_OPTIONS, exec, 6);
    assert.deepEqual(warmed, ['full', 'skip_learned_depth', 'stereo_half_resolution', 'reuse_last_depth']);
    const stereo = s.options.stages.find((x) => x.name === 'stereo_depth')!;
    assert.equal(s.stageBudgetMs(stereo, 'stereo_half_resolution'), 30, 'the half-resolution budget is its warm time');
    assert.deepEqual(
      outcomes.slice(1).map((o) => o.kind === 'completed' && o.plan.rung),
      Array(5).fill('stereo_half_resolution'),
      'admitted at the rung that fits, not at reuse_last_depth',
    );
    assert.equal(s.stats().deadlineMisses, 0);
  });

  it("budgets a stage per plan shape: fusion without learned depth's points is not charged their cost", async () => {
    const clock = new FakeHostClock();
    // Fusing learned depth's points costs 70 ms; without them fusion takes 10 ms.
    const exec = async (item: number, plan: DegradationPlan) =>
      fakeStages(clock, (st) =>
        st === 'stereo_depth' ? (plan.stereoHalfResolution ? 10 : 40) : st === 'learned_depth' ? 20 : plan.skipLearnedDepth ? 10 : 70,
      )(item, plan);
    const { s, outcomes } = await runWarmed(clock, LADDER_OPTIONS, exec, 4);
    // Full: 40 + 20 + 70 = 130 ms, over the deadline. Without learned depth, 40 + 10 = 50 ms fits;
    // charged fusion's 70 ms from the full plan it would be 110 ms, and stereo would be halved.
    assert.deepEqual(
      outcomes.slice(1).map((o) => o.kind === 'completed' && o.plan.rung),
      Array(3).fill('skip_learned_depth'),
    );
    assert.equal(s.planFor(1).predictedMs, 50);
    assert.equal(s.stats().deadlineMisses, 0);
  });

  it('warms up on the first set offered even when it arrives too late to run (a machine that fell behind)', async () => {
    const clock = new FakeHostClock();
    const outcomes: Outcome<number>[] = [];
    const s = new DeadlineScheduler<number>(OPTIONS, clock, { onOutcome: (o) => outcomes.push(o) });
    const exec = fakeStages(clock, (st) => (st === 'stereo_depth' ? 40 : 5));
    let warmedOn: number | undefined;
    const warmUp = async (item: number, plans: DegradationPlan[]) => {
      warmedOn = item;
      return [await exec(item, plans[0])];
    };
    const stop = new AbortController();
    const loop = s.run(exec, stop.signal, warmUp);
    s.offer(1, clock.t - 500n * MS); // stamped 500 ms ago: past its 100 ms deadline on arrival
    assert.equal(outcomes[0]?.kind === 'shed' && outcomes[0].reason, 'deadline_passed');
    while (!s.stats().warmedUp) await new Promise((r) => setImmediate(r));
    s.offer(2, clock.t);
    while (outcomes.length < 2) await new Promise((r) => setImmediate(r));
    stop.abort();
    await loop;
    assert.equal(warmedOn, 1);
    assert.equal(outcomes[1].kind === 'completed' && outcomes[1].plan.rung, 'full');
    assert.equal(s.stats().stages.find((x) => x.name === 'stereo_depth')?.budgetMs, 40, 'budget from the warm run, not the profile');
  });

  it('lets a probe in after probeIntervalSets sets shed for slack with none completed, and recovers', async () => {
    const clock = new FakeHostClock();
    const outcomes: Outcome<number>[] = [];
    const s = new DeadlineScheduler<number>(OPTIONS, clock, { onOutcome: (o) => outcomes.push(o) });
    let fuseMs = 150; // one slow moment: even the cheapest rung (fuse alone) then exceeds the deadline
    const exec = fakeStages(clock, (st) => (st === 'stereo_depth' ? 30 : fuseMs));
    s.offer(0, clock.t);
    await s.runNext(exec);
    fuseMs = 5;
    const decisions: string[] = [];
    for (let i = 1; i <= 9; i++) {
      clock.t += 33n * MS;
      const shed = s.offer(i, clock.t);
      const o = shed.length > 0 ? shed[0] : await s.runNext(exec);
      decisions.push(o?.kind === 'shed' ? o.reason : o?.kind === 'completed' ? (o.probe ? `probe:${o.plan.rung}` : o.plan.rung) : '?');
    }
    // Sets 1-5 are kept out by the 150 ms budget; set 6 probes the cheapest rung (fuse 5 ms), and
    // with that budget the full pipeline fits again.
    assert.deepEqual(decisions, [...Array(5).fill('insufficient_slack'), 'probe:reuse_last_depth', 'full', 'full', 'full']);
    assert.equal(s.stats().deadlineMisses, 1, 'only the slow set missed');
  });

  it('probes a stage that one slow run kept out, and brings it back when it fits again', async () => {
    const clock = new FakeHostClock();
    const s = new DeadlineScheduler<number>(OPTIONS, clock);
    let stereoMs = 500; // one slow moment (another process, a GC): far over the 100 ms deadline
    const exec = fakeStages(clock, (st) => (st === 'stereo_depth' ? stereoMs : 5));
    const rungs: string[] = [];
    for (let i = 0; i < 10; i++) {
      s.offer(i, clock.t);
      const o = await s.runNext(exec);
      assert.equal(o?.kind, 'completed');
      if (o?.kind === 'completed') rungs.push(o.probe ? `probe:${o.plan.rung}` : o.plan.rung);
      stereoMs = 30;
    }
    // Set 0 measured 500 ms; sets 1-5 leave stereo out; set 6 probes it (30 ms) and it stays.
    assert.deepEqual(rungs, ['full', ...Array(5).fill('reuse_last_depth'), 'probe:full', 'full', 'full', 'full']);
    assert.equal(s.stats().probes, 1);
    assert.equal(s.stats().deadlineMisses, 1, 'only the slow set missed');
  });
});
