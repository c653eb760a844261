// stereoRectify against cv2.stereoRectify on random calibrated pairs, the maps it builds against
// cv2.initUndistortRectifyMap, the already-rectified shortcut, and the errors for bad pairs.
import { strict as assert } from 'node:assert';
import { CameraModel } from '../../src/geometry/camera_model';
import { rotationMatrix, transformFrom } from '../../src/geometry/rotation';
import { isRectifiedPair, rectifiedPairAsIs, stereoRectify } from '../../src/geometry/stereo_rectify';
import type { DistortionModel } from '../../src/geometry/distortion';
import { mat4, quat } from 'gl-matrix';
import { cameraInfo, randomCamera } from '../support/camera_info_fixture';
import { f32, f64, maxAbsDiff, opencvBatch } from '../support/opencv_reference';
import { seededRandom, type Random } from '../support/seeded_random';

/** gl-matrix transform (column-major) from a row-major rotation R and translation T. */
function rigid(R: ArrayLike<number>, T: number[]): mat4 {
  const m = new Float64Array(16);
  mat4.set(m, R[0], R[3], R[6], 0, R[1], R[4], R[7], 0, R[2], R[5], R[8], 0, T[0], T[1], T[2], 1);
  return m;
}

interface Pair {
  left: ReturnType<typeof randomCamera>;
  right: ReturnType<typeof randomCamera>;
  R: Float64Array;
  T: number[];
}

function randomPair(rand: Random, model: DistortionModel, width: number, height: number): Pair {
  const small = (a: number) => (rand() * 2 - 1) * a;
  return {
    left: randomCamera(rand, model, width, height),
    right: randomCamera(rand, model, width, height),
    R: rotationMatrix([small(0.05), small(0.08), small(0.05)]),
    T: [-0.08 - 0.1 * rand(), small(0.01), small(0.01)],
  };
}

describe('geometry/stereoRectify vs cv2.stereoRectify', () => {
  const cases: { model: DistortionModel; alpha: number; zeroDisparity: boolean }[] = [
    { model: 'plumb_bob', alpha: -1, zeroDisparity: true },
    { model: 'rational_polynomial', alpha: -1, zeroDisparity: true },
    { model: 'plumb_bob', alpha: -1, zeroDisparity: false },
    { model: 'plumb_bob', alpha: 0, zeroDisparity: true },
    { model: 'plumb_bob', alpha: 1, zeroDisparity: true },
  ];
  const W = 320;
  const H = 240;
  for (const c of cases) {
    it(`${c.model}, alpha ${c.alpha}, zeroDisparity ${c.zeroDisparity}: same R1 R2 (1e-9), P1 P2 (1e-3 px), Q and maps`, () => {
      const rand = seededRandom(21);
      const pairs = Array.from({ length: 4 }, () => randomPair(rand, c.model, W, H));
      const refs = opencvBatch<Record<string, string>>(
        pairs.map((p) => ({
          op: 'stereo',
          left: { K: p.left.K, D: p.left.D, model: c.model },
          right: { K: p.right.K, D: p.right.D, model: c.model },
          R: Array.from(p.R),
          T: p.T,
          width: W,
          height: H,
          alpha: c.alpha,
          zeroDisparity: c.zeroDisparity,
        })),
      );
      pairs.forEach((p, i) => {
        const left = CameraModel.fromCameraInfo(cameraInfo(p.left), 'front_left');
        const right = CameraModel.fromCameraInfo(cameraInfo(p.right), 'front_right');
        const ours = stereoRectify(left, right, rigid(p.R, p.T), { alpha: c.alpha, zeroDisparity: c.zeroDisparity });
        const ref = refs[i];
        assert.ok(maxAbsDiff(ours.R1, f64(ref.R1)) < 1e-9, `pair ${i} R1`);
        assert.ok(maxAbsDiff(ours.R2, f64(ref.R2)) < 1e-9, `pair ${i} R2`);
        assert.ok(maxAbsDiff(ours.P1, f64(ref.P1)) < 1e-3, `pair ${i} P1 ${ours.P1} vs ${f64(ref.P1)}`);
        assert.ok(maxAbsDiff(ours.P2, f64(ref.P2)) < 1e-3, `pair ${i} P2 ${ours.P2} vs ${f64(ref.P2)}`);
        const Qref = f64(ref.Q);
        for (let k = 0; k < 16; k++) assert.ok(Math.abs(ours.Q[k] - Qref[k]) <= 1e-3 * Math.max(1, Math.abs(Qref[k])), `pair ${i} Q[${k}]`);
        const mapErr = Math.max(maxAbsDiff(ours.leftMaps.mapX, f32(ref.leftMapX)), maxAbsDiff(ours.leftMaps.mapY, f32(ref.leftMapY)));
        assert.ok(mapErr < 2e-3, `pair ${i} left map error ${mapErr} px`);
        assert.ok(Math.abs(ours.baseline - Math.hypot(...p.T)) < 1e-12);
        assert.deepEqual([ours.pinhole.width, ours.pinhole.height], [W, H]);
      });
    });
  }

  it('rectified frames differ by the baseline along x: same row in both images, disparity f*B/Z', () => {
    const p = randomPair(seededRandom(22), 'plumb_bob', 640, 480);
    const left = CameraModel.fromCameraInfo(cameraInfo(p.left));
    const right = CameraModel.fromCameraInfo(cameraInfo(p.right));
    const rect = stereoRectify(left, right, rigid(p.R, p.T));
    const l = left.withRectification(rect.R1, rect.P1);
    const r = right.withRectification(rect.R2, rect.P2);
    const X = [0.4, -0.2, 5];
    const Xr = [0, 1, 2].map((i) => p.R[i * 3] * X[0] + p.R[i * 3 + 1] * X[1] + p.R[i * 3 + 2] * X[2] + p.T[i]);
    const toRect = (R: Float64Array, v: number[]) => [0, 1, 2].map((i) => R[i * 3] * v[0] + R[i * 3 + 1] * v[1] + R[i * 3 + 2] * v[2]);
    const xl = toRect(rect.R1, X);
    const [ul, vl] = l.projectRect(xl);
    // P2 projects points of the left rectified frame; the right rectified frame is that frame moved by the baseline.
    const [ur, vr] = r.projectRect(xl);
    const xr = toRect(rect.R2, Xr);
    assert.ok(Math.abs(xr[0] - (xl[0] - rect.baseline)) < 1e-12 && Math.abs(xr[1] - xl[1]) < 1e-12 && Math.abs(xr[2] - xl[2]) < 1e-12);
    assert.ok(Math.abs(vl - vr) < 1e-9, `rows differ: ${vl} vs ${vr}`);
    assert.ok(Math.abs(ul - ur - (rect.P1[0] * rect.baseline) / xl[2]) < 1e-9);
  });
});

describe('geometry/stereo pairs already rectified, and bad pairs', () => {
  const p = randomPair(seededRandom(23), 'plumb_bob', 320, 240);
  const left = CameraModel.fromCameraInfo(cameraInfo(p.left), 'front_left');
  const right = CameraModel.fromCameraInfo(cameraInfo(p.right), 'front_right');

  it('uses a pair whose CameraInfos carry a joint rectification as is', () => {
    const rect = stereoRectify(left, right, rigid(p.R, p.T));
    const l = CameraModel.fromCameraInfo(cameraInfo({ ...p.left, R: Array.from(rect.R1), P: Array.from(rect.P1) }), 'front_left');
    const r = CameraModel.fromCameraInfo(cameraInfo({ ...p.right, R: Array.from(rect.R2), P: Array.from(rect.P2) }), 'front_right');
    assert.equal(isRectifiedPair(l, r), true);
    const asIs = rectifiedPairAsIs(l, r);
    assert.ok(Math.abs(asIs.baseline - rect.baseline) < 1e-12);
    assert.ok(maxAbsDiff(asIs.Q, rect.Q) < 1e-9);
    assert.ok(maxAbsDiff(asIs.rightMaps.mapX, rect.rightMaps.mapX) < 1e-4);
    assert.equal(isRectifiedPair(left, right), false);
    assert.throws(
      () => rectifiedPairAsIs(left, right),
      /"front_left", "front_right"\): CameraInfo P matrices do not form a rectified pair/,
    );
  });

  it('rejects vertical, zero and non-overlapping baselines and mismatched sizes, naming the pair', () => {
    const I = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    assert.throws(
      () => stereoRectify(left, right, rigid(I, [0, -0.1, 0])),
      /stereoRectify\("front_left", "front_right"\): the baseline .* is vertical/,
    );
    assert.throws(() => stereoRectify(left, right, rigid(I, [0, 0, 0])), /baseline is 0 m; expected two distinct optical centres/);
    const q = quat.setAxisAngle(new Float64Array(4), [0, 1, 0], Math.PI / 2);
    assert.throws(() => stereoRectify(left, right, transformFrom(q, [-0.1, 0, 0])), /optical axes differ by 90.0 deg .* do not overlap/);
    const small = CameraModel.fromCameraInfo(cameraInfo({ ...p.right, width: 160, height: 120 }), 'side');
    assert.throws(() => stereoRectify(left, small, rigid(I, [-0.1, 0, 0])), /image sizes differ \(320x240 vs 160x120\)/);
  });
});
