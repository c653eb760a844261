// The ground truth must agree with geometry computed independently from the scene description
// (test/sim/reference_camera.ts): depth with ray casting, 2D boxes with projected 3D boxes,
// visibility with ray-cast occlusion, velocities with finite differences of positions.
import { strict as assert } from 'node:assert';
import { loadScene } from '../../src/sim/scene_loader';
import type { Scene } from '../../src/sim/scene_schema';
import { SceneSimulator, type SimFrame } from '../../src/sim/scene_simulator';
import { lcg, refCameraPose, refCast, refPixelRay, refProject, type RefBox, type RefRoom, type V3 } from './reference_camera';
import { distortedRig, variant } from './scene_variants';

interface Case {
  label: string;
  scene: Scene;
  frames: number[];
}

const CASES: Case[] = [
  { label: 'corridor_crossing', scene: loadScene('corridor_crossing'), frames: [0, 75, 150] },
  { label: 'moving_robot', scene: loadScene('moving_robot'), frames: [60, 250] },
  {
    label: 'corridor_crossing, distorted front_left and left',
    scene: variant('corridor_crossing', { rig: distortedRig(['front_left', 'left']) }),
    frames: [40],
  },
];

/** What the camera saw, rebuilt from the scene's world at the camera's own stamp. */
function cameraView(sim: SceneSimulator, frame: SimFrame, camName: string) {
  const cam = sim.cameras.find((c) => c.name === camName)!;
  const t = sim.schedule.sceneTime(frame.stamps.get(camName)!);
  const objects = sim.world.objectsAt(t);
  const base = sim.world.baseAt(t);
  const pose = refCameraPose(cam, base.x, base.y, base.yaw);
  const boxes: RefBox[] = objects.map((o) => ({ center: o.center, yaw: o.yaw, size: o.size }));
  const w = sim.scene.world;
  const room: RefRoom = { min: w.room_min, max: w.room_max, height: w.room_height };
  return { cam, objects, pose, boxes, room };
}

function boxCorners(b: RefBox): V3[] {
  const c = Math.cos(b.yaw),
    s = Math.sin(b.yaw);
  const out: V3[] = [];
  for (const sx of [-1, 1])
    for (const sy of [-1, 1])
      for (const sz of [-1, 1]) {
        const lx = (sx * b.size[0]) / 2,
          ly = (sy * b.size[1]) / 2;
        out.push([b.center[0] + c * lx - s * ly, b.center[1] + s * lx + c * ly, b.center[2] + (sz * b.size[2]) / 2]);
      }
  return out;
}

/** The 12 edges of a box as corner index pairs (corners ordered x, y, z bits). */
const EDGES: Array<[number, number]> = [
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7],
  [0, 2],
  [1, 3],
  [4, 6],
  [5, 7],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
];

describe('sim ground truth', function () {
  this.timeout(60_000);
  for (const c of CASES) {
    describe(c.label, () => {
      const sim = new SceneSimulator(c.scene);
      const frames = c.frames.map((i) => sim.renderFrame(i));

      it('depth equals an independent ray cast at random pixels', () => {
        const rand = lcg(1234);
        for (const frame of frames) {
          for (const camName of frame.images.keys()) {
            const { cam, pose, boxes, room } = cameraView(sim, frame, camName);
            const depth = frame.depth.get(camName)!;
            let agree = 0;
            const n = 400;
            for (let k = 0; k < n; k++) {
              const u = Math.floor(rand() * cam.width);
              const v = Math.floor(rand() * cam.height);
              const [xn, yn] = refPixelRay(cam, u, v);
              const ref = refCast(pose, xn, yn, boxes, room).depth;
              if (Math.abs(depth[v * cam.width + u] - ref) <= 1e-4 * ref + 1e-5) agree++;
            }
            // Only pixels whose centre lies within float rounding of a silhouette may differ; under
            // distortion a silhouette pixel takes the surface of the nearest raster-grid pixel.
            const needed = cam.distortion ? 0.97 : 0.99;
            assert.ok(
              agree / n >= needed,
              `frame ${frame.index} ${camName}: depth agrees at ${agree}/${n} pixels; expected >= ${needed * 100}%`,
            );
          }
        }
      });

      it('2D boxes are the projected 3D boxes, and visible pixels lie inside them', () => {
        let exact = 0;
        for (const frame of frames) {
          for (const camName of frame.images.keys()) {
            const { cam, pose, boxes, objects } = cameraView(sim, frame, camName);
            for (const gt of frame.boxes.get(camName)!) {
              const i = objects.findIndex((o) => o.id === gt.id);
              const corners = boxCorners(boxes[i]);
              // The silhouette of a box is made of its edges: sample them densely.
              const samples: Array<[number, number] | undefined> = [];
              for (const [a, b] of EDGES) {
                for (let s = 0; s <= 200; s++) {
                  const t = s / 200;
                  samples.push(refProject(cam, pose, [0, 1, 2].map((k) => corners[a][k] + t * (corners[b][k] - corners[a][k])) as V3));
                }
              }
              const inImage = (p: [number, number] | undefined) =>
                p !== undefined && p[0] >= -0.5 && p[0] <= cam.width - 0.5 && p[1] >= -0.5 && p[1] <= cam.height - 0.5;
              const xs = samples.filter(inImage).map((p) => p![0]);
              const ys = samples.filter(inImage).map((p) => p![1]);
              const where = `frame ${frame.index} ${camName} object ${gt.id} (${gt.className})`;
              if (samples.every(inImage)) {
                const tol = cam.distortion ? 0.3 : 1e-6;
                const ref = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
                [gt.x0, gt.y0, gt.x1, gt.y1].forEach((g, k) =>
                  assert.ok(Math.abs(g - ref[k]) <= tol, `${where}: box ${[gt.x0, gt.y0, gt.x1, gt.y1]} vs projected corners ${ref}`),
                );
                exact++;
              } else if (xs.length > 0) {
                // Cut by the image border or the near plane: the box holds every in-image edge point.
                assert.ok(
                  gt.x0 <= Math.min(...xs) + 1e-6 && gt.x1 >= Math.max(...xs) - 1e-6,
                  `${where}: x range ${gt.x0}..${gt.x1} misses edge points ${Math.min(...xs)}..${Math.max(...xs)}`,
                );
                assert.ok(
                  gt.y0 <= Math.min(...ys) + 1e-6 && gt.y1 >= Math.max(...ys) - 1e-6,
                  `${where}: y range ${gt.y0}..${gt.y1} misses edge points ${Math.min(...ys)}..${Math.max(...ys)}`,
                );
              }
              if (gt.visibleBox) {
                const slack = cam.distortion ? 1.5 : 0.5;
                const [a, b, cc, d] = gt.visibleBox;
                assert.ok(
                  a >= gt.x0 - slack && b >= gt.y0 - slack && cc <= gt.x1 + slack && d <= gt.y1 + slack,
                  `${where}: visible pixels ${gt.visibleBox} outside box ${[gt.x0, gt.y0, gt.x1, gt.y1]}`,
                );
              }
            }
          }
        }
        assert.ok(exact >= 5, `only ${exact} boxes were wholly in view; the exact check needs more`);
      });

      it('visibility matches ray-cast occlusion', () => {
        let checked = 0;
        for (const frame of frames) {
          for (const camName of frame.images.keys()) {
            const { cam, pose, boxes, room, objects } = cameraView(sim, frame, camName);
            const visible = new Array<number>(boxes.length).fill(0);
            const alone = new Array<number>(boxes.length).fill(0);
            for (let v = 1; v < cam.height; v += 4) {
              for (let u = 1; u < cam.width; u += 4) {
                const [xn, yn] = refPixelRay(cam, u, v);
                const hit = refCast(pose, xn, yn, boxes, room).hit;
                if (hit >= 0) visible[hit]++;
                boxes.forEach((b, i) => {
                  if (refCast(pose, xn, yn, [b], room).hit === 0) alone[i]++;
                });
              }
            }
            for (const gt of frame.boxes.get(camName)!) {
              const i = objects.findIndex((o) => o.id === gt.id);
              if (alone[i] < 100) continue;
              const ref = visible[i] / alone[i];
              const tol = cam.distortion ? 0.1 : 0.05;
              assert.ok(
                Math.abs(gt.visibility - ref) <= tol,
                `frame ${frame.index} ${camName} object ${gt.id}: visibility ${gt.visibility.toFixed(3)}, ray cast ${ref.toFixed(3)}`,
              );
              checked++;
            }
          }
        }
        assert.ok(checked >= 5, `only ${checked} objects were large enough to check`);
      });
    });
  }

  it('object velocities are the rate of change of their positions, in odom and in base_link', () => {
    const sim = new SceneSimulator(loadScene('moving_robot'));
    const dt = 1 / sim.scene.rate_hz;
    let moving = 0;
    for (const i of [40, 41, 150, 151]) {
      const [a, b] = [sim.renderFrame(i), sim.renderFrame(i + 1)];
      for (const oa of a.objects) {
        const ob = b.objects.find((o) => o.id === oa.id)!;
        for (const [pos, vel, frame] of [
          ['centerOdom', 'velocityOdom', 'odom'],
          ['center', 'velocity', 'base_link'],
        ] as const) {
          for (let k = 0; k < 3; k++) {
            const fd = (ob[pos][k] - oa[pos][k]) / dt;
            // Finite differences are exact on straight segments; base_link also rotates only at waypoints.
            assert.ok(
              Math.abs(fd - oa[vel][k]) < 1e-6,
              `frame ${i} object ${oa.id} ${frame}: velocity[${k}] ${oa[vel][k]} vs finite difference ${fd}`,
            );
          }
        }
        if (Math.hypot(...oa.velocity) > 0.1) moving++;
      }
    }
    assert.ok(moving > 4, 'expected objects moving relative to the base');
  });
});
