import { strict as assert } from 'node:assert';
import { mat4 } from 'gl-matrix';
import { FusionStage } from '../../src/fusion/fusion_stage';
import { ObstacleClusterer } from '../../src/fusion/obstacle_clusters';
import { resolveFusionOptions } from '../../src/fusion/options';
import { PersistenceFilter } from '../../src/fusion/persistence';
import { block } from './support/point_blocks';

const options = resolveFusionOptions();

describe('fusion/persistence', () => {
  it('drops points that appear in one frame set only and keeps the surfaces that stay', () => {
    const f = new PersistenceFilter(options.persistence);
    const wall = block(5, 5, -2, 2);
    const kept: number[] = [];
    for (let k = 0; k < 4; k++) {
      const stray = [1 + k, -3 - k, 0.5]; // somewhere new every time
      kept.push(f.filter(Float32Array.from([...wall, ...stray])).length / 3);
    }
    const wallPoints = wall.length / 3;
    assert.equal(kept[0], wallPoints + 1, 'start-up: no history, nothing dropped');
    assert.equal(kept[1], wallPoints + 1, 'one frame of history is not enough to judge');
    assert.deepEqual(kept.slice(2), [wallPoints, wallPoints], 'then the stray point goes, the wall stays');
  });

  it('keeps its history across a live retune of the fusion stage, so flicker stays filtered', () => {
    const stage = new FusionStage();
    const wall = block(5, 5, -2, 2);
    const cloudPoints = (k: number) => {
      const stray = [1 + k, -3 - k, 0.5]; // somewhere new every time
      return stage.update(BigInt(k) * 33_000_000n, [], Float32Array.from([...wall, ...stray])).cloud.width;
    };
    for (let k = 0; k < 3; k++) cloudPoints(k);
    const filtered = cloudPoints(3);
    stage.retune({ tracker: { maxMisses: 5 } });
    assert.equal(cloudPoints(4), filtered, 'a tracker change restarted the persistence history: the stray point came back');
    stage.retune({ tracker: { maxMisses: 5 }, persistence: { minFrames: 3 } });
    assert.equal(cloudPoints(5), filtered + 1, 'new persistence options start a new history (start-up: nothing dropped)');
  });

  it('judges persistence in the fixed frame, so a driving robot keeps a static wall', () => {
    const f = new PersistenceFilter(options.persistence);
    let last = 0;
    for (let k = 0; k < 4; k++) {
      // The base drives 0.5 m a frame set: the wall at odom x = 6 is at base x = 6 - 0.5 k.
      const wall = block(6 - 0.5 * k, 6 - 0.5 * k, -2, 2);
      last = f.filter(Float32Array.from(wall), mat4.fromTranslation(mat4.create(), [0.5 * k, 0, 0])).length;
      assert.equal(last, wall.length, `frame set ${k}`);
    }
    f.reset();
    assert.ok(last > 0);
  });
});

describe('fusion/obstacle_clusters', () => {
  it('tracks a box beside a wall, not the wall, its fragments or the sparse smear between them', () => {
    const c = new ObstacleClusterer(options.obstacles);
    const wall = block(8, 8.1, -4, 4);
    const box = block(5, 5.6, 1.6, 2.2);
    const fragment = block(8.3, 8.5, 4.3, 4.5); // a piece of the wall broken off by noise
    const smear = [6, 2.6, 0.5, 6.5, 3, 0.5, 7, 3.4, 0.5, 7.5, 3.7, 0.5]; // single points from box to wall
    const out = c.cluster(Float32Array.from([...wall, ...box, ...fragment, ...smear]), []);
    assert.equal(out.length, 1, JSON.stringify(out.map((o) => o.position)));
    assert.ok(Math.abs(out[0].position[0] - 5.3) < 0.1 && Math.abs(out[0].position[1] - 1.9) < 0.1);
  });
});
