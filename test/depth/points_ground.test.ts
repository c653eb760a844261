// Depth -> points, voxel downsampling, RANSAC ground plane and obstacle selection on inputs
// whose answers follow from their construction.
import { strict as assert } from 'node:assert';
import { mat4 } from 'gl-matrix';
import { groundContactDepth } from '../../src/depth/ground_contact';
import { estimateGroundPlane } from '../../src/depth/ground_plane';
import { obstaclePoints } from '../../src/depth/obstacles';
import { depthToPoints } from '../../src/depth/points';
import { seededRandom } from '../../src/depth/seeded_random';
import { voxelDownsample } from '../../src/depth/voxel';
import type { Pinhole } from '../../src/geometry/pinhole';
import { opticalInBase } from '../../src/sim/rig';
import { SceneSimulator } from '../../src/sim/scene_simulator';
import { parseScene } from '../../src/sim/scene_schema';

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

  it('drops the pixels near a depth step when asked (maxInverseDepthStep), and only those', () => {
    // Columns 0-9 at 4 m, 10-20 at 4.2 m (0.012 /m apart: one surface) with a 6 m patch (0.07 /m
    // behind) at columns 15-20 of rows 0-4.
    const depth = new Float32Array(K.width * K.height);
    for (let v = 0; v < K.height; v++) for (let u = 0; u < K.width; u++) depth[v * K.width + u] = u < 10 ? 4 : u >= 15 && v < 5 ? 6 : 4.2;
    const all = depthToPoints(depth, K, BASE_FROM_CAM, { stride: 1 });
    assert.equal(all.count, K.width * K.height);
    const kept = depthToPoints(depth, K, BASE_FROM_CAM, { stride: 1, maxInverseDepthStep: 0.05, edgeRadius: 2 });
    // Within 2 px of the patch's outline (columns 13-20 of rows 0-6, less the patch's own inside
    // at columns 17-20 of rows 0-2) nothing is kept; the 5 % step stays.
    const gone: number[] = [];
    for (let v = 0; v < K.height; v++)
      for (let u = 0; u < K.width; u++) if (Number.isNaN(kept.organized[3 * (v * K.width + u)])) gone.push(v * K.width + u);
    const expected: number[] = [];
    for (let v = 0; v <= 6; v++) for (let u = 13; u < K.width; u++) if (!(v <= 2 && u >= 17)) expected.push(v * K.width + u);
    assert.deepEqual(gone, expected);
    assert.equal(kept.count, K.width * K.height - expected.length);
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

describe('depth/ground_contact', () => {
  // One side camera's view of a box and a person in a room, rendered exactly; the "learned" depth
  // is the true depth 20 % too far with 5 % pixel noise, as a coarse monocular model gives it.
  const scene = parseScene(
    {
      name: 'contact',
      seed: 5,
      duration: 1,
      static_objects: [{ class: 'box', size: [0.8, 0.8, 1.0], position: [0.3, 3.5], yaw_deg: 20 }],
      moving_objects: [
        {
          class: 'person',
          trajectory: {
            waypoints: [
              [-1.2, 5.0],
              [-1.3, 5.0],
            ],
            speed: 0.1,
          },
        },
      ],
    },
    'test scene',
  );
  const frame = new SceneSimulator(scene).renderFrame(0);
  const cam = scene.rig.cameras.find((c) => c.name === 'left')!;
  const k: Pinhole = { fx: cam.fx, fy: cam.fy, cx: cam.cx, cy: cam.cy, width: cam.width, height: cam.height };
  const truth = frame.depth.get('left')!;
  const rnd = seededRandom(3);
  const learned = truth.map((z) => z * 1.2 * (1 + 0.1 * (rnd() - 0.5)));

  it('ranges obstacle surfaces from their ground contact, far better than the learned depth', () => {
    const out = groundContactDepth(learned, frame.images.get('left')!, k, opticalInBase(cam), undefined, 10);
    const rel: number[] = [];
    for (let i = 0; i < out.length; i++) if (Number.isFinite(out[i])) rel.push(Math.abs(out[i] - truth[i]) / truth[i]);
    rel.sort((a, b) => a - b);
    assert.ok(rel.length > 20000, `${rel.length} pixels ranged`);
    // Every learned pixel is 15-25 % off; most ranged ones are within a few per cent.
    assert.ok(rel[rel.length >> 1] < 0.035, `median error ${rel[rel.length >> 1]}`);
    assert.ok(rel.filter((r) => r < 0.05).length > 0.5 * rel.length, 'half the points within 5 %');
    // Strided (as the point cloud samples it): only every 2nd column is ranged, about as densely.
    const strided = groundContactDepth(learned, frame.images.get('left')!, k, opticalInBase(cam), undefined, 10, 2);
    let even = 0,
      odd = 0;
    strided.forEach((z, i) => {
      if (!Number.isFinite(z)) return;
      if (i % 2 === 0) even++;
      else odd++;
    });
    assert.equal(odd, 0);
    assert.ok(even > 0.4 * rel.length, `${even} of ${rel.length}`);
  });

  it('gives no point where the floor is all there is, and refuses a mismatched image', () => {
    const floorOnly = new Float32Array(truth.length).fill(NaN);
    const out = groundContactDepth(floorOnly, frame.images.get('left')!, k, opticalInBase(cam), undefined, 10);
    assert.ok(out.every((z) => Number.isNaN(z)));
    assert.throws(
      () => groundContactDepth(learned, { ...frame.images.get('left')!, width: 10 }, k, opticalInBase(cam), undefined, 10),
      /groundContactDepth: image 10x480/,
    );
  });
});
