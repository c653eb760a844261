// The obstacle metrics a navigation stack cares about (issue #18), accumulated frame by frame
// against exact ground truth: virtual scan range error, coverage and false hits; obstacle cloud
// precision and per-object recall; track position error, recall, precision, velocity error and
// ID switches.
import { MotAccumulator } from './mot_metrics';
import { boxDistance, obstacleDistance, seenByCamera, trueRange, type ObstacleTruth, type TruthBox } from './obstacle_truth';

/** Thresholds of the metrics (the definitions). */
export const OBSTACLE_METRIC_LIMITS = {
  /** Beams and objects within this range are scored, metres. */
  range: 10,
  /** A scan return farther than this from every obstacle is a false hit, metres. */
  falseHit: 0.3,
  /** A cloud point within this of an obstacle is a true point, metres. */
  cloudNear: 0.25,
  /** An object with this many cloud points near it is found by the cloud. */
  cloudObjectPoints: 20,
  /** A track farther than this from an object does not stand for it, metres. */
  trackMatch: 1.0,
} as const;

/** One ground-truth object of a frame, as scoring sees it. */
export interface ScoredObject {
  id: number;
  /** Its box in base_link (for the cloud). */
  box: TruthBox;
  /** Visible in some camera and within range: the cloud should find it. */
  visible: boolean;
  /** Also object-sized (not a rack or a wall-like shelf): a track should stand for it. */
  trackable: boolean;
  /** Centre and velocity in the tracking frame. */
  position: readonly [number, number];
  velocity: readonly [number, number];
}

export interface ScoredTrack {
  id: number;
  /** Horizontal distance from the base, metres. */
  range: number;
  position: readonly [number, number];
  velocity: readonly [number, number];
}

export interface ScanInput {
  angleMin: number;
  angleIncrement: number;
  ranges: ArrayLike<number>;
  minHeight: number;
  maxHeight: number;
}

export interface ObstacleMetrics {
  frames: number;
  scanMedianErrorPct: number;
  scanP90ErrorPct: number;
  /** Share of the beams that hit an obstacle within range in a camera's view and have a return. */
  scanCoverage: number;
  /** Share of the finite returns with no obstacle within OBSTACLE_METRIC_LIMITS.falseHit. */
  scanFalseHits: number;
  cloudPrecision: number;
  cloudRecall: number;
  trackPositionErrorPct: number;
  trackRecall: number;
  trackPrecision: number;
  trackVelocityErrorMps: number;
  idSwitches: number;
  /** Cloud points far from every obstacle, by likely cause, as shares of all cloud points. */
  falseCloudCauses: Record<FalseCloudCause, number>;
  /** Per camera: scan coverage of the beams whose hit it sees, and false hits among the returns it sees. */
  scanByCamera: Record<string, { coverage: number; falseHits: number }>;
}

/**
 * Why a cloud point lies far from every obstacle: `learned` (only a learned-depth camera sees
 * it), `ground` (within 0.25 m of the floor: ground taken for obstacle), `edge` (within 1 m of
 * a surface: depth-edge streaks and smearing behind objects), `isolated` (stereo outliers, e.g.
 * on low texture).
 */
export type FalseCloudCause = 'learned' | 'ground' | 'edge' | 'isolated';
const EDGE_M = 1.0;
const GROUND_M = 0.25;

const quantile = (v: number[], q: number) =>
  v.length ? [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))] : NaN;
const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

/** Accumulates frames; summary() gives the metrics over all of them. */
export class ObstacleScorer {
  readonly #L = OBSTACLE_METRIC_LIMITS;
  readonly #mot = new MotAccumulator(OBSTACLE_METRIC_LIMITS.trackMatch);
  readonly #scanErr: number[] = [];
  #beamsToHit = 0;
  #beamsHit = 0;
  #returns = 0;
  #falseReturns = 0;
  #cloudPoints = 0;
  #cloudNear = 0;
  #objects = 0;
  #objectsFound = 0;
  readonly #posErrPct: number[] = [];
  readonly #velErr: number[] = [];
  #frames = 0;
  readonly #causes: Record<FalseCloudCause, number> = { learned: 0, ground: 0, edge: 0, isolated: 0 };
  readonly #stereo: ReadonlySet<string>;
  /** Per camera: beams to hit, beams hit, returns, false returns. */
  readonly #byCamera = new Map<string, [number, number, number, number]>();

  /** `stereoCameras`: the cameras whose depth comes from stereo (to tell learned-depth phantoms apart). */
  constructor(stereoCameras: Iterable<string>) {
    this.#stereo = new Set(stereoCameras);
  }

  /** Scores one frame's scan (beams in base_link), cloud (x, y, z triples in base_link) and tracks. */
  add(
    truth: ObstacleTruth,
    objects: readonly ScoredObject[],
    scan: ScanInput | undefined,
    cloud: Float32Array | undefined,
    tracks: readonly ScoredTrack[],
  ): void {
    this.#frames++;
    if (scan) this.#addScan(truth, scan);
    if (cloud) this.#addCloud(truth, objects, cloud);
    this.#addTracks(objects, tracks);
  }

  #addScan(truth: ObstacleTruth, s: ScanInput): void {
    const L = this.#L;
    for (let b = 0; b < s.ranges.length; b++) {
      const angle = s.angleMin + b * s.angleIncrement;
      const r = s.ranges[b];
      const c = Math.cos(angle),
        sn = Math.sin(angle);
      const t = trueRange(truth, angle, s.minHeight, s.maxHeight);
      if (t <= L.range && seenByCamera(truth, t * c, t * sn)) {
        this.#beamsToHit++;
        if (Number.isFinite(r)) {
          this.#beamsHit++;
          this.#scanErr.push((100 * Math.abs(r - t)) / t);
        }
        for (const cam of this.#camerasSeeing(truth, t * c, t * sn)) {
          cam[0]++;
          if (Number.isFinite(r)) cam[1]++;
        }
      }
      if (!Number.isFinite(r)) continue;
      this.#returns++;
      const falseHit = obstacleDistance(truth, r * c, r * sn, 0, true) > L.falseHit;
      if (falseHit) this.#falseReturns++;
      for (const cam of this.#camerasSeeing(truth, r * c, r * sn)) {
        cam[2]++;
        if (falseHit) cam[3]++;
      }
    }
  }

  #addCloud(truth: ObstacleTruth, objects: readonly ScoredObject[], cloud: Float32Array): void {
    const L = this.#L;
    const visible = objects.filter((o) => o.visible);
    const near = new Int32Array(visible.length);
    for (let i = 0; i + 2 < cloud.length; i += 3) {
      const x = cloud[i],
        y = cloud[i + 1],
        z = cloud[i + 2];
      this.#cloudPoints++;
      const d = obstacleDistance(truth, x, y, z);
      if (d <= L.cloudNear) this.#cloudNear++;
      else this.#causes[this.#cause(truth, x, y, z)]++;
      visible.forEach((o, k) => {
        if (boxDistance(o.box, x, y, z) <= L.cloudNear) near[k]++;
      });
    }
    this.#objects += visible.length;
    for (const n of near) if (n >= L.cloudObjectPoints) this.#objectsFound++;
  }

  #addTracks(objects: readonly ScoredObject[], tracks: readonly ScoredTrack[]): void {
    const L = this.#L;
    const gt = objects.filter((o) => o.visible && o.trackable);
    // Tracks beyond the scored range would count as false positives for objects not scored.
    const hyp = tracks.filter((t) => t.range <= L.range + L.trackMatch);
    const pairs = this.#mot.addFrame(
      gt.map((o) => ({ id: o.id, position: [o.position[0], o.position[1], 0] })),
      hyp.map((t) => ({ id: t.id, position: [t.position[0], t.position[1], 0] })),
    );
    for (const [i, j] of pairs) {
      const o = gt[i],
        t = hyp[j];
      const range = Math.max(0.5, Math.hypot(o.box.center[0], o.box.center[1]));
      this.#posErrPct.push((100 * Math.hypot(t.position[0] - o.position[0], t.position[1] - o.position[1])) / range);
      this.#velErr.push(Math.hypot(t.velocity[0] - o.velocity[0], t.velocity[1] - o.velocity[1]));
    }
  }

  /** The per-camera counters of the cameras that see (x, y). */
  #camerasSeeing(truth: ObstacleTruth, x: number, y: number): Array<[number, number, number, number]> {
    return truth.cameras
      .filter((c) => seenByCamera(truth, x, y, new Set([c.name])))
      .map((c) => {
        let counts = this.#byCamera.get(c.name);
        if (!counts) this.#byCamera.set(c.name, (counts = [0, 0, 0, 0]));
        return counts;
      });
  }

  #cause(truth: ObstacleTruth, x: number, y: number, z: number): FalseCloudCause {
    if (!seenByCamera(truth, x, y, this.#stereo)) return 'learned';
    if (z < GROUND_M) return 'ground';
    return obstacleDistance(truth, x, y, z, true) <= EDGE_M ? 'edge' : 'isolated';
  }

  summary(): ObstacleMetrics {
    const m = this.#mot.summary();
    return {
      frames: this.#frames,
      scanMedianErrorPct: quantile(this.#scanErr, 0.5),
      scanP90ErrorPct: quantile(this.#scanErr, 0.9),
      scanCoverage: ratio(this.#beamsHit, this.#beamsToHit),
      scanFalseHits: ratio(this.#falseReturns, this.#returns),
      cloudPrecision: ratio(this.#cloudNear, this.#cloudPoints),
      cloudRecall: ratio(this.#objectsFound, this.#objects),
      trackPositionErrorPct: quantile(this.#posErrPct, 0.5),
      trackRecall: ratio(m.matches, m.numGt),
      trackPrecision: ratio(m.matches, m.numHyp),
      trackVelocityErrorMps: quantile(this.#velErr, 0.5),
      idSwitches: m.idSwitches,
      falseCloudCauses: Object.fromEntries(Object.entries(this.#causes).map(([k, v]) => [k, ratio(v, this.#cloudPoints)])) as Record<
        FalseCloudCause,
        number
      >,
      scanByCamera: Object.fromEntries(
        [...this.#byCamera].map(([name, [toHit, hit, returns, falseReturns]]) => [
          name,
          { coverage: ratio(hit, toHit), falseHits: ratio(falseReturns, returns) },
        ]),
      ),
    };
  }
}
