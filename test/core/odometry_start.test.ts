// Odometry that starts after the first frame sets (a robot's /tf odom -> base_link published
// late, or a bag whose recording began before the odometry node): the sets before it are
// tracked in base_link, then tracking restarts in odom with one warning naming the transform,
// instead of the fusion stage refusing the change of tracking frame (which killed the live node).
import { strict as assert } from 'node:assert';
import { parseConfig } from '../../src/config/config';
import { outputOf } from '../../src/core/result';
import { replayBag } from '../../src/replay/replay';
import { editBag, sceneBag } from '../support/scene_bags';

describe('odometry that starts late', function () {
  this.timeout(600_000);

  it('tracks in base_link until /tf brings odom -> base_link, then restarts the tracks in odom, every set completed', async () => {
    const bag = await sceneBag('moving_robot', 0.5);
    let first: bigint | undefined;
    const late = await editBag(bag, (m) => {
      first ??= m.logTime;
      return m.topic === '/tf' && m.logTime < first + 150_000_000n ? 'drop' : 'keep';
    });
    const warnings: string[] = [];
    const frames: string[] = [];
    const decisions: string[] = [];
    await replayBag(late, {
      config: parseConfig({ scheduler: { time_mode: 'target' } }),
      onWarning: (w) => warnings.push(w),
      onResult: (r) => {
        decisions.push(r.decision);
        const tracks = outputOf(r, 'dx_perception/msg/TrackedObjectArray');
        if (tracks) frames.push(tracks.header.frame_id);
      },
    });
    assert.ok(decisions.length >= 12, `only ${decisions.length} frame sets`);
    assert.deepEqual(
      decisions.filter((d) => d !== 'completed'),
      [],
      decisions.join(' '),
    );
    const restarts = warnings.filter((w) =>
      /odometry \(odom -> base_link on \/tf\) arrived after \d+ frame set\(s\): tracks restart in odom/.test(w),
    );
    assert.equal(restarts.length, 1, warnings.join('\n'));
    assert.deepEqual(
      warnings.filter((w) => /frame set .* failed|tracking frame changed|warming up .* failed/.test(w)),
      [],
    );
    assert.equal(frames[0], 'base_link');
    assert.equal(frames[frames.length - 1], 'odom');
  });
});
