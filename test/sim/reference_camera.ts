// Independent reference geometry for the simulator tests: a plain ray caster and a plain
// projector written from the scene description, sharing no code with src/sim's renderer, so
// that agreement between the two means something.
import type { CameraSpec } from '../../src/sim/scene_schema';

export type V3 = [number, number, number];

export interface RefBox {
  center: V3;
  yaw: number;
  size: V3;
}

export interface RefRoom {
  min: [number, number];
  max: [number, number];
  height: number;
}

/** Camera optical frame in odom: origin and the odom directions of optical x (right), y (down), z (forward). */
export interface RefCameraPose {
  origin: V3;
  right: V3;
  down: V3;
  forward: V3;
}

/** Pose of `cam` for a base at (bx, by) heading `byaw` (radians), from the spec's position and rpy. */
export function refCameraPose(cam: CameraSpec, bx: number, by: number, byaw: number): RefCameraPose {
  const [roll, pitch, yaw] = cam.rpy_deg.map((d) => (d * Math.PI) / 180);
  // Body axes in base_link: R = Rz(yaw) * Ry(pitch) * Rx(roll); columns are body x, y, z.
  const cy = Math.cos(yaw),
    sy = Math.sin(yaw),
    cp = Math.cos(pitch),
    sp = Math.sin(pitch),
    cr = Math.cos(roll),
    sr = Math.sin(roll);
  const bodyX: V3 = [cy * cp, sy * cp, -sp];
  const bodyY: V3 = [cy * sp * sr - sy * cr, sy * sp * sr + cy * cr, cp * sr];
  const bodyZ: V3 = [cy * sp * cr + sy * sr, sy * sp * cr - cy * sr, cp * cr];
  const toOdom = (v: V3): V3 => [Math.cos(byaw) * v[0] - Math.sin(byaw) * v[1], Math.sin(byaw) * v[0] + Math.cos(byaw) * v[1], v[2]];
  const p = toOdom(cam.position as V3);
  return {
    origin: [bx + p[0], by + p[1], p[2]],
    forward: toOdom(bodyX),
    right: toOdom(bodyY.map((v) => -v) as V3),
    down: toOdom(bodyZ.map((v) => -v) as V3),
  };
}

/** Normalised undistorted coordinates of pixel (u, v), inverting plumb_bob by Newton's method. */
export function refPixelRay(cam: CameraSpec, u: number, v: number): [number, number] {
  const xd = (u - cam.cx) / cam.fx;
  const yd = (v - cam.cy) / cam.fy;
  if (!cam.distortion) return [xd, yd];
  let x = xd;
  let y = yd;
  for (let it = 0; it < 50; it++) {
    const [fx, fy] = refDistort(cam, x, y);
    // Numerical Jacobian: independent of the closed form the simulator uses.
    const h = 1e-7;
    const [ax, ay] = refDistort(cam, x + h, y);
    const [bx, by] = refDistort(cam, x, y + h);
    const j11 = (ax - fx) / h,
      j21 = (ay - fy) / h,
      j12 = (bx - fx) / h,
      j22 = (by - fy) / h;
    const det = j11 * j22 - j12 * j21;
    const ex = fx - xd,
      ey = fy - yd;
    x -= (j22 * ex - j12 * ey) / det;
    y -= (-j21 * ex + j11 * ey) / det;
  }
  return [x, y];
}

export function refDistort(cam: CameraSpec, x: number, y: number): [number, number] {
  if (!cam.distortion) return [x, y];
  const [k1, k2, p1, p2, k3] = cam.distortion.d;
  const r2 = x * x + y * y;
  const k = 1 + k1 * r2 + k2 * r2 * r2 + k3 * r2 * r2 * r2;
  return [x * k + 2 * p1 * x * y + p2 * (r2 + 2 * x * x), y * k + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y];
}

/** Projects an odom point to pixel coordinates; undefined when behind z = 0.02 m. */
export function refProject(cam: CameraSpec, pose: RefCameraPose, p: V3): [number, number] | undefined {
  const d: V3 = [p[0] - pose.origin[0], p[1] - pose.origin[1], p[2] - pose.origin[2]];
  const z = dot(d, pose.forward);
  if (z < 0.02) return undefined;
  const [xd, yd] = refDistort(cam, dot(d, pose.right) / z, dot(d, pose.down) / z);
  return [cam.fx * xd + cam.cx, cam.fy * yd + cam.cy];
}

/**
 * Casts the ray of normalised coordinates (xn, yn): returns the depth along the optical axis of
 * the first hit and what was hit (box index, or -1 for the room).
 */
export function refCast(
  pose: RefCameraPose,
  xn: number,
  yn: number,
  boxes: readonly RefBox[],
  room: RefRoom,
): { depth: number; hit: number } {
  const dir: V3 = [0, 1, 2].map((k) => pose.forward[k] + xn * pose.right[k] + yn * pose.down[k]) as V3;
  // Room (seen from inside): the nearest exit through any of its six planes.
  let best = Infinity;
  const lo = [room.min[0], room.min[1], 0];
  const hi = [room.max[0], room.max[1], room.height];
  for (let k = 0; k < 3; k++) {
    if (dir[k] > 0) best = Math.min(best, (hi[k] - pose.origin[k]) / dir[k]);
    if (dir[k] < 0) best = Math.min(best, (lo[k] - pose.origin[k]) / dir[k]);
  }
  let hit = -1;
  boxes.forEach((b, i) => {
    const c = Math.cos(-b.yaw),
      s = Math.sin(-b.yaw);
    const o = [pose.origin[0] - b.center[0], pose.origin[1] - b.center[1], pose.origin[2] - b.center[2]];
    const lo3 = [c * o[0] - s * o[1], s * o[0] + c * o[1], o[2]];
    const ld = [c * dir[0] - s * dir[1], s * dir[0] + c * dir[1], dir[2]];
    let tn = -Infinity,
      tf = Infinity;
    for (let k = 0; k < 3; k++) {
      const h = b.size[k] / 2;
      if (ld[k] === 0) {
        if (Math.abs(lo3[k]) > h) return;
        continue;
      }
      const t1 = (-h - lo3[k]) / ld[k],
        t2 = (h - lo3[k]) / ld[k];
      tn = Math.max(tn, Math.min(t1, t2));
      tf = Math.min(tf, Math.max(t1, t2));
    }
    if (tn <= tf && tn > 0 && tn < best) {
      best = tn;
      hit = i;
    }
  });
  // dir has unit forward component, so the ray parameter is the optical-axis depth.
  return { depth: best, hit };
}

/** A small seeded generator for picking test pixels (not the simulator's). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
