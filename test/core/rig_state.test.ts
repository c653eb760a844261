// One camera with a bad calibration or transform is left out of the rig, named with the bad
// value; the other cameras make the rig. Every case of issue #20 section 1, as a CameraInfo or
// /tf_static a driver or a hand-written calibration file could publish.
import { strict as assert } from 'node:assert';
import type { CameraInfo, TFMessage, TransformStamped } from '../../src/msgs/types';
import { parseConfig } from '../../src/config/config';
import { PeriodicReport, RigState } from '../../src/core/rig_state';
import { cameraInfo } from '../support/camera_info_fixture';

const good = (frame: string): CameraInfo =>
  cameraInfo({ model: 'plumb_bob', K: [500, 0, 320, 0, 500, 240, 0, 0, 1], D: [0, 0, 0, 0, 0], width: 640, height: 480, frameId: frame });

function mount(child: string, parent = 'base_link', x = 0.1, w = 1): TransformStamped {
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: parent },
    child_frame_id: child,
    transform: { translation: { x, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0, w } },
  };
}

/** A rig state of cameras "a" (good) and "b", with /tf_static for both unless told otherwise. */
function rigOf(b: CameraInfo, tf: TransformStamped[] = [mount('a_optical'), mount('b_optical')]): RigState {
  const state = new RigState(parseConfig({}));
  const msg: TFMessage = { transforms: tf };
  state.setTransforms(msg, true);
  state.setCameraInfo('a', good('a_optical'));
  state.setCameraInfo('b', b);
  return state;
}

const withB = (change: Partial<CameraInfo>): CameraInfo => ({ ...good('b_optical'), ...change });

describe('pipeline/rig_state: one bad camera is left out, named, and the others make the rig', () => {
  const cases: [string, RigState, RegExp][] = [
    ['K all zero', rigOf(withB({ k: [0, 0, 0, 0, 0, 0, 0, 0, 0] })), /camera_info for "b" has fx = 0/],
    ['K with NaN', rigOf(withB({ k: [500, 0, Number.NaN, 0, 500, 240, 0, 0, 1] })), /"b" has k\[2\] = NaN/],
    ['K with Inf', rigOf(withB({ k: [Infinity, 0, 320, 0, 500, 240, 0, 0, 1] })), /"b" has k\[0\] = Infinity/],
    ['fx < 0', rigOf(withB({ k: [-500, 0, 320, 0, 500, 240, 0, 0, 1] })), /"b" has fx = -500/],
    ['D of the wrong length', rigOf(withB({ d: [0.1, 0.2, 0.3] })), /"b" has d of length 3/],
    ['D with NaN', rigOf(withB({ d: [0, Number.NaN, 0, 0, 0] })), /"b" has d\[1\] = NaN/],
    ['an unknown distortion model', rigOf(withB({ distortion_model: 'fisheye62' })), /"b" has distortion_model = "fisheye62"/],
    ['an empty distortion model', rigOf(withB({ distortion_model: '' })), /"b" has distortion_model = ""/],
    ['width 0', rigOf(withB({ width: 0 })), /"b" has width = 0/],
    [
      'ROI outside the image',
      rigOf(withB({ roi: { x_offset: 600, y_offset: 0, width: 100, height: 100, do_rectify: false } })),
      /"b" has roi .* outside the 640x480 image/,
    ],
    ['P with Tx NaN', rigOf(withB({ p: [500, 0, 320, Number.NaN, 0, 500, 240, 0, 0, 0, 1, 0] })), /"b" has p\[3\] = NaN/],
    ['an empty frame_id', rigOf(withB({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' } })), /camera "b" \(frame_id ""\)/],
    [
      'an unknown frame_id',
      rigOf(withB({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'nowhere' } })),
      /camera "b" \(frame_id "nowhere"\)/,
    ],
    ['no base_link -> camera transform', rigOf(good('b_optical'), [mount('a_optical')]), /camera "b" \(frame_id "b_optical"\)/],
    [
      'a NaN transform',
      rigOf(good('b_optical'), [mount('a_optical'), mount('b_optical', 'base_link', Number.NaN)]),
      /camera "b" \(frame_id "b_optical"\).*its \/tf_static transform from 'base_link' to 'b_optical' was dropped: it has translation.x = NaN; expected finite numbers/,
    ],
    [
      'a NaN transform to the camera mount',
      rigOf(good('b_optical'), [mount('a_optical'), mount('b_link', 'base_link', Number.NaN), mount('b_optical', 'b_link')]),
      /its \/tf_static transform from 'base_link' to 'b_link' was dropped: it has translation.x = NaN/,
    ],
    [
      'an Inf transform',
      rigOf(good('b_optical'), [mount('a_optical'), mount('b_optical', 'base_link', Infinity)]),
      /camera "b" \(frame_id "b_optical"\).*was dropped: it has translation.x = Infinity/,
    ],
    [
      'a zero quaternion',
      rigOf(good('b_optical'), [mount('a_optical'), mount('b_optical', 'base_link', 0.1, 0)]),
      /camera "b" \(frame_id "b_optical"\).*was dropped: it has a zero rotation quaternion/,
    ],
    [
      'a TF cycle',
      rigOf(good('b_optical'), [mount('a_optical'), mount('b_optical', 'b_mount'), mount('b_mount', 'b_optical')]),
      /camera "b" \(frame_id "b_optical"\)/,
    ],
  ];
  for (const [what, state, why] of cases) {
    it(`${what}: the rig has camera "a" only, and says why "b" is out`, () => {
      const rig = state.rig(['a', 'b']);
      assert.deepEqual(
        rig?.cameras.map((c) => c.name),
        ['a'],
        state.error,
      );
      assert.match(state.excluded.get('b') ?? '(not excluded)', why);
    });
  }

  it('a camera without camera_info does not hold the others back, and joins once its camera_info arrives', () => {
    const state = new RigState(parseConfig({}));
    state.setTransforms({ transforms: [mount('a_optical'), mount('b_optical')] }, true);
    state.setCameraInfo('a', good('a_optical'));
    assert.deepEqual(
      state.rig(['a', 'b'])?.cameras.map((c) => c.name),
      ['a'],
    );
    assert.match(state.excluded.get('b')!, /no camera_info received yet for camera "b"/);
    state.setCameraInfo('b', good('b_optical'));
    assert.deepEqual(
      state.rig(['a', 'b'])?.cameras.map((c) => c.name),
      ['a', 'b'],
    );
    assert.equal(state.excluded.size, 0);
  });

  it('a camera whose transform arrives late joins the rig then', () => {
    const state = rigOf(good('b_optical'), [mount('a_optical')]);
    assert.deepEqual(
      state.rig(['a', 'b'])?.cameras.map((c) => c.name),
      ['a'],
    );
    state.setTransforms({ transforms: [mount('b_optical')] }, true);
    assert.deepEqual(
      state.rig(['a', 'b'])?.cameras.map((c) => c.name),
      ['a', 'b'],
    );
  });

  it('no rig when no camera is usable, naming each one', () => {
    const state = rigOf(withB({ width: 0 }), []);
    assert.equal(state.rig(['a', 'b']), undefined);
    assert.match(state.error, /no camera is usable: .*"a".*; .*"b" has width = 0/);
  });
});

describe('pipeline/rig_state stereo pairs', () => {
  function pairState(pair: [string, string]): RigState {
    const state = new RigState(parseConfig({ cameras: ['a', 'b'], depth: { stereo_pairs: [pair] } }));
    // Same orientation; "b" 0.12 m along the optical x axis (to the right) of "a".
    state.setTransforms({ transforms: [mount('a_optical', 'base_link', 0), mount('b_optical', 'base_link', 0.12)] }, true);
    state.setCameraInfo('a', good('a_optical'));
    state.setCameraInfo('b', good('b_optical'));
    return state;
  }

  it('a pair given as [left, right] is built', () => {
    const state = pairState(['a', 'b']);
    assert.ok(state.rig(['a', 'b']));
    assert.deepEqual([state.pairs.map((p) => p.name), state.pairProblems], [['a_b'], []]);
  });

  it('a swapped pair is left out, naming depth.stereo_pairs and the cameras', () => {
    const state = pairState(['b', 'a']);
    assert.ok(state.rig(['a', 'b']));
    assert.deepEqual(state.pairs, []);
    assert.deepEqual(state.pairProblems, [
      'depth.stereo_pairs [b, a]: "a" is 0.120 m to the left of "b" (from their transforms); expected [left, right], so this pair gives no stereo depth; swap it',
    ]);
  });
});

describe('pipeline/rig_state PeriodicReport', () => {
  it('is due the first time and again every period of sensor time, per message', () => {
    const r = new PeriodicReport(5_000_000_000n);
    const at = (s: number) => BigInt(s * 1e9);
    assert.deepEqual(
      [r.due('x', at(0)), r.due('x', at(1)), r.due('y', at(1)), r.due('x', at(4.9)), r.due('x', at(5)), r.due('x', at(6))],
      [true, false, true, false, true, false],
    );
  });
});
