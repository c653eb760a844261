import { strict as assert } from 'node:assert';
import { resolveFusionOptions } from '../../src/fusion/options';
import { MultiObjectTracker } from '../../src/fusion/tracker';
import type { FusedObject } from '../../src/fusion/types';
import { TrackState } from '../../src/msgs/types';

const opts = resolveFusionOptions({ tracker: { confirmHits: 3, maxMisses: 4, tentativeMaxMisses: 1 } }).tracker;
const obj = (x: number, y: number, className = 'person'): FusedObject => ({
  position: [x, y, 0.9],
  covariance: Float64Array.from([0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.01]),
  size: [0.5, 0.5, 1.7],
  yaw: 0,
  className,
  classId: 0,
  score: 0.9,
  cameras: ['front_left'],
  rangeSource: 'depth',
});
const ns = (k: number) => BigInt(k) * 100_000_000n;

describe('fusion/tracker', () => {
  it('confirms after N hits, coasts through misses and deletes after M misses', () => {
    const tr = new MultiObjectTracker(opts);
    for (let k = 0; k < 6; k++) {
      tr.update(ns(k), [obj(5 + 0.1 * k, 0)]);
      assert.equal(tr.snapshots(true)[0].state, k < 2 ? TrackState.TENTATIVE : TrackState.CONFIRMED);
    }
    assert.equal(tr.snapshots(false).length, 1);
    for (let k = 6; k < 10; k++) {
      tr.update(ns(k), []);
      const [s] = tr.snapshots(false);
      assert.equal(s.state, TrackState.COASTING);
      assert.ok(Math.abs(s.position[0] - (5 + 0.1 * k)) < 0.05, 'coasting follows the velocity');
    }
    tr.update(ns(10), []);
    assert.equal(tr.snapshots(true).length, 0, 'deleted after maxMisses');
  });

  it('drops a tentative track at its first miss and never reuses an id, even after reset', () => {
    const tr = new MultiObjectTracker(opts);
    const [first] = tr.update(ns(0), [obj(3, 1)]);
    tr.update(ns(1), []);
    assert.equal(tr.snapshots(true).length, 0);
    const [second] = tr.update(ns(2), [obj(3, 1)]);
    tr.reset();
    const [third] = tr.update(ns(0), [obj(3, 1)]);
    assert.deepEqual([first, second, third], [1, 2, 3]);
  });

  it('keeps two crossing objects on their own tracks', () => {
    const tr = new MultiObjectTracker(opts);
    const ids = new Set<string>();
    for (let k = 0; k <= 20; k++) {
      const t = k * 0.1;
      const [a, b] = tr.update(ns(k), [obj(4, -1 + t), obj(4.6, 1 - t)]);
      ids.add(`${a}-${b}`);
    }
    assert.equal(ids.size, 1, `assignments changed: ${[...ids]}`);
  });

  it('does not pair different detector classes, but lets an obstacle update a classed track', () => {
    const tr = new MultiObjectTracker(opts);
    const [p] = tr.update(ns(0), [obj(5, 0)]);
    const [c] = tr.update(ns(1), [obj(5.02, 0, 'chair')]);
    assert.notEqual(c, p, 'a chair does not update a person track');
    const tr2 = new MultiObjectTracker(opts);
    const [q] = tr2.update(ns(0), [obj(5, 0)]);
    const [o] = tr2.update(ns(1), [obj(5.02, 0, 'obstacle')]);
    assert.equal(o, q);
    assert.equal(tr2.snapshots(true)[0].className, 'person', 'the detector class wins the vote');
  });

  it('refuses stamps that go backwards', () => {
    const tr = new MultiObjectTracker(opts);
    tr.update(ns(5), []);
    assert.throws(() => tr.update(ns(4), []), /expected non-decreasing stamps/);
  });
});
