// TfBuffer (chaining, interpolation, errors, bounded cache) and Rig (from TF, from parameters,
// stereo pair discovery). The reference is geometry worked out by hand in each test.
import { strict as assert } from 'node:assert';
import { mat4, vec3 } from 'gl-matrix';
import type { Nanos } from '../../src/msgs/time';
import { nanosToTime } from '../../src/msgs/time';
import type { TransformStamped } from '../../src/msgs/types';
import { CameraModel } from '../../src/geometry/camera_model';
import { Rig } from '../../src/geometry/rig';
import { stereoRectify } from '../../src/geometry/stereo_rectify';
import { TfBuffer } from '../../src/geometry/tf_buffer';
import { cameraInfo, randomCamera } from '../support/camera_info_fixture';
import { seededRandom } from '../support/seeded_random';

const S = 1_000_000_000n;
/** URDF rpy (-pi/2, 0, -pi/2): body (x forward) -> optical (z forward). */
const OPTICAL_Q = { x: -0.5, y: 0.5, z: -0.5, w: 0.5 };

function tf(
  parent: string,
  child: string,
  t: [number, number, number],
  q = { x: 0, y: 0, z: 0, w: 1 },
  stamp: Nanos = 0n,
): TransformStamped {
  return {
    header: { stamp: nanosToTime(stamp), frame_id: parent },
    child_frame_id: child,
    transform: { translation: { x: t[0], y: t[1], z: t[2] }, rotation: q },
  };
}

const yawQ = (yaw: number) => ({ x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) });

function apply(m: mat4, p: [number, number, number]): number[] {
  return Array.from(vec3.transformMat4(new Float64Array(3), p, m));
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): boolean {
  return a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]) <= tol);
}

/** A 4-camera rig on /tf_static: two forward cameras 12 cm apart, two side cameras. */
function rigTf(): TfBuffer {
  const buffer = new TfBuffer();
  const mounts: [string, [number, number, number], number][] = [
    ['front_left', [0.3, 0.06, 0.5], 0],
    ['front_right', [0.3, -0.06, 0.5], 0],
    ['left', [0, 0.2, 0.5], Math.PI / 2],
    ['right', [0, -0.2, 0.5], -Math.PI / 2],
  ];
  buffer.setTransforms(
    {
      transforms: mounts.flatMap(([name, xyz, yaw]) => [
        tf('base_link', `${name}_link`, xyz, yawQ(yaw)),
        tf(`${name}_link`, `${name}_optical`, [0, 0, 0], OPTICAL_Q),
      ]),
    },
    true,
  );
  return buffer;
}

describe('geometry/TfBuffer', () => {
  it('chains static transforms: base_link <- camera optical frame', () => {
    const m = rigTf().lookup('base_link', 'left_optical');
    // 1 m along the left camera's optical axis is 1 m to the robot's left of the camera.
    assert.ok(close(apply(m, [0, 0, 1]), [0, 1.2, 0.5]));
    // Optical x (right in the image) of the left camera points forward on the robot.
    assert.ok(close(apply(m, [1, 0, 0]), [1, 0.2, 0.5]));
    // Optical y (down) points down.
    assert.ok(close(apply(m, [0, 1, 0]), [0, 0.2, -0.5]));
    const back = rigTf().lookup('left_optical', 'base_link');
    assert.ok(close(apply(back, [0, 1.2, 0.5]), [0, 0, 1]));
    const across = rigTf().lookup('front_right_optical', 'front_left_optical');
    assert.ok(close(apply(across, [0, 0, 0]), [-0.12, 0, 0]), 'front_left sits 12 cm left (-x) of front_right');
  });

  it('interpolates dynamic transforms (lerp + slerp) and defaults to the latest time', () => {
    const buffer = rigTf();
    buffer.setTransforms({ transforms: [tf('odom', 'base_link', [0, 0, 0], yawQ(0), 10n * S)] }, false);
    buffer.setTransforms({ transforms: [tf('odom', 'base_link', [1, 0, 0], yawQ(Math.PI / 2), 11n * S)] }, false);
    const mid = buffer.lookup('odom', 'base_link', 10n * S + S / 2n);
    assert.ok(close(apply(mid, [0, 0, 0]), [0.5, 0, 0]));
    assert.ok(close(apply(mid, [1, 0, 0]), [0.5 + Math.SQRT1_2, Math.SQRT1_2, 0]), 'yaw 45 deg at the midpoint');
    assert.ok(close(apply(buffer.lookup('odom', 'base_link'), [0, 0, 0]), [1, 0, 0]));
    // A static camera chained under a dynamic base.
    assert.ok(close(apply(buffer.lookup('odom', 'front_left_optical', 11n * S), [0, 0, 1]), [1 - 0.06, 0.3 + 1, 0.5], 1e-12));
  });

  it('names the missing link, the extrapolation and the known frames in its errors', () => {
    const buffer = rigTf();
    buffer.setTransforms({ transforms: [tf('rear_link', 'rear_optical', [0, 0, 0], OPTICAL_Q)] }, true);
    assert.throws(
      () => buffer.lookup('base_link', 'rear_optical'),
      /no transform from 'rear_optical' to 'base_link' in \/tf_static or \/tf: 'rear_link' has no parent \(chain rear_optical -> rear_link\), and 'base_link' is in the tree of 'base_link'; known frames: base_link, front_left_link/,
    );
    assert.throws(
      () => buffer.lookup('base_link', 'front_left_optcal'),
      /'front_left_optcal' appears in no transform; known frames: .*front_left_optical/,
    );
    buffer.setTransforms(
      { transforms: [tf('odom', 'base_link', [0, 0, 0], yawQ(0), 10n * S), tf('odom', 'base_link', [0, 0, 0], yawQ(0), 11n * S)] },
      false,
    );
    assert.throws(
      () => buffer.lookup('odom', 'base_link', 12n * S),
      /'base_link' -> 'odom' would need extrapolation into the future: requested 12000000000 ns/,
    );
    assert.throws(() => buffer.lookup('odom', 'base_link', 9n * S), /extrapolation into the past/);
  });

  it('keeps a bounded cache, restarts after a time jump, and counts invalid transforms', () => {
    const buffer = new TfBuffer({ cacheTimeNs: 2n * S });
    for (let k = 0; k <= 5000; k++)
      buffer.setTransforms({ transforms: [tf('odom', 'base_link', [k, 0, 0], yawQ(0), BigInt(k) * (S / 1000n))] }, false);
    assert.throws(() => buffer.lookup('odom', 'base_link', 2n * S), /extrapolation into the past.*data covers \[3000000000, 5000000000\]/);
    buffer.setTransforms({ transforms: [tf('odom', 'base_link', [7, 0, 0], yawQ(0), 1n * S)] }, false); // bag looped
    assert.ok(close(apply(buffer.lookup('odom', 'base_link'), [0, 0, 0]), [7, 0, 0]));
    const bad = tf('odom', 'base_link', [Number.NaN, 0, 0]);
    buffer.setTransforms({ transforms: [bad, tf('odom', 'x', [0, 0, 0], { x: 0, y: 0, z: 0, w: 0 }), tf('a', 'a', [0, 0, 0])] }, false);
    assert.equal(buffer.stats().invalidTransforms, 3);
    const capped = new TfBuffer({ maxFrames: 2 });
    capped.setTransforms({ transforms: [tf('a', 'b', [0, 0, 0]), tf('a', 'c', [0, 0, 0]), tf('a', 'd', [0, 0, 0])] }, true);
    assert.equal(capped.stats().ignoredFrames, 1);
  });
});

describe('geometry/Rig', () => {
  const rand = seededRandom(31);
  const parts = randomCamera(rand, 'plumb_bob', 320, 240);
  const infos = Object.fromEntries(
    ['front_left', 'front_right', 'left', 'right'].map((n) => [n, cameraInfo({ ...parts, frameId: `${n}_optical` })]),
  );

  it('gives the same camera poses from TF and from xyz + rpy parameters', () => {
    const fromTf = Rig.fromTf(rigTf(), infos);
    const fromParams = Rig.fromParameters(
      {
        front_left: { xyz: [0.3, 0.06, 0.5], rpy: [0, 0, 0] },
        front_right: { xyz: [0.3, -0.06, 0.5], rpy: [0, 0, 0] },
        left: { xyz: [0, 0.2, 0.5], rpy: [0, 0, Math.PI / 2] },
        right: { xyz: [0, -0.2, 0.5], rpy: [0, 0, -Math.PI / 2] },
      },
      infos,
    );
    for (const cam of fromTf.cameras) {
      assert.ok(close(cam.baseFromCamera, fromParams.camera(cam.name).baseFromCamera, 1e-12), cam.name);
      assert.ok(cam.model instanceof CameraModel);
    }
    assert.throws(() => fromTf.camera('rear'), /Rig: no camera "rear"; cameras: front_left, front_right, left, right/);
  });

  it('finds the forward stereo pair (left/right by geometry) and rectifies it with identity rotations', () => {
    const rig = Rig.fromTf(rigTf(), infos);
    const pairs = rig.stereoPairs();
    assert.equal(pairs.length, 1);
    const [pair] = pairs;
    assert.deepEqual([pair.left.name, pair.right.name], ['front_left', 'front_right']);
    assert.ok(Math.abs(pair.baseline - 0.12) < 1e-12);
    const rect = stereoRectify(pair.left.model, pair.right.model, pair.rightFromLeft);
    assert.ok(close(rect.R1, [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-12));
    assert.ok(Math.abs(rect.P2[3] + rect.P2[0] * 0.12) < 1e-9);
  });

  it('reports a camera whose frame_id has no transform, naming both', () => {
    const withRear = { ...infos, rear: cameraInfo({ ...parts, frameId: 'rear_optical' }) };
    assert.throws(
      () => Rig.fromTf(rigTf(), withRear),
      /: camera "rear" \(frame_id "rear_optical"\): no transform from 'rear_optical' to 'base_link' in \/tf_static or \/tf/,
    );
    assert.throws(
      () => Rig.fromParameters({}, infos),
      /: rig\.front_left: camera "front_left" has no extrinsics \(rig\.front_left\.xyz, rig\.front_left\.rpy\)/,
    );
    const zeroFocal = cameraInfo({ ...parts, K: [0, 0, 160, 0, 300, 120, 0, 0, 1] });
    assert.throws(
      () => Rig.fromTf(rigTf(), { front_left: zeroFocal }),
      /camera_info for "front_left" has fx = 0; expected a positive focal length/,
    );
  });
});
