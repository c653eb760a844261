import { strict as assert } from 'node:assert';
import { mat4 } from 'gl-matrix';
import { addLearnedRangeNoise } from '../../src/fusion/cluster_noise';
import { resolveFusionOptions } from '../../src/fusion/options';
import { MultiObjectTracker } from '../../src/fusion/tracker';
import type { CameraView, FusedObject } from '../../src/fusion/types';
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

  it("keeps the id of a person who walks through the gap between two cameras' views (no misses where no camera looks)", () => {
    const tr = new MultiObjectTracker(opts);
    const period = 33_333_333n;
    // Walking along +y at 1 m/s; the gap between the views is 2.0 < y < 2.6 (18 frame sets, more than maxMisses).
    const at = (k: number) => obj(3, 0.033 * k);
    const observable = (p: Float64Array) => !(p[1] > 2.0 && p[1] < 2.6);
    const ids = new Set<number>();
    for (let k = 0; k < 100; k++) {
      const m = at(k);
      const seen = observable(Float64Array.from(m.position));
      const [id] = tr.update(BigInt(k) * period, seen ? [m] : [], observable);
      if (seen) ids.add(id);
      if (!seen) assert.equal(tr.snapshots(false)[0]?.state, TrackState.COASTING, `frame ${k}: coasting while unseen`);
    }
    assert.deepEqual([...ids], [1]);
  });

  it('still drops an unseen track after maxUnseenSeconds', () => {
    const tr = new MultiObjectTracker({ ...opts, maxUnseenSeconds: 0.5 });
    for (let k = 0; k < 4; k++) tr.update(ns(k), [obj(5, 0.1 * k)], () => true);
    for (let k = 4; k <= 8; k++) tr.update(ns(k), [], () => false);
    assert.equal(tr.snapshots(false).length, 1, '0.5 s unseen: kept');
    tr.update(ns(9), [], () => false);
    assert.equal(tr.snapshots(false).length, 0, '0.6 s unseen: dropped');
  });

  it('misses a static track that leaves every view as before: only moving tracks coast unseen', () => {
    const tr = new MultiObjectTracker(opts);
    for (let k = 0; k < 4; k++) tr.update(ns(k), [obj(5, 0)], () => true);
    for (let k = 4; k <= 8; k++) tr.update(ns(k), [], () => false);
    assert.equal(tr.snapshots(false).length, 0, 'deleted after maxMisses (4) misses');
  });

  it('refuses stamps that go backwards', () => {
    const tr = new MultiObjectTracker(opts);
    tr.update(ns(5), []);
    assert.throws(() => tr.update(ns(4), []), /expected non-decreasing stamps/);
  });
});

describe('fusion/cluster_noise', () => {
  const view = (camera: string, depthNoise: CameraView['depthNoise']): CameraView => ({
    camera,
    intrinsics: { fx: 400, fy: 400, cx: 320, cy: 240, width: 640, height: 480 },
    baseFromCamera: mat4.create(),
    depth: new Float32Array(640 * 480),
    depthNoise,
    detections: [],
  });
  const cluster = (cameras: string[]): FusedObject => ({ ...obj(0, 4), className: 'obstacle', cameras, rangeSource: 'cluster' });

  it('widens a learned-depth cluster along its bearing by the depth fraction of its range', () => {
    const ob = cluster(['left']);
    addLearnedRangeNoise(ob, [view('left', { kind: 'relative', fraction: 0.1 })]);
    // Bearing +y at 4 m: (0.1 * 4)^2 = 0.16 added to the y variance only.
    assert.deepEqual(
      [...ob.covariance].map((v) => +v.toFixed(4)),
      [0.01, 0, 0, 0, 0.17, 0, 0, 0, 0.01],
    );
  });

  it('leaves a cluster that a stereo camera also sees as it is', () => {
    const ob = cluster(['front_left', 'left']);
    addLearnedRangeNoise(ob, [
      view('left', { kind: 'relative', fraction: 0.1 }),
      view('front_left', { kind: 'stereo', focalBaseline: 48, disparityStd: 0.25 }),
    ]);
    assert.deepEqual([...ob.covariance], [0.01, 0, 0, 0, 0.01, 0, 0, 0, 0.01]);
  });
});
