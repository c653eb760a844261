// Ego-motion: the robot drives forward past static objects. With odometry the tracks live in
// odom and stand still; without it the robot's motion shows up as object velocity.
import { strict as assert } from 'node:assert';
import { mat4 } from 'gl-matrix';
import { TrackState } from '../../src/msgs/types';
import type { SceneObject } from './support/synthetic_scene';
import { runCrossingSequence } from './support/run_sequence';

const ROBOT_SPEED = 1.0;
const world: Array<[string, number, number]> = [
  ['person', 7, 1],
  ['person', 8.5, -2],
  ['chair', 6, -0.8],
];
// In base_link a static world point moves at -ROBOT_SPEED along x.
const objects: SceneObject[] = world.map(([cls, x, y], k) => ({
  gtId: k + 1,
  className: cls,
  classId: cls === 'person' ? 0 : 56,
  detectable: true,
  size: cls === 'person' ? [0.45, 0.5, 1.75] : [0.5, 0.5, 0.9],
  start: [x, y],
  velocity: [-ROBOT_SPEED, 0],
  yaw: Math.PI,
}));

describe('fusion/odom: tracking in odom removes ego-motion', function () {
  this.timeout(30_000);

  it('keeps static objects still and at their world positions in odom', () => {
    const run = runCrossingSequence({
      seconds: 3,
      rate: 10,
      seed: 9,
      objects,
      odomFromBase: (t) => mat4.fromTranslation(mat4.create(), [ROBOT_SPEED * t, 0, 0]),
    });
    const out = run.frames[run.frames.length - 1].output;
    assert.equal(out.trackingFrame, 'odom');
    assert.equal(out.trackedObjects.header.frame_id, 'odom');
    const confirmed = out.tracks.filter((t) => t.state === TrackState.CONFIRMED);
    assert.equal(confirmed.length, world.length);
    for (const [, x, y] of world) {
      const t = confirmed.find((tr) => Math.hypot(tr.position[0] - x, tr.position[1] - y) < 0.05 * Math.hypot(x, y));
      assert.ok(t, `no track at world (${x}, ${y}): ${confirmed.map((c) => c.position.map((v) => v.toFixed(2)))}`);
      const speed = Math.hypot(t.velocity[0], t.velocity[1]);
      assert.ok(speed < 0.2, `static object at (${x}, ${y}) moves at ${speed.toFixed(2)} m/s in odom`);
    }
  });

  it('shows the robot motion as object velocity in base_link without odometry', () => {
    const run = runCrossingSequence({ seconds: 3, rate: 10, seed: 9, objects });
    const out = run.frames[run.frames.length - 1].output;
    assert.equal(out.trackingFrame, 'base_link');
    for (const t of out.tracks.filter((tr) => tr.state === TrackState.CONFIRMED)) {
      assert.ok(Math.abs(t.velocity[0] + ROBOT_SPEED) < 0.2 && Math.abs(t.velocity[1]) < 0.2, `velocity ${t.velocity}`);
    }
  });
});
