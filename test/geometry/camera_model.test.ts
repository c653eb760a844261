// CameraModel against OpenCV (python3-opencv) on random points: projection within 1e-3 px,
// undistortion within 1e-6 in normalised coordinates, rectification maps within 1e-3 px.
import { strict as assert } from 'node:assert';
import { CameraModel } from '../../src/geometry/camera_model';
import type { DistortionModel } from '../../src/geometry/distortion';
import { cameraInfo, randomCamera, type CameraInfoParts } from '../support/camera_info_fixture';
import { f32, f64, maxAbsDiff, opencv, opencvBatch } from '../support/opencv_reference';
import { seededRandom, type Random } from '../support/seeded_random';

const MODELS: DistortionModel[] = ['plumb_bob', 'rational_polynomial', 'equidistant'];

/** Points in front of the camera, inside a field of view suited to the model. */
function randomPoints(rand: Random, model: DistortionModel, n: number): Float64Array {
  const pts = new Float64Array(n * 3);
  const maxAngle = model === 'equidistant' ? 1.3 : 0.55;
  for (let i = 0; i < n; i++) {
    const theta = maxAngle * Math.sqrt(rand());
    const phi = 2 * Math.PI * rand();
    const dist = 0.3 + 30 * rand();
    pts.set([dist * Math.sin(theta) * Math.cos(phi), dist * Math.sin(theta) * Math.sin(phi), dist * Math.cos(theta)], i * 3);
  }
  return pts;
}

const cvCamera = (c: CameraInfoParts) => ({ K: c.K, D: c.D, model: c.model });

describe('geometry/CameraModel vs OpenCV', () => {
  for (const model of MODELS) {
    describe(model, () => {
      it('projects random points like cv2.projectPoints / cv2.fisheye.projectPoints (< 1e-3 px)', () => {
        const rand = seededRandom(11);
        const trials = Array.from({ length: 5 }, () => ({ parts: randomCamera(rand, model), pts: randomPoints(rand, model, 500) }));
        const refs = opencvBatch<{ uv: string }>(
          trials.map((t) => ({ op: 'project', camera: cvCamera(t.parts), points: Array.from(t.pts) })),
        );
        trials.forEach(({ parts, pts }, trial) => {
          const cam = CameraModel.fromCameraInfo(cameraInfo(parts), 'front_left');
          const ours = new Float64Array(1000);
          for (let i = 0; i < 500; i++) ours.set(cam.project(pts.subarray(i * 3, i * 3 + 3)), i * 2);
          const err = maxAbsDiff(ours, f64(refs[trial].uv));
          assert.ok(err < 1e-3, `trial ${trial}: max projection error ${err} px`);
        });
      });

      it('undistorts pixels of random points like converged cv2.undistortPoints (< 1e-6 normalised)', () => {
        const rand = seededRandom(12);
        // Pixels of real points, so every one has a true undistorted position to converge to.
        const trials = Array.from({ length: 5 }, () => {
          const parts = randomCamera(rand, model);
          const cam = CameraModel.fromCameraInfo(cameraInfo(parts), 'front_left');
          const pts = randomPoints(rand, model, 500);
          const uv = new Float64Array(1000);
          const truth = new Float64Array(1000);
          for (let i = 0; i < 500; i++) {
            uv.set(cam.project(pts.subarray(i * 3, i * 3 + 3)), i * 2);
            truth.set([pts[i * 3] / pts[i * 3 + 2], pts[i * 3 + 1] / pts[i * 3 + 2]], i * 2);
          }
          return { parts, cam, uv, truth };
        });
        const refs = opencvBatch<{ xy: string }>(trials.map((t) => ({ op: 'undistort', camera: cvCamera(t.parts), uv: Array.from(t.uv) })));
        trials.forEach(({ cam, uv, truth }, trial) => {
          const ours = cam.undistortPoints(uv);
          const err = maxAbsDiff(ours, f64(refs[trial].xy));
          assert.ok(err < 1e-6, `trial ${trial}: max undistortion error vs OpenCV ${err}`);
          assert.ok(maxAbsDiff(ours, truth) < 1e-6, `trial ${trial}: undistortion does not invert projection`);
        });
      });

      it('builds rectification maps like cv2.initUndistortRectifyMap (< 1e-3 px)', () => {
        const rand = seededRandom(13);
        const parts = randomCamera(rand, model, 320, 240);
        const a = 0.05;
        parts.R = [Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a)];
        parts.P = [parts.K[0] * 0.8, 0, 165, 0, 0, parts.K[0] * 0.8, 118, 0, 0, 0, 1, 0];
        const maps = CameraModel.fromCameraInfo(cameraInfo(parts), 'front_left').rectificationMaps();
        const ref = opencv<{ mapX: string; mapY: string }>({
          op: 'maps',
          camera: cvCamera(parts),
          R: parts.R,
          P: parts.P,
          width: 320,
          height: 240,
        });
        assert.equal(maps.mapX.length, 320 * 240);
        const err = Math.max(maxAbsDiff(maps.mapX, f32(ref.mapX)), maxAbsDiff(maps.mapY, f32(ref.mapY)));
        assert.ok(err < 1e-3, `max map error ${err} px`);
      });

      it('unprojects pixels to unit rays that project back onto the pixel', () => {
        const rand = seededRandom(14);
        const parts = randomCamera(rand, model);
        const cam = CameraModel.fromCameraInfo(cameraInfo(parts));
        const pts = randomPoints(rand, model, 200);
        const uv = new Float64Array(400);
        for (let i = 0; i < 200; i++) uv.set(cam.project(pts.subarray(i * 3, i * 3 + 3)), i * 2);
        const xy = cam.undistortPoints(uv);
        for (let i = 0; i < 200; i++) {
          const ray = cam.unprojectRay(uv[2 * i], uv[2 * i + 1]);
          assert.ok(Math.abs(Math.hypot(ray[0], ray[1], ray[2]) - 1) < 1e-12);
          const [u, v] = cam.project([ray[0] * 7, ray[1] * 7, ray[2] * 7]);
          assert.ok(Math.hypot(u - uv[2 * i], v - uv[2 * i + 1]) < 1e-6, `pixel ${i}`);
          assert.ok(Math.abs(ray[0] / ray[2] - xy[2 * i]) < 1e-9 && Math.abs(ray[1] / ray[2] - xy[2 * i + 1]) < 1e-9);
        }
      });
    });
  }

  it('applies binning and ROI: delivered pixel = (full-resolution pixel - offset) / binning', () => {
    const rand = seededRandom(15);
    const parts = randomCamera(rand, 'plumb_bob', 1280, 960);
    const full = CameraModel.fromCameraInfo(cameraInfo(parts));
    const reduced = CameraModel.fromCameraInfo(
      cameraInfo({ ...parts, binning: [2, 4], roi: { x_offset: 100, y_offset: 40, width: 800, height: 600 } }),
    );
    assert.deepEqual([reduced.width, reduced.height], [400, 150]);
    const pts = randomPoints(rand, 'plumb_bob', 100);
    const ref = f64(opencv<{ uv: string }>({ op: 'project', camera: cvCamera(parts), points: Array.from(pts) }).uv);
    for (let i = 0; i < 100; i++) {
      const [u, v] = reduced.project(pts.subarray(i * 3, i * 3 + 3));
      assert.ok(Math.abs(u - (ref[2 * i] - 100) / 2) < 1e-3 && Math.abs(v - (ref[2 * i + 1] - 40) / 4) < 1e-3, `point ${i}`);
      const [fu, fv] = full.project(pts.subarray(i * 3, i * 3 + 3));
      assert.ok(Math.abs(fu - ref[2 * i]) < 1e-3 && Math.abs(fv - ref[2 * i + 1]) < 1e-3);
    }
    assert.deepEqual(reduced.pinhole(), {
      fx: parts.K[0] / 2,
      fy: parts.K[4] / 4,
      cx: (parts.K[2] - 100) / 2,
      cy: (parts.K[5] - 40) / 4,
      width: 400,
      height: 150,
    });
  });

  it('gives the rectified pinhole of P and projects rectified points through it', () => {
    const parts = { ...randomCamera(seededRandom(16), 'plumb_bob'), P: [500, 0, 321, -30, 0, 500, 239, 0, 0, 0, 1, 0] };
    const cam = CameraModel.fromCameraInfo(cameraInfo(parts));
    assert.deepEqual(cam.pinhole(), { fx: 500, fy: 500, cx: 321, cy: 239, width: 640, height: 480 });
    const [u, v] = cam.projectRect([1, -0.5, 4]);
    assert.ok(Math.abs(u - (500 * 0.25 + 321 - 30 / 4)) < 1e-12 && Math.abs(v - (-500 * 0.125 + 239)) < 1e-12);
  });
});

describe('geometry/CameraModel validation', () => {
  const good = (): CameraInfoParts => randomCamera(seededRandom(17), 'plumb_bob');
  const build = (p: CameraInfoParts) => () => CameraModel.fromCameraInfo(cameraInfo(p), 'front_left');
  it('rejects a zero or negative focal length, naming the camera', () => {
    const p = good();
    p.K[0] = 0;
    assert.throws(build(p), /: camera_info for "front_left" has fx = 0; expected a positive focal length/);
    const q = good();
    q.K[4] = -3;
    assert.throws(build(q), /"front_left" has fy = -3; expected a positive focal length/);
  });
  it('rejects wrong array lengths, non-finite values, unknown models and a ROI outside the image', () => {
    assert.throws(build({ ...good(), D: [0.1, 0.2, 0.3] }), /"front_left" has d of length 3; expected 0 or 5 or 4/);
    assert.throws(build({ ...good(), K: [1, 2, 3] }), /has k of length 3; expected 9/);
    assert.throws(build({ ...good(), P: [1, 0, 0, 0, 0, 1, 0, 0, 0] }), /has p of length 9; expected 12/);
    assert.throws(
      build({ ...good(), model: 'fov' }),
      /distortion_model = "fov"; expected one of plumb_bob, rational_polynomial, equidistant/,
    );
    const nan = good();
    nan.D[1] = Number.NaN;
    assert.throws(build(nan), /has d\[1\] = NaN; expected a finite number/);
    assert.throws(build({ ...good(), roi: { x_offset: 600, y_offset: 0, width: 100, height: 10 } }), /roi .* outside the 640x480 image/);
  });
  it('reads the message defaults: empty D, all-zero R and P', () => {
    const p = good();
    const cam = CameraModel.fromCameraInfo(cameraInfo({ ...p, D: [], R: new Array(9).fill(0), P: new Array(12).fill(0) }));
    assert.deepEqual(Array.from(cam.R), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert.equal(cam.pinhole().fx, p.K[0]);
    const [u] = cam.project([1, 0, 2]);
    assert.ok(Math.abs(u - (p.K[0] * 0.5 + p.K[2])) < 1e-12);
  });
});
