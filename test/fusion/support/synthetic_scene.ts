// Analytic multi-camera scenes for fusion tests and benchmarks: box objects on known straight
// trajectories, a 4-camera rig, depth by ray casting (ray-box slabs and ray-ground) on typed
// arrays with stereo-like noise, and ground-truth 2D boxes from projected 3D box corners.
// Independent of src/sim and src/depth's algorithms (only the seeded generator is shared), so
// fusion is tested against geometry, not our own code.
import { mat4 } from 'gl-matrix';
import type { Pinhole } from '../../../src/geometry/pinhole';
import type { CameraView, Detection2DBox } from '../../../src/fusion/types';
import { seededRandom, type Random } from '../../support/seeded_random';

export const INTRINSICS: Pinhole = { fx: 450, fy: 450, cx: 319.5, cy: 239.5, width: 640, height: 480 };
export const STEREO_FB = 450 * 0.12;
export const DISPARITY_STD = 0.2;

/** A seeded PRNG (mulberry32) with a Box-Muller normal: tests must be reproducible. */
export class Rng {
  readonly #uniform: Random;
  #spare: number | undefined;
  constructor(seed: number) {
    this.#uniform = seededRandom(seed);
  }
  uniform(): number {
    return this.#uniform();
  }
  normal(): number {
    if (this.#spare !== undefined) {
      const s = this.#spare;
      this.#spare = undefined;
      return s;
    }
    const u = Math.max(this.uniform(), 1e-12),
      v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

export interface RigCamera {
  name: string;
  intrinsics: Pinhole;
  baseFromCamera: mat4;
  hasDepth: boolean;
  /** Per-pixel ray directions in base_link, scaled so that the optical-axis component is 1. */
  rays: Float32Array;
}

/** Camera optical frame at (x, y, z) in base_link looking along heading `yaw` (level). */
export function cameraPose(x: number, y: number, z: number, yaw: number): mat4 {
  const c = Math.cos(yaw),
    s = Math.sin(yaw);
  // Columns: optical x (right), y (down), z (forward), translation.
  return mat4.fromValues(s, -c, 0, 0, 0, 0, -1, 0, c, s, 0, 0, x, y, z, 1);
}

function makeCamera(name: string, pose: mat4, hasDepth: boolean): RigCamera {
  const { fx, fy, cx, cy, width, height } = INTRINSICS;
  const rays = new Float32Array(width * height * 3);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const a = (u - cx) / fx,
        b = (v - cy) / fy;
      const k = 3 * (v * width + u);
      for (let r = 0; r < 3; r++) rays[k + r] = pose[r] * a + pose[4 + r] * b + pose[8 + r];
    }
  }
  return { name, intrinsics: INTRINSICS, baseFromCamera: pose, hasDepth, rays };
}

/** The rig: front stereo pair (12 cm baseline, depth on the left one) and side cameras at +-90 deg. */
export function makeRig(): RigCamera[] {
  return [
    makeCamera('front_left', cameraPose(0.2, 0.06, 1.0, 0), true),
    makeCamera('front_right', cameraPose(0.2, -0.06, 1.0, 0), false),
    makeCamera('left', cameraPose(0.0, 0.15, 1.0, Math.PI / 2), true),
    makeCamera('right', cameraPose(0.0, -0.15, 1.0, -Math.PI / 2), true),
  ];
}

export interface SceneObject {
  gtId: number;
  className: string;
  classId: number;
  /** Whether the detector knows this class (otherwise only depth sees it). */
  detectable: boolean;
  /** Length along the heading, width, height (m). */
  size: [number, number, number];
  start: [number, number];
  velocity: [number, number];
  /** Heading used when the object does not move. */
  yaw: number;
}

export interface ObjectState {
  object: SceneObject;
  centre: [number, number, number];
  yaw: number;
}

export function stateAt(o: SceneObject, t: number): ObjectState {
  const moving = Math.hypot(...o.velocity) > 0;
  return {
    object: o,
    centre: [o.start[0] + o.velocity[0] * t, o.start[1] + o.velocity[1] * t, o.size[2] / 2],
    yaw: moving ? Math.atan2(o.velocity[1], o.velocity[0]) : o.yaw,
  };
}

/** Objects of the test sequence: two crossings (front->left, front->right), occlusions, statics, an undetectable crate. */
export function crossingScene(): SceneObject[] {
  const person = (gtId: number, start: [number, number], velocity: [number, number]): SceneObject => ({
    gtId,
    className: 'person',
    classId: 0,
    detectable: true,
    size: [0.45, 0.5, 1.75],
    start,
    velocity,
    yaw: 0,
  });
  return [
    person(1, [3.5, -0.5], [-0.55, 0.8]),
    person(2, [5.0, 1.0], [-0.7, -1.0]),
    person(3, [7.0, 2.5], [0, 0]),
    { gtId: 4, className: 'car', classId: 2, detectable: true, size: [4.5, 1.8, 1.5], start: [9.0, 4.0], velocity: [0, -1.2], yaw: 0 },
    { gtId: 5, className: 'chair', classId: 56, detectable: true, size: [0.5, 0.5, 0.9], start: [2.2, -1.0], velocity: [0, 0], yaw: 0.3 },
    { gtId: 6, className: 'chair', classId: 56, detectable: true, size: [0.5, 0.5, 0.9], start: [-0.3, -2.8], velocity: [0, 0], yaw: 1.0 },
    person(7, [-1.0, 2.8], [0, 0]),
    { gtId: 8, className: 'crate', classId: -1, detectable: false, size: [0.6, 0.6, 0.8], start: [6.0, -3.0], velocity: [0, 0], yaw: 0.5 },
  ];
}

/** Objects that cross from one camera's view into another's in crossingScene. */
export const CROSSING_IDS = [1, 2];

export interface RenderedView {
  view: CameraView;
  /** Per object index: pixels where it is the nearest surface, and where its box is hit at all. */
  visiblePixels: Int32Array;
  silhouettePixels: Int32Array;
}

export interface RenderOptions {
  rng: Rng;
  boxNoisePx: number;
  missRate: number;
  disparityStd: number;
}

/**
 * Renders one camera: depth (optical-axis z, NaN for sky) with stereo noise when the camera has
 * depth, and detections = projected, image-clipped GT boxes with edge noise for detectable objects
 * that are at least half unoccluded and 40% inside the image.
 */
export function renderCamera(cam: RigCamera, states: readonly ObjectState[], opts: RenderOptions): RenderedView {
  const { fx, fy, cx, cy, width, height } = cam.intrinsics;
  const m = cam.baseFromCamera;
  const ox = m[12],
    oy = m[13],
    oz = m[14];
  const rays = cam.rays;
  const n = width * height;
  const depth = new Float32Array(n);
  const id = new Int16Array(n).fill(-1);
  for (let p = 0; p < n; p++) {
    const dz = rays[3 * p + 2];
    const t = dz < -1e-6 ? -oz / dz : Infinity;
    depth[p] = t < 40 ? t : Infinity;
  }
  const visible = new Int32Array(states.length);
  const silhouette = new Int32Array(states.length);
  const boxes: Array<[number, number, number, number, number] | null> = [];
  states.forEach((s, k) => {
    const [L, W, H] = s.object.size;
    const c = Math.cos(s.yaw),
      sn = Math.sin(s.yaw);
    let u0 = Infinity,
      u1 = -Infinity,
      v0 = Infinity,
      v1 = -Infinity;
    let behind = false;
    for (const ex of [-L / 2, L / 2]) {
      for (const ey of [-W / 2, W / 2]) {
        for (const ez of [0, H]) {
          const px = s.centre[0] + c * ex - sn * ey - ox,
            py = s.centre[1] + sn * ex + c * ey - oy,
            pz = ez - oz;
          const xc = m[0] * px + m[1] * py + m[2] * pz,
            yc = m[4] * px + m[5] * py + m[6] * pz,
            zc = m[8] * px + m[9] * py + m[10] * pz;
          if (zc < 0.05) behind = true;
          const u = (fx * xc) / zc + cx,
            v = (fy * yc) / zc + cy;
          u0 = Math.min(u0, u);
          u1 = Math.max(u1, u);
          v0 = Math.min(v0, v);
          v1 = Math.max(v1, v);
        }
      }
    }
    if (behind || u1 < 0 || v1 < 0 || u0 > width - 1 || v0 > height - 1) {
      boxes.push(null);
      return;
    }
    const area = (u1 - u0) * (v1 - v0);
    const cu0 = Math.max(0, u0),
      cu1 = Math.min(width - 1, u1),
      cv0 = Math.max(0, v0),
      cv1 = Math.min(height - 1, v1);
    boxes.push([cu0, cv0, cu1, cv1, ((cu1 - cu0) * (cv1 - cv0)) / area]);
    // Ray-box slabs in the box frame (x along heading, z up from the ground).
    const lx = c * (ox - s.centre[0]) + sn * (oy - s.centre[1]),
      ly = -sn * (ox - s.centre[0]) + c * (oy - s.centre[1]);
    for (let v = Math.floor(cv0); v <= Math.ceil(cv1); v++) {
      for (let u = Math.floor(cu0); u <= Math.ceil(cu1); u++) {
        const p = v * width + u;
        const rx = rays[3 * p],
          ry = rays[3 * p + 1],
          rz = rays[3 * p + 2];
        const dx = c * rx + sn * ry,
          dy = -sn * rx + c * ry;
        const hit = slabs(lx, ly, oz, dx, dy, rz, L / 2, W / 2, H);
        if (!(hit < Infinity)) continue;
        silhouette[k]++;
        if (hit < depth[p]) {
          depth[p] = hit;
          id[p] = k;
        }
      }
    }
  });
  for (let p = 0; p < n; p++) if (id[p] >= 0) visible[id[p]]++;
  if (cam.hasDepth) {
    for (let p = 0; p < n; p++) {
      const z = depth[p];
      if (z === Infinity) {
        depth[p] = NaN;
        continue;
      }
      const disparity = STEREO_FB / z + opts.disparityStd * opts.rng.normal();
      depth[p] = disparity > 0.5 ? STEREO_FB / disparity : NaN;
    }
  }
  const detections: Detection2DBox[] = [];
  states.forEach((s, k) => {
    const b = boxes[k];
    if (!b || !s.object.detectable) return;
    if (visible[k] < 30 || visible[k] < 0.5 * silhouette[k] || b[4] < 0.4) return;
    if (opts.rng.uniform() < opts.missRate) return;
    const jitter = () => opts.boxNoisePx * opts.rng.normal();
    detections.push({
      x1: b[0] + jitter(),
      y1: b[1] + jitter(),
      x2: b[2] + jitter(),
      y2: b[3] + jitter(),
      score: 0.6 + 0.35 * opts.rng.uniform(),
      classId: s.object.classId,
      className: s.object.className,
    });
  });
  const view: CameraView = {
    camera: cam.name,
    intrinsics: cam.intrinsics,
    baseFromCamera: cam.baseFromCamera,
    detections,
    ...(cam.hasDepth ? { depth, depthNoise: { kind: 'stereo' as const, focalBaseline: STEREO_FB, disparityStd: opts.disparityStd } } : {}),
  };
  return { view, visiblePixels: visible, silhouettePixels: silhouette };
}

/** Entry distance of a ray (origin o, direction d, box frame) into the box |x|<=hl, |y|<=hw, 0<=z<=h; Infinity on a miss. */
function slabs(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, hl: number, hw: number, h: number): number {
  let tmin = 0,
    tmax = Infinity;
  const bounds = SLAB_SCRATCH;
  bounds[0] = -hl;
  bounds[1] = hl;
  bounds[2] = -hw;
  bounds[3] = hw;
  bounds[4] = 0;
  bounds[5] = h;
  for (let axis = 0; axis < 3; axis++) {
    const o = axis === 0 ? ox : axis === 1 ? oy : oz;
    const d = axis === 0 ? dx : axis === 1 ? dy : dz;
    const lo = bounds[2 * axis],
      hi = bounds[2 * axis + 1];
    if (Math.abs(d) < 1e-12) {
      if (o < lo || o > hi) return Infinity;
      continue;
    }
    const a = (lo - o) / d,
      b = (hi - o) / d;
    tmin = Math.max(tmin, Math.min(a, b));
    tmax = Math.min(tmax, Math.max(a, b));
    if (tmin > tmax) return Infinity;
  }
  return tmin;
}
const SLAB_SCRATCH = new Float64Array(6);

/**
 * What the depth module hands fusion: depth pixels (every `stride`-th) back-projected to base_link,
 * above `minHeight`, within `maxRange`, voxel-downsampled to voxel centroids.
 */
export function obstaclePointsFromViews(
  views: readonly CameraView[],
  stride = 2,
  voxel = 0.1,
  minHeight = 0.1,
  maxRange = 15,
): Float32Array {
  const sums = new Map<number, [number, number, number, number]>();
  for (const view of views) {
    if (!view.depth) continue;
    const { fx, fy, cx, cy, width, height } = view.intrinsics;
    const m = view.baseFromCamera;
    for (let v = 0; v < height; v += stride) {
      for (let u = 0; u < width; u += stride) {
        const z = view.depth[v * width + u];
        if (!(z > 0)) continue;
        const a = ((u - cx) / fx) * z,
          b = ((v - cy) / fy) * z;
        const x = m[0] * a + m[4] * b + m[8] * z + m[12];
        const y = m[1] * a + m[5] * b + m[9] * z + m[13];
        const h = m[2] * a + m[6] * b + m[10] * z + m[14];
        if (h < minHeight || h > 2.5 || x * x + y * y > maxRange * maxRange) continue;
        const key = (Math.floor(x / voxel) + 512) * 1048576 + (Math.floor(y / voxel) + 512) * 1024 + (Math.floor(h / voxel) + 512);
        const acc = sums.get(key);
        if (acc) {
          acc[0] += x;
          acc[1] += y;
          acc[2] += h;
          acc[3]++;
        } else {
          sums.set(key, [x, y, h, 1]);
        }
      }
    }
  }
  const out = new Float32Array(sums.size * 3);
  let k = 0;
  for (const [x, y, z, c] of sums.values()) {
    out[k++] = x / c;
    out[k++] = y / c;
    out[k++] = z / c;
  }
  return out;
}

/** Exact horizontal range from base_link's origin to the nearest box side along `bearing` (Infinity if none). */
export function groundTruthRange(states: readonly ObjectState[], bearing: number): number {
  const rx = Math.cos(bearing),
    ry = Math.sin(bearing);
  let best = Infinity;
  for (const s of states) {
    const [L, W] = s.object.size;
    const c = Math.cos(s.yaw),
      sn = Math.sin(s.yaw);
    const lx = c * -s.centre[0] + sn * -s.centre[1],
      ly = -sn * -s.centre[0] + c * -s.centre[1];
    const dx = c * rx + sn * ry,
      dy = -sn * rx + c * ry;
    let tmin = 0,
      tmax = Infinity;
    for (const [o, d, h] of [
      [lx, dx, L / 2],
      [ly, dy, W / 2],
    ] as const) {
      if (Math.abs(d) < 1e-12) {
        if (Math.abs(o) > h) tmin = Infinity;
        continue;
      }
      let a = (-h - o) / d,
        b = (h - o) / d;
      if (a > b) [a, b] = [b, a];
      tmin = Math.max(tmin, a);
      tmax = Math.min(tmax, b);
    }
    if (tmin <= tmax && tmin < best) best = tmin;
  }
  return best;
}
