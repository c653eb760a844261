// The runner's two time modes: host time's settled() waits for the sets in flight without
// polling, and target time bounds the sets waiting for the pipeline.
import { strict as assert } from 'node:assert';
import { HostClock } from '../../src/scheduler/clock';
import { DeadlineScheduler } from '../../src/scheduler/deadline_scheduler';
import type { StageTimings } from '../../src/scheduler/outcomes';
import type { FrameJob } from '../../src/core/frame_job';
import { HostTime, TargetTime } from '../../src/core/time_mode';
import type { FrameSet } from '../../src/sync/frame';

const set = (stamp: bigint): FrameSet => ({ seq: 0, stamp, views: [], missing: [] });

describe('time modes of the runner', () => {
  it('host time: settled() resolves when the last set in flight completes, not before', async () => {
    const clock = new HostClock();
    const time = new HostTime(clock, 1_000_000_000n);
    const outcomes: string[] = [];
    const scheduler = new DeadlineScheduler<FrameJob>(
      { cameras: ['a'], stages: [{ name: 'detect', budgetMs: 1 }], timeMode: 'host', deadlineMs: 10_000 },
      clock,
      {
        onOutcome: (o) => {
          outcomes.push(o.kind);
          time.finished();
        },
      },
    );
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const exec = async (): Promise<StageTimings> => {
      await gate;
      return { detect: 1 };
    };
    time.start(scheduler, exec, async () => [{ detect: 1 }]);
    await time.deliver(scheduler, set(clock.now()));
    let settled = false;
    const done = time.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(settled, false, 'settled while the set is still running');
    release();
    await done;
    assert.deepEqual(outcomes, ['completed']);
    await time.stop();
  });

  it('target time: admits at most 4 + sync.queue_size sets waiting for the pipeline, and a fresh clock on restart', () => {
    const time = new TargetTime(3);
    assert.equal(time.backlogLimit, 7);
    const admitted = Array.from({ length: 9 }, () => time.admit());
    assert.deepEqual(admitted, [...Array<boolean>(7).fill(true), false, false]);
    time.release();
    assert.equal(time.admit(), true);
    const before = time.clock;
    time.restart();
    assert.notEqual(time.clock, before);
    assert.equal(time.clock.now(), 0n);
  });
});
