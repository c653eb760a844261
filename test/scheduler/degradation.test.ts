// The ladder's choices on hand-made situations, the building blocks (mailbox, window, clock,
// options), and the status/diagnostics messages.
import { strict as assert } from 'node:assert';
import { DiagnosticLevel } from '../../src/msgs/types';
import { HostClock, VirtualClock } from '../../src/scheduler/clock';
import { DeadlineScheduler, type StageTimings } from '../../src/scheduler/deadline_scheduler';
import type { DegradationPlan } from '../../src/scheduler/degradation';
import { LatencyWindow } from '../../src/scheduler/latency_window';
import { LatestMailbox } from '../../src/scheduler/latest_mailbox';
import { parseSchedulerOptions, type SchedulerOptionsInput } from '../../src/scheduler/scheduler_options';
import { DIAGNOSTICS_PERIOD_NS, DiagnosticsReport } from '../../src/core/diagnostics_report';
import { pipelineStatus, schedulerDiagnostic } from '../../src/core/status_messages';

const MS = 1_000_000n;
const CAMERAS = ['a', 'b', 'c', 'd'];
// Full: 4 + 16 + 8 + 6 + 2 = 36 ms. skip_learned_depth: 30. + subset of 2 cameras: 20.
// + stereo at half resolution (2 instead of 8): 14. + reuse depth: 12.
const OPTIONS: SchedulerOptionsInput = {
  rateHz: 30,
  deadlineMs: 40,
  timeMode: 'target',
  cameras: CAMERAS,
  stages: [
    { name: 'preprocess', budgetMs: 4, perCamera: true },
    { name: 'detect', budgetMs: 16, perCamera: true },
    { name: 'stereo_depth', budgetMs: 8, rungBudgetsMs: { stereo_half_resolution: 2 } },
    { name: 'learned_depth', budgetMs: 6 },
    { name: 'fuse', budgetMs: 2 },
  ],
};
const header = { stamp: { sec: 1, nanosec: 0 }, frame_id: 'base_link' };
const noWork = async (_: number, plan: DegradationPlan): Promise<StageTimings> => Object.fromEntries(plan.stages.map((s) => [s, 1]));

describe('degradation ladder', () => {
  it('prices each cumulative rung from the stage budgets', () => {
    const s = new DeadlineScheduler<number>(OPTIONS, new VirtualClock());
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((l) => s.planFor(l).predictedMs),
      [36, 30, 20, 14, 12],
    );
    assert.equal(s.planFor(3).stereoHalfResolution, true);
    assert.equal(s.planFor(2).stereoHalfResolution, false);
    assert.deepEqual(s.planFor(3).stages, ['preprocess', 'detect', 'stereo_depth', 'fuse']);
    assert.deepEqual(s.planFor(4).stages, ['preprocess', 'detect', 'fuse']);
    assert.equal(s.planFor(4).reuseLastDepth, true);
    assert.deepEqual(s.planFor(2).detectCameras, ['a', 'b']);
  });

  it('picks the least-degraded rung that fits the slack left', async () => {
    // At 25 Hz the full plan (36 ms on one resource) keeps up with the 40 ms period; at 30 Hz it
    // cannot, so admission starts one rung down even with all the slack.
    for (const [rateHz, lateMs, rung] of [
      [25, 0, 'full'],
      [30, 0, 'skip_learned_depth'],
      [25, 5, 'skip_learned_depth'],
      [25, 15, 'detect_subset_round_robin'],
      [25, 25, 'stereo_half_resolution'],
      [25, 27, 'reuse_last_depth'],
    ] as const) {
      const clock = new VirtualClock(1000n * MS);
      const s = new DeadlineScheduler<number>({ ...OPTIONS, rateHz }, clock);
      s.offer(1, 1000n * MS - BigInt(lateMs) * MS);
      const o = await s.runNext(noWork);
      assert.equal(o?.kind, 'completed');
      if (o?.kind === 'completed') assert.equal(o.plan.rung, rung, `${lateMs} ms late`);
    }
  });

  it('sheds a set no rung can save, with its reason', async () => {
    const clock = new VirtualClock(1000n * MS);
    const s = new DeadlineScheduler<number>(OPTIONS, clock);
    assert.equal(s.offer(1, 1000n * MS - 30n * MS)[0]?.reason, 'insufficient_slack'); // 10 ms left < 12 ms
    assert.equal(s.offer(2, 1000n * MS - 41n * MS)[0]?.reason, 'deadline_passed');
    assert.deepEqual(s.stats().shed, { superseded: 0, deadline_passed: 1, insufficient_slack: 1 });
  });

  it('rotates the detection subset round-robin over the whole rig', async () => {
    const clock = new VirtualClock(1000n * MS);
    const s = new DeadlineScheduler<number>({ ...OPTIONS, ladder: ['detect_subset_round_robin'], detectSubsetSize: 1 }, clock);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      s.offer(i, clock.now() - 10n * MS); // 30 ms left: full (36) does not fit, subset (21) does
      const o = await s.runNext(noWork);
      if (o?.kind === 'completed' && o.plan.detectCameras !== 'all') seen.push(...o.plan.detectCameras);
      if (o?.kind === 'completed') clock.advanceTo(o.finishedAt);
    }
    assert.deepEqual(seen, ['a', 'b', 'c', 'd']);
  });

  it('dispatches earliest deadline first', async () => {
    const clock = new VirtualClock(1000n * MS);
    const s = new DeadlineScheduler<number>({ ...OPTIONS, mailboxDepth: 3, deadlineMs: 200 }, clock);
    s.offer(1, 1000n * MS);
    s.offer(2, 990n * MS);
    s.offer(3, 995n * MS);
    const order: number[] = [];
    for (let i = 0; i < 3; i++) {
      const o = await s.runNext(noWork);
      if (o) order.push(o.item);
    }
    assert.deepEqual(order, [2, 3, 1]);
  });
});

describe('scheduler building blocks', () => {
  it('LatestMailbox keeps the newest items and reports what it evicts', () => {
    const m = new LatestMailbox<number>(2);
    assert.equal(m.put(1), undefined);
    assert.equal(m.put(2), undefined);
    assert.equal(m.put(3), 1);
    assert.deepEqual(m.peekAll(), [2, 3]);
    assert.equal(m.superseded, 1);
    assert.equal(
      m.takeBest((a, b) => a > b),
      3,
    );
    assert.throws(() => new LatestMailbox(0), /capacity = 0; expected a positive integer/);
  });

  it('LatencyWindow gives nearest-rank quantiles over the last samples only', () => {
    const w = new LatencyWindow(100);
    for (let i = 1; i <= 300; i++) w.add(i);
    assert.equal(w.size, 100);
    assert.equal(w.total, 300);
    assert.equal(w.quantile(0.5), 250);
    assert.equal(w.quantile(0.99), 299);
    assert.equal(w.quantile(1), 300);
    assert.throws(() => w.add(Number.NaN), /expected a finite time/);
  });

  it('VirtualClock only moves forward; HostClock tracks the epoch', () => {
    const c = new VirtualClock(10n);
    c.advanceTo(5n);
    assert.equal(c.now(), 10n);
    c.advanceBy(5n);
    assert.equal(c.now(), 15n);
    const hostMs = Number(new HostClock().now() / MS);
    assert.ok(Math.abs(hostMs - Date.now()) < 50);
  });

  it('rejects bad options naming the key, the value and the expectation', () => {
    assert.throws(() => parseSchedulerOptions({ ...OPTIONS, rateHz: -5 }), /rateHz = -5: .*(greater|>)/i);
    assert.throws(() => parseSchedulerOptions({ ...OPTIONS, ladder: ['skip_everything'] }), /ladder\.0 = "skip_everything"/);
    assert.throws(() => parseSchedulerOptions({ ...OPTIONS, detectSubsetSize: 9 }), /detectSubsetSize = 9: exceeds the 4 cameras/);
    assert.throws(() => new DeadlineScheduler(OPTIONS, new HostClock()), /timeMode "target" needs a VirtualClock/);
  });
});

describe('status messages', () => {
  it('publishes PipelineStatus and DiagnosticArray consistent with the statistics', async () => {
    const clock = new VirtualClock(1000n * MS);
    const s = new DeadlineScheduler<number>(OPTIONS, clock);
    s.offer(1, clock.now());
    s.offer(2, clock.now()); // supersedes 1
    await s.runNext(noWork);
    const status = pipelineStatus(s.stats(), s.statusContext(), header, {});
    assert.equal(status.time_mode, 'target');
    assert.equal(status.frame_sets_received, 2n);
    assert.equal(status.frame_sets_completed, 1n);
    assert.equal(status.shed_total, 1n);
    assert.equal(
      status.shed.reduce((sum, c) => sum + c.count, 0n),
      status.shed_total,
    );
    assert.equal(status.shed.find((c) => c.reason === 'superseded')?.count, 1n);
    assert.equal(status.predicted_total_ms, 36);
    assert.deepEqual(
      status.stages.map((st) => st.name),
      ['preprocess', 'detect', 'stereo_depth', 'learned_depth', 'fuse'],
    );
    assert.deepEqual(status.active_cameras, CAMERAS);

    const report = new DiagnosticsReport();
    const diagnostic = () => schedulerDiagnostic(s.stats(), s.statusContext(), report.since(s.stats(), 0n));
    const first = diagnostic();
    assert.equal(first.level, DiagnosticLevel.WARN); // a set was shed since the last report
    assert.equal(first.values.find((v) => v.key === 'shed.superseded')?.value, '1');
    assert.equal(first.hardware_id, 'dx-v3');
    assert.equal(diagnostic().level, DiagnosticLevel.OK, 'nothing new since the previous report');
    assert.equal(s.stats().shedTotal, 1, 'reporting resets no counter');
  });

  it('sends /diagnostics about once a second of sensor time, not once per frame set, and starts over when time jumps back', () => {
    const report = new DiagnosticsReport();
    const t0 = 1_700_000_000_000_000_000n;
    const stamps = Array.from({ length: 90 }, (_, i) => t0 + (BigInt(i) * 1_000_000_000n) / 30n); // 3 s at 30 Hz
    const due = stamps.filter((t) => report.due(t));
    assert.deepEqual(
      due.map((t) => Number(t - t0) / 1e9),
      [0, 1, 2],
    );
    assert.ok(due.every((t, i) => i === 0 || t - due[i - 1] >= DIAGNOSTICS_PERIOD_NS));
    assert.equal(report.due(t0), true, 'a bag loop (stamps back at the start) reports at once');
  });
});
