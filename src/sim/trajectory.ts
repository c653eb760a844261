// Known motion on the ground plane: a waypoint polyline walked at constant speed. Objects and
// the robot both use it, so ground-truth positions and velocities are exact (no integration).

export type TrajectoryMode = 'once' | 'loop' | 'pingpong';

export interface TrajectorySpec {
  /** Ground-plane points [x, y] in odom, metres; at least two. */
  waypoints: ReadonlyArray<readonly [number, number]>;
  /** Walking speed in m/s (> 0). */
  speed: number;
  /** Scene time (s) at which motion starts; before it the object waits at the first waypoint. */
  start_time: number;
  /** After the last waypoint: stop there, jump back to the first, or walk back. */
  mode: TrajectoryMode;
}

/** Planar state at one instant: position, heading (direction of travel) and velocity. */
export interface PlanarState {
  x: number;
  y: number;
  yaw: number;
  vx: number;
  vy: number;
}

/** A trajectory with its segment lengths precomputed; immutable. */
export class Trajectory {
  readonly #spec: TrajectorySpec;
  readonly #cumulative: number[];

  /** Throws when a segment has zero length (its heading would be undefined). */
  constructor(spec: TrajectorySpec, what: string) {
    this.#spec = spec;
    this.#cumulative = [0];
    for (let i = 1; i < spec.waypoints.length; i++) {
      const [ax, ay] = spec.waypoints[i - 1];
      const [bx, by] = spec.waypoints[i];
      const len = Math.hypot(bx - ax, by - ay);
      if (len === 0) {
        throw new Error(`${what}: waypoints ${i - 1} and ${i} are both [${ax}, ${ay}]; expected distinct consecutive waypoints`);
      }
      this.#cumulative.push(this.#cumulative[i - 1] + len);
    }
  }

  /** Total polyline length in metres. */
  get length(): number {
    return this.#cumulative[this.#cumulative.length - 1];
  }

  /** State at scene time `t` (s). Velocity is zero while waiting before start or after a 'once' path ends. */
  at(t: number): PlanarState {
    const { speed, start_time, mode } = this.#spec;
    const total = this.length;
    let dist = Math.max(0, t - start_time) * speed;
    let direction = 1;
    let moving = t >= start_time;
    if (mode === 'once') {
      if (dist >= total) moving = false;
      dist = Math.min(dist, total);
    } else if (mode === 'loop') {
      dist %= total;
    } else {
      const lap = dist % (2 * total);
      if (lap > total) {
        direction = -1;
        dist = 2 * total - lap;
      } else {
        dist = lap;
      }
    }
    // Heading comes from the segment being walked (the last one at the end of a 'once' path).
    let seg = 1;
    while (seg < this.#cumulative.length - 1 && this.#cumulative[seg] < dist) seg++;
    if (direction < 0) {
      while (seg > 1 && this.#cumulative[seg - 1] >= dist) seg--;
    }
    const [ax, ay] = this.#spec.waypoints[seg - 1];
    const [bx, by] = this.#spec.waypoints[seg];
    const segLen = this.#cumulative[seg] - this.#cumulative[seg - 1];
    const f = (dist - this.#cumulative[seg - 1]) / segLen;
    const ux = (bx - ax) / segLen;
    const uy = (by - ay) / segLen;
    const v = moving ? speed * direction : 0;
    return {
      x: ax + (bx - ax) * f,
      y: ay + (by - ay) * f,
      yaw: Math.atan2(uy * direction, ux * direction),
      vx: ux * v,
      vy: uy * v,
    };
  }
}
