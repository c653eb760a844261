// Depth -> points, voxel downsampling, RANSAC ground plane and obstacle selection on inputs
// whose answers follow from their construction.
import { strict as assert } from 'node:assert';
import { mat4 } from 'gl-matrix';
import { estimateGroundPlane } from '../../src/depth/ground_plane';
import { obstaclePoints } from '../../src/depth/obstacles';
import { depthToPoints } from '../../src/depth/points';
import { seededRandom } from '../../src/depth/seeded_random';
import { voxelDownsample } from '../../src/depth/voxel';
import type { Pinhole } from '../../src/geometry/pinhole';

const K: Pinhole = { fx: 100, fy: 100, cx: 10, cy: 5, width: 21, height: 11 };
/** Optical frame (z forward, x right, y down) -> base_link (x forward, y left, z up), 1.2 m up. */
const BASE_FROM_CAM = mat4.fromValues(0, -1, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0.3, 0, 1.2, 1);

describe('depth/points', () => {
  it('back-projects into base_link, organised and packed, with stride and range limits', () => {
    const depth = new Float32Array(K.width * K.height).fill(4);
    depth[0] = NaN;
    depth[2] = 50; // beyond maxDepth
    const r = depthToPoints(depth, K, BASE_FROM_CAM, { stride: 2, maxDepth: 30 });
    assert.equal(r.width, 11);
    assert.equal(r.height, 6);
    assert.equal(r.count, 11 * 6 - 2);
    // Pixel (u=20, v=10): optical (x, y, z) = (0.4, 0.2, 4) -> base (4 + 0.3, -0.4, 1.2 - 0.2).
    const at = (5 * 11 + 10) * 3;
    assert.deepEqual(
      Array.from(r.organized.subarray(at, at + 3)).map((v) => +v.toFixed(5)),
      [4.3, -0.4, 1],
    );
    assert.ok(Number.isNaN(r.organized[0]) && Number.isNaN(r.organized[3]));
    assert.equal(r.points.length, 3 * r.count);
  });

  it('rejects a depth image of the wrong size', () => {
    assert.throws(() => depthToPoints(new Float32Array(5), K, BASE_FROM_CAM), /depth has 5 values; the camera is 21x11 \(231\)/);
  });
});

describe('depth/voxel', () => {
  it('replaces the points of each voxel by their centroid and drops sparse voxels', () => {
    const pts = new Float32Array([
      0.01,
      0.01,
      0.01,
      0.03,
      0.03,
      0.03, // voxel (0,0,0): centroid 0.02
      0.12,
      0.01,
      0.01, // voxel (2,0,0) alone
      -0.01,
      0.02,
      0.02,
      -0.03,
      0.04,
      0.02, // voxel (-1,0,0): centroid (-0.02, 0.03, 0.02)
      NaN,
      0,
      0,
    ]);
    const all = voxelDownsample(pts, { leafSize: 0.05 });
    assert.deepEqual(
      Array.from(all).map((v) => +v.toFixed(4)),
      [0.02, 0.02, 0.02, 0.12, 0.01, 0.01, -0.02, 0.03, 0.02],
    );
    const dense = voxelDownsample(pts, { leafSize: 0.05, minPointsPerVoxel: 2 });
    assert.equal(dense.length, 6);
    assert.throws(() => voxelDownsample(new Float32Array([1e5, 0, 0]), { leafSize: 0.05 }), /more than 65536 voxels/);
  });
});

describe('depth/ground_plane and obstacles', () => {
  /** A tilted ground (2° about y, 3 cm below base_link at the origin) with noise, plus a box and a wall. */
  function scene(): Float32Array {
    const rnd = seededRandom(5);
    const pts: number[] = [];
    const tilt = Math.tan((2 * Math.PI) / 180);
    for (let i = 0; i < 4000; i++) {
      const x = 1 + 9 * rnd(),
        y = -4 + 8 * rnd();
      pts.push(x, y, -0.03 + tilt * x + 0.01 * (rnd() - 0.5));
    }
    for (let i = 0; i < 1500; i++) pts.push(4 + 0.5 * rnd(), -0.25 + 0.5 * rnd(), 0.35 + 0.65 * rnd()); // box, 0.2..0.9 m above the ground
    for (let i = 0; i < 2500; i++) pts.push(6 + 0.02 * rnd(), -4 + 8 * rnd(), 3 * rnd()); // wall facing the robot
    return new Float32Array(pts);
  }

  it('finds the tilted ground despite a wall with many points, deterministically', () => {
    const pts = scene();
    const g = estimateGroundPlane(pts);
    assert.ok(g !== undefined);
    assert.ok(Math.abs(g.height + 0.03) < 0.005, `height ${g.height}`);
    assert.ok(Math.abs(g.tiltDeg - 2) < 0.1, `tilt ${g.tiltDeg}`);
    assert.ok(g.normal[2] > 0);
    assert.deepEqual(estimateGroundPlane(pts), g);
  });

  it('returns undefined when nothing satisfies the horizontal prior', () => {
    const wall = new Float32Array(3000);
    const rnd = seededRandom(2);
    for (let i = 0; i < 1000; i++) wall.set([5, -2 + 4 * rnd(), 2 * rnd()], 3 * i);
    assert.equal(estimateGroundPlane(wall), undefined);
  });

  it('keeps obstacle points above the ground margin and below the height limit', () => {
    const pts = scene();
    const g = estimateGroundPlane(pts);
    const obs = obstaclePoints(pts, g, { minHeight: 0.1, maxHeight: 1.5 });
    let box = 0;
    for (let i = 0; i < obs.length / 3; i++) {
      const [x, , z] = [obs[3 * i], obs[3 * i + 1], obs[3 * i + 2]];
      if (x < 5) box++;
      else assert.ok(x >= 6 && z - (-0.03 + Math.tan((2 * Math.PI) / 180) * x) <= 1.5 + 1e-3, `point ${x},${z}`);
    }
    assert.equal(box, 1500);
    assert.throws(() => obstaclePoints(pts, g, { minHeight: 1, maxHeight: 0.5 }), /maxHeight must exceed minHeight/);
  });
});
