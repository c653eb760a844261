// Property tests of the deadline scheduler in target time: seeded random offered loads (from a
// fraction of capacity to many times it), bursts and arrival jitter, many runs. Checks bounded
// memory, that no admitted set finishes after its deadline, that every set is accounted for, and
// that a replay makes identical decisions every time.
import { strict as assert } from 'node:assert';
import type { Nanos } from '../../src/msgs/time';
import { VirtualClock } from '../../src/scheduler/clock';
import { DeadlineScheduler, SHED_REASONS, type Outcome, type StageTimings } from '../../src/scheduler/deadline_scheduler';
import type { DegradationPlan } from '../../src/scheduler/degradation';
import type { SchedulerOptionsInput } from '../../src/scheduler/scheduler_options';
import { randomInt, seededRandom, type Random } from '../support/seeded_random';

const MS = 1_000_000n;
const CAMERAS = ['front_left', 'front_right', 'left', 'right'];
const BASE: Nanos = 1_700_000_000n * 1_000_000_000n;

function randomOptions(rand: Random): SchedulerOptionsInput {
  return {
    rateHz: 30,
    deadlineMs: randomInt(rand, 20, 80),
    timeMode: 'target',
    mailboxDepth: randomInt(rand, 1, 4),
    windowSize: 16,
    cameras: CAMERAS,
    stages: [
      { name: 'preprocess', budgetMs: 1 + rand() * 2, perCamera: true },
      { name: 'detect', budgetMs: 4 + rand() * 12, perCamera: true },
      { name: 'stereo_depth', budgetMs: rand() * 10 },
      { name: 'learned_depth', budgetMs: rand() * 10 },
      { name: 'fuse', budgetMs: 1 + rand() * 2 },
    ],
  };
}

/** Arrival times: periodic sensor stamps at a random multiple of capacity, bursts, late arrivals. */
function randomArrivals(rand: Random, fullMs: number, count: number): Array<{ stamp: Nanos; arrival: Nanos }> {
  const load = 0.2 + rand() * 4.8; // offered load relative to the full pipeline's capacity
  const periodNs = BigInt(Math.max(1, Math.round((fullMs / load) * 1e6)));
  const out: Array<{ stamp: Nanos; arrival: Nanos }> = [];
  for (let k = 0; k < count; k++) {
    const burst = rand() < 0.1 ? randomInt(rand, 2, 6) : 1;
    for (let b = 0; b < burst; b++) {
      const stamp = BASE + BigInt(k) * periodNs + BigInt(randomInt(rand, 0, 2_000_000));
      const latency = rand() < 0.05 ? BigInt(randomInt(rand, 0, 100)) * MS : BigInt(randomInt(rand, 0, 5_000_000));
      out.push({ stamp, arrival: stamp + latency });
    }
  }
  return out.sort((a, b) => (a.arrival < b.arrival ? -1 : a.arrival > b.arrival ? 1 : 0));
}

interface RunResult {
  outcomes: Outcome<number>[];
  sched: DeadlineScheduler<number>;
  maxPendingSeen: number;
}

async function replay(seed: number): Promise<RunResult> {
  const rand = seededRandom(seed);
  const options = randomOptions(rand);
  const outcomes: Outcome<number>[] = [];
  const clock = new VirtualClock(BASE);
  const sched = new DeadlineScheduler<number>(options, clock, { onOutcome: (o) => outcomes.push(o) });
  const arrivals = randomArrivals(rand, sched.planFor(0).predictedMs, randomInt(rand, 50, 300));
  // The executor's real (host) time is irrelevant in target time; report random host timings.
  const exec = async (_item: number, plan: DegradationPlan): Promise<StageTimings> =>
    Object.fromEntries(plan.stages.map((s) => [s, rand() * 50]));
  let maxPendingSeen = 0;
  for (const [i, a] of arrivals.entries()) {
    await sched.runUntil(a.arrival, exec);
    sched.offer(i, a.stamp);
    maxPendingSeen = Math.max(maxPendingSeen, sched.pending);
  }
  await sched.drain(exec);
  return { outcomes, sched, maxPendingSeen };
}

/** Decisions only (no host timings), for comparing replays. */
const decisions = (outcomes: Outcome<number>[]) =>
  outcomes.map((o) =>
    o.kind === 'shed'
      ? `shed ${o.item} ${o.reason} @${o.at}`
      : `done ${o.item} ${o.plan.rung} [${o.plan.detectCameras}] ${o.startedAt}-${o.finishedAt}`,
  );

describe('DeadlineScheduler in target time (property tests)', () => {
  const SEEDS = Array.from({ length: 150 }, (_, i) => 1000 + i);

  it('never finishes an admitted frame set after its deadline', async () => {
    for (const seed of SEEDS) {
      const { outcomes } = await replay(seed);
      for (const o of outcomes) {
        if (o.kind !== 'completed') continue;
        assert.ok(o.finishedAt <= o.deadline, `seed ${seed}: set ${o.item} finished ${o.finishedAt - o.deadline} ns late`);
        assert.ok(o.met);
      }
    }
  });

  it('keeps memory bounded: waiting sets never exceed the mailbox depth', async () => {
    for (const seed of SEEDS) {
      const { sched, maxPendingSeen } = await replay(seed);
      const depth = sched.options.mailboxDepth;
      assert.ok(maxPendingSeen <= depth, `seed ${seed}: ${maxPendingSeen} waiting > depth ${depth}`);
      assert.ok(sched.stats().maxPending <= depth);
      for (const st of sched.stats().stages) assert.ok(st.samples >= 0);
    }
  });

  it('accounts for every frame set: completed + shed by reason = received', async () => {
    for (const seed of SEEDS) {
      const { sched, outcomes } = await replay(seed);
      const s = sched.stats();
      assert.equal(s.pending, 0);
      assert.equal(s.completed + s.shedTotal, s.received, `seed ${seed}`);
      assert.equal(
        SHED_REASONS.reduce((sum, r) => sum + s.shed[r], 0),
        s.shedTotal,
      );
      for (const r of SHED_REASONS) assert.equal(outcomes.filter((o) => o.kind === 'shed' && o.reason === r).length, s.shed[r]);
      assert.equal(new Set(outcomes.map((o) => o.item)).size, s.received, `seed ${seed}: a set was reported twice or never`);
    }
  });

  it('makes identical decisions on repeated replays', async () => {
    for (const seed of SEEDS.slice(0, 40)) {
      const a = decisions((await replay(seed)).outcomes);
      const b = decisions((await replay(seed)).outcomes);
      assert.deepEqual(b, a, `seed ${seed}`);
    }
  });

  it('exercises degradation and shedding across the seeds (the properties are not vacuous)', async () => {
    const rungs = new Set<string>();
    const reasons = new Set<string>();
    let completed = 0;
    for (const seed of SEEDS) {
      for (const o of (await replay(seed)).outcomes) {
        if (o.kind === 'completed') {
          rungs.add(o.plan.rung);
          completed++;
        } else reasons.add(o.reason);
      }
    }
    assert.ok(completed > 1000);
    assert.deepEqual([...rungs].sort(), ['detect_subset_round_robin', 'full', 'reuse_last_depth', 'skip_learned_depth']);
    assert.deepEqual([...reasons].sort(), [...SHED_REASONS].sort());
  });
});
