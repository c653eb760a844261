// Stereo to 3D on an analytic scene with exact depth (fixtures/synthetic_scene.ts): depth
// accuracy, the ground plane in base_link, obstacle points on the boxes, voxel downsampling,
// and the ROS messages built from the result.
import { strict as assert } from 'node:assert';
import {
  disparityImageMessage,
  disparityToDepth,
  depthImageMessage,
  rectifiedCameraInfo,
  validityMaskMessage,
} from '../../src/depth/disparity_outputs';
import { estimateGroundPlane } from '../../src/depth/ground_plane';
import { obstaclePoints } from '../../src/depth/obstacles';
import { depthToPoints } from '../../src/depth/points';
import { StereoMatcher } from '../../src/depth/sgm_stereo';
import type { DisparityResult } from '../../src/depth/sgm_stereo';
import { voxelDownsample } from '../../src/depth/voxel';
import { renderSyntheticStereo } from './fixtures/synthetic_scene';
import type { SyntheticStereo } from './fixtures/synthetic_scene';

describe('depth: stereo on a synthetic scene with known depth', function () {
  this.timeout(30000);
  let scene: SyntheticStereo;
  let result: DisparityResult;
  let depth: Float32Array;

  before(async () => {
    scene = renderSyntheticStereo();
    const matcher = new StereoMatcher({ numDisparities: 64 });
    try {
      result = await matcher.compute(scene.left, scene.right);
    } finally {
      await matcher.dispose();
    }
    depth = disparityToDepth(result, { fx: scene.k.fx, baseline: scene.baseline });
  });

  it('median relative depth error of valid pixels within 10 m is under 3%', () => {
    const errs: number[] = [];
    let near = 0;
    for (let i = 0; i < depth.length; i++) {
      if (!(scene.depth[i] <= 10)) continue;
      near++;
      if (Number.isFinite(depth[i])) errs.push(Math.abs(depth[i] - scene.depth[i]) / scene.depth[i]);
    }
    errs.sort((a, b) => a - b);
    const median = errs[errs.length >> 1];
    console.log(
      `      synthetic 640x480: median relative depth error ${(100 * median).toFixed(2)}% over ${errs.length} px (density ${((100 * errs.length) / near).toFixed(1)}% of pixels within 10 m)`,
    );
    assert.ok(errs.length > 0.6 * near, `density ${errs.length / near}`);
    assert.ok(median < 0.03, `median relative error ${median}`);
  });

  it('recovers the ground plane within 2 cm in height and 1° in tilt', () => {
    const pts = depthToPoints(depth, scene.k, scene.baseFromLeft, { stride: 2, maxDepth: 10 });
    const g = estimateGroundPlane(pts.points);
    assert.ok(g !== undefined, 'no ground found');
    console.log(
      `      ground plane: height ${(100 * g.height).toFixed(2)} cm, tilt ${g.tiltDeg.toFixed(3)}°, inliers ${(100 * g.inlierRatio).toFixed(0)}%`,
    );
    assert.ok(Math.abs(g.height) < 0.02, `height ${g.height}`);
    assert.ok(g.tiltDeg < 1, `tilt ${g.tiltDeg}`);
  });

  it('obstacle points lie on the boxes, and every box is seen', () => {
    const pts = depthToPoints(depth, scene.k, scene.baseFromLeft, { stride: 2, maxDepth: 10 });
    const g = estimateGroundPlane(pts.points);
    const obs = voxelDownsample(obstaclePoints(pts.points, g, { minHeight: 0.1, maxHeight: 1.8 }), { leafSize: 0.05 });
    const n = obs.length / 3;
    // Half a pixel of disparity error moves a point z²/(2 f B) along the ray: allow that plus 10 cm.
    const fb = scene.k.fx * scene.baseline;
    const perBox = scene.boxes.map(() => 0);
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const p = [obs[3 * i], obs[3 * i + 1], obs[3 * i + 2]];
      const margin = 0.1 + (p[0] * p[0]) / (2 * fb);
      const b = scene.boxes.findIndex((bx) => p.every((v, a) => v >= bx.min[a] - margin && v <= bx.max[a] + margin));
      if (b < 0) outside++;
      else perBox[b]++;
    }
    assert.ok(n > 100, `only ${n} obstacle voxels`);
    assert.ok(outside / n < 0.05, `${outside} of ${n} obstacle voxels are on no box`);
    perBox.forEach((c, b) => assert.ok(c > 20, `box ${b} has ${c} obstacle voxels`));
  });

  for (const paths of [3, 4] as const) {
    it(`matches in strips on worker threads as on one thread, ${paths} paths (strip seams are invisible)`, async () => {
      const inline = new StereoMatcher({ numDisparities: 64, workers: 0, paths });
      const pooled = new StereoMatcher({ numDisparities: 64, workers: 2, paths });
      let single: DisparityResult;
      let strips: DisparityResult;
      try {
        single = await inline.compute(scene.left, scene.right);
        strips = await pooled.compute(scene.left, scene.right);
      } finally {
        await inline.dispose();
        await pooled.dispose();
      }
      let differ = 0;
      for (let i = 0; i < single.valid.length; i++) {
        if (single.valid[i] !== strips.valid[i] || (single.valid[i] && Math.abs(single.disparity[i] - strips.disparity[i]) > 0.25))
          differ++;
      }
      assert.ok(differ / single.valid.length < 0.01, `${differ} pixels differ between 1 strip and 2 strips`);
    });
  }

  it('builds DisparityImage, 32FC1 depth, CameraInfo and validity mask messages', () => {
    const header = { stamp: { sec: 12, nanosec: 5 }, frame_id: 'front_left_optical' };
    const msg = disparityImageMessage(header, result, { fx: scene.k.fx, baseline: scene.baseline });
    assert.equal(msg.f, scene.k.fx);
    assert.equal(msg.t, scene.baseline);
    assert.equal(msg.min_disparity, 0);
    assert.equal(msg.max_disparity, 63);
    assert.equal(msg.image.encoding, '32FC1');
    assert.equal(msg.image.step, 4 * 640);
    const disp = new Float32Array(msg.image.data.buffer, msg.image.data.byteOffset, 640 * 480);
    for (let i = 0; i < disp.length; i += 997) {
      if (result.valid[i]) assert.equal(disp[i], result.disparity[i]);
      else assert.ok(disp[i] < msg.min_disparity);
    }
    assert.ok(msg.valid_window.x_offset >= 63 && msg.valid_window.width > 400);
    const img = depthImageMessage(header, 640, 480, depth);
    assert.equal(img.data.byteLength, 4 * 640 * 480);
    const info = rectifiedCameraInfo(header, scene.k);
    assert.deepEqual(Array.from(info.p), [scene.k.fx, 0, scene.k.cx, 0, 0, scene.k.fy, scene.k.cy, 0, 0, 0, 1, 0]);
    const mask = validityMaskMessage(header, result);
    assert.equal(
      mask.data.filter((v) => v === 255).length,
      result.valid.reduce((a, v) => a + v, 0),
    );
  });
});
