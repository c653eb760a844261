import { strict as assert } from 'node:assert';
import { DetectionLifter, assertCameraView } from '../../src/fusion/lifting';
import { mergeAcrossCameras } from '../../src/fusion/merge';
import { resolveFusionOptions } from '../../src/fusion/options';
import type { FusedObject } from '../../src/fusion/types';
import { DISPARITY_STD, Rng, makeRig, renderCamera, stateAt, type SceneObject } from './support/synthetic_scene';

const options = resolveFusionOptions({});
const person = (gtId: number, x: number, y: number): SceneObject => ({
  gtId,
  className: 'person',
  classId: 0,
  detectable: true,
  size: [0.45, 0.5, 1.75],
  start: [x, y],
  velocity: [0, 0],
  yaw: 0,
});
const wall: SceneObject = {
  gtId: 99,
  className: 'wall',
  classId: -1,
  detectable: false,
  size: [0.3, 12, 2.5],
  start: [10, 0],
  velocity: [0, 0],
  yaw: 0,
};

function render(objects: SceneObject[], seed = 1) {
  const rig = makeRig();
  const states = objects.map((o) => stateAt(o, 0));
  const rng = new Rng(seed);
  return rig.map((cam) => renderCamera(cam, states, { rng, boxNoisePx: 1, missRate: 0, disparityStd: DISPARITY_STD }).view);
}

function nearestTo(objs: readonly FusedObject[], x: number, y: number): FusedObject {
  return objs.reduce((a, b) =>
    Math.hypot(a.position[0] - x, a.position[1] - y) < Math.hypot(b.position[0] - x, b.position[1] - y) ? a : b,
  );
}

describe('fusion/lifting', () => {
  it('places a person in front of a wall at its own range, rejecting ground and background', () => {
    const views = render([person(1, 6, 0.5), wall]);
    const lifted = new DetectionLifter(options.lifting).liftView(views[0]);
    assert.equal(lifted.length, 1);
    const [obj] = lifted;
    const err = Math.hypot(obj.position[0] - 6, obj.position[1] - 0.5, obj.position[2] - 0.875);
    assert.ok(err < 0.05 * Math.hypot(6, 0.5), `position error ${err.toFixed(3)} m at 6 m: ${obj.position}`);
    assert.ok(Math.abs(obj.size[2] - 1.75) < 0.2, `height ${obj.size[2].toFixed(2)} m`);
    assert.ok(Math.abs(obj.size[1] - 0.5) < 0.15, `width ${obj.size[1].toFixed(2)} m`);
    assert.equal(obj.rangeSource, 'depth');
    assert.deepEqual(obj.cameras, ['front_left']);
  });

  it('ranges a half-occluded person behind another one, not at the occluder', () => {
    const views = render([person(1, 3, 0.2), person(2, 5.5, -0.18)], 4);
    const lifted = new DetectionLifter(options.lifting).liftView(views[0]);
    assert.equal(lifted.length, 2, 'both persons are detected');
    const far = nearestTo(lifted, 5.5, -0.18);
    const err = Math.hypot(far.position[0] - 5.5, far.position[1] + 0.18);
    assert.ok(err < 0.05 * 5.5, `occluded person error ${err.toFixed(3)} m (${far.position})`);
  });

  it('grows the covariance with range', () => {
    const lifter = new DetectionLifter(options.lifting);
    const near = lifter.liftView(render([person(1, 3, 0)])[0])[0];
    const far = lifter.liftView(render([person(1, 9, 0)])[0])[0];
    const trace = (o: FusedObject) => o.covariance[0] + o.covariance[4] + o.covariance[8];
    assert.ok(trace(far) > 2 * trace(near), `trace at 9 m ${trace(far).toExponential(2)} vs 3 m ${trace(near).toExponential(2)}`);
    // Along the ray (x here) stereo noise grows with range squared.
    assert.ok(far.covariance[0] > 3 * near.covariance[0], `range variance at 9 m ${far.covariance[0]} vs 3 m ${near.covariance[0]}`);
    assert.ok(far.covariance[0] > far.covariance[4], 'range uncertainty exceeds lateral uncertainty');
  });

  it('ranges from the class height prior in a camera without depth', () => {
    const views = render([person(1, 6, -0.5)]);
    const obj = new DetectionLifter(options.lifting).liftView(views[1])[0];
    assert.equal(obj.rangeSource, 'size_prior');
    const err = Math.hypot(obj.position[0] - 6, obj.position[1] + 0.5);
    assert.ok(err < 0.15 * 6, `prior-ranged error ${err.toFixed(2)} m`);
    assert.ok(obj.covariance[0] > 0.1, 'a size-prior range is uncertain');
  });

  it('rejects inconsistent views and non-finite boxes with errors that name the camera', () => {
    const [view] = render([person(1, 5, 0)]);
    assert.throws(
      () => assertCameraView({ ...view, depth: new Float32Array(10) }),
      /camera "front_left" depth has 10 values; expected width\*height = 307200/,
    );
    assert.throws(
      () => assertCameraView({ ...view, intrinsics: { ...view.intrinsics, fx: 0 } }),
      /fx = 0; expected a positive focal length/,
    );
    const lifter = new DetectionLifter(options.lifting);
    assert.throws(() => lifter.lift(view, { ...view.detections[0], x2: NaN }), /detection "person" in camera "front_left" has x2 = NaN/);
  });
});

describe('fusion/merge', () => {
  it("merges the stereo pair's views of each object and keeps neighbours apart", () => {
    const views = render([person(1, 5, 0.5), person(2, 5, -0.5), person(3, 8, 2)]);
    const lifter = new DetectionLifter(options.lifting);
    const lifted = [...lifter.liftView(views[0]), ...lifter.liftView(views[1])];
    assert.equal(lifted.length, 6);
    const merged = mergeAcrossCameras(lifted, options.merge);
    assert.equal(merged.length, 3, `merged into ${merged.length}: ${merged.map((m) => m.position.map((v) => v.toFixed(2)))}`);
    for (const [x, y] of [
      [5, 0.5],
      [5, -0.5],
      [8, 2],
    ]) {
      const m = nearestTo(merged, x, y);
      assert.deepEqual(m.cameras, ['front_left', 'front_right']);
      assert.ok(Math.hypot(m.position[0] - x, m.position[1] - y) < 0.05 * Math.hypot(x, y));
    }
  });

  it('never merges different classes or two objects of one camera', () => {
    const base: FusedObject = {
      position: [5, 0, 0.8],
      covariance: Float64Array.from([0.1, 0, 0, 0, 0.1, 0, 0, 0, 0.1]),
      size: [0.5, 0.5, 1.7],
      yaw: 0,
      className: 'person',
      classId: 0,
      score: 0.9,
      cameras: ['left'],
      rangeSource: 'depth',
    };
    const sameCamera = mergeAcrossCameras([base, { ...base, position: [5.1, 0, 0.8] }], options.merge);
    assert.equal(sameCamera.length, 2);
    const otherClass = mergeAcrossCameras([base, { ...base, className: 'chair', cameras: ['right'] }], options.merge);
    assert.equal(otherClass.length, 2);
    const merged = mergeAcrossCameras([base, { ...base, position: [5.2, 0, 0.8], cameras: ['front_left'] }], options.merge);
    assert.equal(merged.length, 1);
    assert.ok(Math.abs(merged[0].position[0] - 5.1) < 1e-9, 'equal covariances average the positions');
    assert.ok(merged[0].covariance[0] < 0.1, 'fusion shrinks the covariance');
  });
});
