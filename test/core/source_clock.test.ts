import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { PlaybackClock, SourceAlignedClock } from '../../src/core/source_clock';

const MS = 1_000_000n;

describe('SourceAlignedClock', () => {
  const t0 = 1_700_000_000_000_000_000n;

  it('follows a source that runs slower than the wall clock (ros2 bag play -r 0.2)', async () => {
    const clock = new SourceAlignedClock(1_000n * MS);
    clock.observe(t0);
    for (let i = 1; i <= 5; i++) {
      await sleep(50);
      clock.observe(t0 + BigInt(i) * 10n * MS); // 10 ms of source time per 50 ms of wall time
    }
    const lag = Number(clock.now() - (t0 + 50n * MS)) / 1e6;
    // Behind the wall clock's 250 ms by ~200 ms; at most one observation interval ahead of the source.
    assert.ok(lag >= 0 && lag < 60, `clock is ${lag} ms past the source`);
  });

  it('never runs backwards, except on a reset of the source (a loop) by more than a second', async () => {
    const clock = new SourceAlignedClock(1_000n * MS);
    clock.observe(t0);
    await sleep(20);
    const a = clock.now();
    clock.observe(t0 + 1n * MS); // the source is behind what the clock already said
    assert.ok(clock.now() >= a);
    clock.observe(t0 - 5_000n * MS);
    assert.ok(clock.now() < t0 - 4_000n * MS, 'restarted at the looped source time');
  });
});

describe('PlaybackClock', () => {
  const t0 = 1_700_000_000_000_000_000n;

  it('maps the bag onto the wall clock from the first message and never re-anchors, so a replay that falls behind sees its lag', async () => {
    let wall = 5_000n * MS;
    const clock = new PlaybackClock(2, () => wall);
    assert.equal(await clock.wait(t0), 0);
    wall += 100n * MS; // at rate 2, 200 ms of bag have passed
    assert.equal(clock.now(), t0 + 200n * MS);
    // A message logged at +50 ms handed in now (the main thread was busy) is 75 wall-ms late.
    assert.equal(await clock.wait(t0 + 50n * MS), 75);
    assert.equal(clock.now(), t0 + 200n * MS, 'a late message does not pull the clock back');
  });

  it('refuses a rate that is not a positive speed, naming it', () => {
    assert.throws(() => new PlaybackClock(0), /replay rate = 0; expected a positive playback speed/);
  });
});
