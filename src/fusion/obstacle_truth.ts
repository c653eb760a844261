// Exact obstacle geometry for scoring the obstacle outputs (virtual scan, obstacle cloud)
// against ground truth: oriented boxes standing on the floor and the room's walls, all in
// base_link. Pure geometry, no I/O; src/sim builds an ObstacleTruth from a scene.

/** An oriented box standing on the floor (z from 0 to size[2]), base_link. */
export interface TruthBox {
  id: number;
  center: readonly [number, number, number];
  /** Heading about z, radians. */
  yaw: number;
  size: readonly [number, number, number];
}

/** A camera as far as scoring needs it: where it is and which bearings it sees (base_link). */
export interface TruthCamera {
  name: string;
  position: readonly [number, number];
  /** Bearing of the optical axis, radians. */
  yaw: number;
  /** Half the horizontal field of view, radians. */
  halfFov: number;
}

export interface ObstacleTruth {
  boxes: readonly TruthBox[];
  /** The room's floor outline (walls stand on it), corners in loop order, base_link. */
  room: ReadonlyArray<readonly [number, number]>;
  roomHeight: number;
  cameras: readonly TruthCamera[];
}

/** The point (x, y) in the box's own frame (x along its heading), relative to its centre. */
function inBox(b: TruthBox, x: number, y: number): [number, number] {
  const c = Math.cos(b.yaw),
    s = Math.sin(b.yaw);
  const dx = x - b.center[0],
    dy = y - b.center[1];
  return [c * dx + s * dy, -s * dx + c * dy];
}

/** Distance from (x, y, z) to the solid box (0 inside). */
export function boxDistance(b: TruthBox, x: number, y: number, z: number): number {
  const [u, v] = inBox(b, x, y);
  const du = Math.max(0, Math.abs(u) - b.size[0] / 2);
  const dv = Math.max(0, Math.abs(v) - b.size[1] / 2);
  const dz = Math.max(0, -z, z - b.size[2]);
  return Math.hypot(du, dv, dz);
}

/** The room's walls as [start x, start y, edge x, edge y]. */
function walls(t: ObstacleTruth): Array<[number, number, number, number]> {
  return t.room.map(([ax, ay], i) => {
    const [bx, by] = t.room[(i + 1) % t.room.length];
    return [ax, ay, bx - ax, by - ay];
  });
}

/** Horizontal distance from (x, y) to the room's walls. */
export function wallDistance(t: ObstacleTruth, x: number, y: number): number {
  let best = Infinity;
  for (const [ax, ay, ex, ey] of walls(t)) {
    const s = Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)));
    best = Math.min(best, Math.hypot(x - ax - s * ex, y - ay - s * ey));
  }
  return best;
}

/**
 * Distance from a point to the nearest obstacle surface: a box, or a wall below the ceiling.
 * `planar` measures horizontally only (a scan return stands for any height in its band).
 */
export function obstacleDistance(t: ObstacleTruth, x: number, y: number, z: number, planar = false): number {
  let best = z <= t.roomHeight ? wallDistance(t, x, y) : Infinity;
  for (const b of t.boxes) best = Math.min(best, boxDistance(b, x, y, planar ? b.size[2] / 2 : z));
  return best;
}

/**
 * Range from the base_link origin along bearing `angle` to the first obstacle that reaches into
 * the height band [minZ, maxZ] (boxes whose top is above minZ; walls), or Infinity.
 */
export function trueRange(t: ObstacleTruth, angle: number, minZ: number, maxZ: number): number {
  const dx = Math.cos(angle),
    dy = Math.sin(angle);
  let best = Infinity;
  for (const b of t.boxes) {
    if (b.size[2] < minZ || maxZ < 0) continue;
    // Slab test in the box frame.
    const [ou, ov] = inBox(b, 0, 0);
    const c = Math.cos(b.yaw),
      s = Math.sin(b.yaw);
    const du = c * dx + s * dy,
      dv = -s * dx + c * dy;
    let lo = 0,
      hi = Infinity;
    for (const [o, d, h] of [
      [ou, du, b.size[0] / 2],
      [ov, dv, b.size[1] / 2],
    ]) {
      if (Math.abs(d) < 1e-12) {
        if (Math.abs(o) > h) lo = Infinity;
        continue;
      }
      const t1 = (-h - o) / d,
        t2 = (h - o) / d;
      lo = Math.max(lo, Math.min(t1, t2));
      hi = Math.min(hi, Math.max(t1, t2));
    }
    if (lo <= hi) best = Math.min(best, lo);
  }
  for (const [ax, ay, ex, ey] of walls(t)) {
    const den = dx * ey - dy * ex;
    if (Math.abs(den) < 1e-12) continue;
    const r = (ax * ey - ay * ex) / den;
    const s = (ax * dy - ay * dx) / den;
    if (r > 0 && s >= 0 && s <= 1) best = Math.min(best, r);
  }
  return best;
}

/** Whether some camera (of those `only` names, when given) has the point (x, y) in its horizontal field of view. */
export function seenByCamera(t: ObstacleTruth, x: number, y: number, only?: ReadonlySet<string>): boolean {
  return t.cameras.some((c) => {
    if (only && !only.has(c.name)) return false;
    let d = Math.atan2(y - c.position[1], x - c.position[0]) - c.yaw;
    d = Math.atan2(Math.sin(d), Math.cos(d));
    return Math.abs(d) <= c.halfFov;
  });
}
