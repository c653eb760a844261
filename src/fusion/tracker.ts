// Multi-object tracker: constant-velocity Kalman filters, Mahalanobis gating, optimal
// assignment, and a track life cycle (tentative -> confirmed -> coasting -> deleted).
// Frame-agnostic: feed it measurements in one fixed frame (base_link, or odom so that the
// robot's own motion does not show up as object velocity).
import { wrapAngle } from '../geometry/rotation';
import { solveAssignment } from './assignment';
import { ConstantVelocityKalman } from './kalman';
import type { TrackerOptions } from './options';
import type { FusedObject, TrackSnapshot, TrackStateCode } from './types';
import { secondsBetween, type Nanos } from '../msgs/time';
import { TrackState } from '../msgs/types';

/** Class name of class-agnostic obstacle clusters; compatible with every detector class. */
export const OBSTACLE_CLASS = 'obstacle';

class Track {
  readonly id: number;
  readonly kf: ConstantVelocityKalman;
  readonly bornAt: Nanos;
  confirmed = false;
  hits = 1;
  misses = 0;
  /** Stamp of the last measurement; a track outside every view coasts from here without misses. */
  lastHit: Nanos;
  className: string;
  classId: number;
  score: number;
  size: [number, number, number];
  yaw: number;
  cameras: string[];
  /** Accumulated detector score per class; the track's class is the best one. */
  readonly classVotes = new Map<string, { classId: number; votes: number }>();

  constructor(id: number, m: FusedObject, stamp: Nanos, velocityStd: number) {
    this.id = id;
    this.kf = new ConstantVelocityKalman(m.position, m.covariance, velocityStd);
    this.bornAt = stamp;
    this.lastHit = stamp;
    this.className = m.className;
    this.classId = m.classId;
    this.score = m.score;
    this.size = [...m.size];
    this.yaw = m.yaw;
    this.cameras = [...m.cameras];
    this.classVotes.set(m.className, { classId: m.classId, votes: m.score });
  }
}

export class MultiObjectTracker {
  #o: TrackerOptions;
  #tracks: Track[] = [];
  #nextId = 1;
  #lastStamp: Nanos | undefined;

  constructor(options: TrackerOptions) {
    this.#o = options;
  }

  /** Options for the updates to come (a live configuration change); the tracks and their ids carry over. */
  retune(options: TrackerOptions): void {
    this.#o = options;
  }

  /**
   * Advances all tracks to `stamp` and associates `measurements` (all in the tracking frame).
   * Stamps must not decrease (call reset() to start over, e.g. when a replay loops). Returns,
   * for each measurement, the id of the track it updated or started, or -1 when it was neither
   * associated nor allowed to start a track. `observable` says whether a tracking-frame position
   * lies in some depth camera's view: a confirmed moving track outside all of them is not missed there
   * (nothing could see it) and coasts up to maxUnseenSeconds, so it keeps its id across the gap
   * between two cameras' fields of view. Without it every unmatched update is a miss.
   */
  update(stamp: Nanos, measurements: readonly FusedObject[], observable?: (position: Float64Array) => boolean): Int32Array {
    const o = this.#o;
    const dt = this.#lastStamp === undefined ? 0 : secondsBetween(this.#lastStamp, stamp);
    if (dt < 0) {
      throw new Error(
        `MultiObjectTracker.update: stamp ${stamp} ns is ${-dt} s before the previous ${this.#lastStamp} ns; ` +
          'expected non-decreasing stamps (call reset() when time jumps back)',
      );
    }
    this.#lastStamp = stamp;
    for (const t of this.#tracks) t.kf.predict(dt, o.accelerationStd, o.verticalAccelerationStd);

    const nt = this.#tracks.length,
      nm = measurements.length;
    const cost = new Float64Array(nt * nm).fill(Infinity);
    for (let i = 0; i < nt; i++) {
      const t = this.#tracks[i];
      for (let j = 0; j < nm; j++) {
        const m = measurements[j];
        const penalty = classPenalty(t.className, m.className, o.obstacleClassPenalty);
        if (penalty === Infinity) continue;
        const dx = m.position[0] - t.kf.x[0],
          dy = m.position[1] - t.kf.x[1],
          dz = m.position[2] - t.kf.x[2];
        if (dx * dx + dy * dy + dz * dz > o.maxGateDistance * o.maxGateDistance) continue;
        const d2 = t.kf.mahalanobis2(m.position, m.covariance);
        if (d2 <= o.gateChi2) cost[i * nm + j] = d2 + penalty;
      }
    }
    const trackToMeas = solveAssignment(cost, nt, nm);
    const measToTrack = new Int32Array(nm).fill(-1);
    const survivors: Track[] = [];
    for (let i = 0; i < nt; i++) {
      const t = this.#tracks[i];
      const j = trackToMeas[i];
      if (j >= 0) {
        this.#correct(t, measurements[j]);
        measToTrack[j] = t.id;
        survivors.push(t);
        continue;
      }
      // Only a moving track needs the hand-off; a static one that leaves every view (the robot drove past) is missed as before.
      const moving = Math.hypot(t.kf.x[3], t.kf.x[4]) >= o.unseenMinSpeed;
      const unseen = t.confirmed && moving && observable !== undefined && !observable(t.kf.x);
      if (!unseen) t.misses++;
      // A confirmed track coasts through maxMisses misses; a tentative one dies at tentativeMaxMisses.
      const keep = t.confirmed
        ? t.misses <= o.maxMisses && (!unseen || secondsBetween(t.lastHit, stamp) <= o.maxUnseenSeconds)
        : t.misses < o.tentativeMaxMisses;
      if (keep) survivors.push(t);
    }
    this.#tracks = survivors;
    for (let j = 0; j < nm; j++) {
      if (measToTrack[j] >= 0) continue;
      const m = measurements[j];
      if (this.#tooCloseToTrack(m)) continue;
      const t = new Track(this.#nextId++, m, stamp, o.initialVelocityStd);
      if (o.confirmHits <= 1) t.confirmed = true;
      this.#tracks.push(t);
      measToTrack[j] = t.id;
    }
    return measToTrack;
  }

  /** Current tracks, tentative ones only when asked; position and velocity in the tracking frame. */
  snapshots(includeTentative: boolean): TrackSnapshot[] {
    const out: TrackSnapshot[] = [];
    for (const t of this.#tracks) {
      const coasting = t.misses > 0 || t.lastHit !== this.#lastStamp;
      const state: TrackStateCode = !t.confirmed ? TrackState.TENTATIVE : coasting ? TrackState.COASTING : TrackState.CONFIRMED;
      if (state === TrackState.TENTATIVE && !includeTentative) continue;
      const x = t.kf.x;
      out.push({
        id: t.id,
        state,
        className: t.className,
        classId: t.classId,
        score: t.score,
        position: [x[0], x[1], x[2]],
        velocity: [x[3], x[4], x[5]],
        positionCovariance: t.kf.block(0),
        velocityCovariance: t.kf.block(3),
        size: [...t.size],
        yaw: t.yaw,
        age: this.#lastStamp === undefined ? 0 : secondsBetween(t.bornAt, this.#lastStamp),
        hits: t.hits,
        misses: t.misses,
        cameras: [...t.cameras],
      });
    }
    return out;
  }

  /** Drops every track; ids keep counting up, so an id is never reused. */
  reset(): void {
    this.#tracks = [];
    this.#lastStamp = undefined;
  }

  #correct(t: Track, m: FusedObject): void {
    const o = this.#o;
    t.kf.update(m.position, m.covariance);
    t.hits++;
    t.misses = 0;
    t.lastHit = this.#lastStamp ?? t.lastHit;
    if (t.hits >= o.confirmHits) t.confirmed = true;
    const a = o.sizeSmoothing;
    for (let k = 0; k < 3; k++) t.size[k] += a * (m.size[k] - t.size[k]);
    t.yaw += a * wrapAngle(m.yaw - t.yaw);
    t.cameras = [...m.cameras];
    t.score = m.score;
    const vote = t.classVotes.get(m.className) ?? { classId: m.classId, votes: 0 };
    vote.votes += m.score;
    t.classVotes.set(m.className, vote);
    let best = -1;
    for (const [name, v] of t.classVotes) {
      if (v.votes > best) {
        best = v.votes;
        t.className = name;
        t.classId = v.classId;
      }
    }
  }

  /**
   * No birth next to an existing track (split detections of one object), and no obstacle birth
   * inside a classed track's box (the unexplained part of a detected object's points).
   */
  #tooCloseToTrack(m: FusedObject): boolean {
    const sep = this.#o.birthMinSeparation;
    for (const t of this.#tracks) {
      const dx = m.position[0] - t.kf.x[0],
        dy = m.position[1] - t.kf.x[1],
        dz = m.position[2] - t.kf.x[2];
      if (dx * dx + dy * dy + dz * dz < sep * sep) return true;
      if (m.className !== OBSTACLE_CLASS || t.className === OBSTACLE_CLASS) continue;
      const c = Math.cos(t.yaw),
        s = Math.sin(t.yaw);
      if (Math.abs(dx * c + dy * s) <= t.size[0] / 2 + sep && Math.abs(-dx * s + dy * c) <= t.size[1] / 2 + sep) return true;
    }
    return false;
  }
}

/** 0 for the same class, `obstaclePenalty` when exactly one side is an obstacle, else Infinity. */
function classPenalty(a: string, b: string, obstaclePenalty: number): number {
  if (a === b) return 0;
  if (a === OBSTACLE_CLASS || b === OBSTACLE_CLASS) return obstaclePenalty;
  return Infinity;
}
