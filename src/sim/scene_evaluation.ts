// Scores a replay of a synthetic scene bag against the ground truth the bag carries
// (/ground_truth/objects, /<cam>/ground_truth/depth, /<cam>/ground_truth/detections): depth
// error, 3D object position error, detection recall, and tracking (MOTA, IDF1, ID switches).
import { openBag, type BagReader } from '../io/bag_reader';
import { timeToNanos, type Nanos } from '../msgs/time';
import type { Detection2DArray, Image, TrackedObjectArray } from '../msgs/types';
import { MotAccumulator, type MotSummary } from '../fusion/mot_metrics';
import type { Detection } from '../inference/detection';

/** Ground truth within this range is scored (the accuracy targets are "within 10 m"). */
const MAX_RANGE_M = 10;
/** A track farther than this from a ground-truth object does not stand for it. */
const MATCH_M = 1.0;
/** Ground-truth stamps within this of a frame set's stamp belong to the same frame. */
const SAME_FRAME_NS = 12_000_000n;

export interface DepthScore {
  frames: number;
  medianRelErrorPct: number;
  density: number;
}

export interface SceneScores {
  /** Stereo cameras and learned-depth cameras are scored apart: they have different targets. */
  depth: { stereo?: DepthScore; learned?: DepthScore };
  objects: { matched: number; total: number; medianErrorM: number; medianErrorPctOfRange: number };
  detection?: { recall: number; matched: number; total: number };
  tracking: MotSummary;
}

const median = (v: number[]) => (v.length ? [...v].sort((a, b) => a - b)[v.length >> 1] : NaN);

interface GroundTruthFrame {
  stamp: Nanos;
  objects: TrackedObjectArray['objects'];
}

/** What scoring needs of a track: its id, life-cycle state (0 = tentative) and position. */
export interface TrackPoint {
  id: number;
  state: number;
  position: readonly number[];
}

/** Collects per-frame results during a replay, then scores them against the bag's ground truth. */
export class SceneEvaluator {
  readonly #bag: string;
  readonly #tracks: Array<{ stamp: Nanos; tracks: TrackPoint[] }> = [];
  #gt: GroundTruthFrame[] = [];
  readonly #depth: Array<{ stamp: Nanos; camera: string; depth: Float32Array }> = [];
  readonly #detections: Array<{ stamp: Nanos; camera: string; dets: Detection[] }> = [];
  readonly #depthEvery: number;
  readonly #stereoCameras: ReadonlySet<string>;
  #sets = 0;

  /**
   * `stereoCameras`: cameras whose depth comes from a stereo pair (the others' is learned).
   * `depthEvery`: score the depth of every n-th frame set (depth images are large).
   */
  constructor(bag: string, stereoCameras: Iterable<string>, depthEvery = 5) {
    this.#bag = bag;
    this.#stereoCameras = new Set(stereoCameras);
    this.#depthEvery = depthEvery;
  }

  /** Records one completed frame set. `depth` maps a camera to its depth image in its own pixel grid. */
  add(stamp: Nanos, tracks: TrackPoint[], depth: Map<string, Float32Array>, detections: Map<string, Detection[]>): void {
    this.#tracks.push({ stamp, tracks: tracks.filter((t) => t.state !== 0) });
    if (this.#sets++ % this.#depthEvery === 0) for (const [camera, d] of depth) this.#depth.push({ stamp, camera, depth: d });
    for (const [camera, dets] of detections) this.#detections.push({ stamp, camera, dets });
  }

  async score(): Promise<SceneScores> {
    const reader = await openBag(this.#bag);
    try {
      const topics = new Set(reader.info.topics.map((t) => t.name));
      if (!topics.has('/ground_truth/objects'))
        throw new Error(`bag ${this.#bag} has no /ground_truth/objects topic; only scene bags written by dx-perception can be scored`);
      const gt: GroundTruthFrame[] = [];
      for await (const m of reader.messages({ topics: ['/ground_truth/objects'] })) {
        const msg = m.decode<TrackedObjectArray>();
        gt.push({ stamp: timeToNanos(msg.header.stamp), objects: msg.objects });
      }
      this.#gt = gt;
      return {
        depth: {
          stereo: await this.#scoreDepth(reader, topics, (camera) => this.#stereoCameras.has(camera)),
          learned: await this.#scoreDepth(reader, topics, (camera) => !this.#stereoCameras.has(camera)),
        },
        objects: this.#scoreObjects(gt),
        detection: await this.#scoreDetections(reader, topics),
        tracking: this.#scoreTracking(gt),
      };
    } finally {
      await reader.close();
    }
  }

  /** Ground-truth objects of the frame at `stamp` (after score()). */
  groundTruthAt(stamp: Nanos): TrackedObjectArray['objects'] {
    return this.#nearest(this.#gt, stamp)?.objects ?? [];
  }

  #nearest(gt: GroundTruthFrame[], stamp: Nanos): GroundTruthFrame | undefined {
    let best: GroundTruthFrame | undefined;
    for (const g of gt) if (!best || abs(g.stamp - stamp) < abs(best.stamp - stamp)) best = g;
    return best && abs(best.stamp - stamp) <= SAME_FRAME_NS ? best : undefined;
  }

  /** Relative depth error on pixels valid in both maps with ground truth within range, pooled over the cameras `scored` picks. */
  async #scoreDepth(reader: BagReader, topics: Set<string>, scored: (camera: string) => boolean): Promise<DepthScore | undefined> {
    const rel: number[] = [];
    let valid = 0,
      total = 0,
      frames = 0;
    for (const d of this.#depth) {
      if (!scored(d.camera)) continue;
      const topic = `/${d.camera}/ground_truth/depth`;
      if (!topics.has(topic)) continue;
      let truth: Float32Array | undefined;
      for await (const m of reader.messages({ topics: [topic], start: d.stamp - SAME_FRAME_NS, end: d.stamp + SAME_FRAME_NS })) {
        const img = m.decode<Image>();
        truth = new Float32Array(img.data.slice().buffer);
      }
      if (!truth || truth.length !== d.depth.length) continue;
      frames++;
      for (let i = 0; i < truth.length; i += 3) {
        const t = truth[i];
        if (!(t > 0 && t < MAX_RANGE_M)) continue;
        total++;
        const e = d.depth[i];
        if (!(e > 0 && Number.isFinite(e))) continue;
        valid++;
        rel.push(Math.abs(e - t) / t);
      }
    }
    if (frames === 0) return undefined;
    return { frames, medianRelErrorPct: 100 * median(rel), density: total ? valid / total : 0 };
  }

  /** Each visible ground-truth object within range against the nearest confirmed track. */
  #scoreObjects(gt: GroundTruthFrame[]): SceneScores['objects'] {
    const errors: number[] = [];
    const pct: number[] = [];
    let total = 0;
    for (const f of this.#tracks) {
      const g = this.#nearest(gt, f.stamp);
      if (!g) continue;
      for (const o of g.objects) {
        const p = o.pose.pose.position;
        const range = Math.hypot(p.x, p.y);
        if (o.source_cameras.length === 0 || range > MAX_RANGE_M) continue;
        total++;
        let best = Infinity;
        for (const t of f.tracks) best = Math.min(best, Math.hypot(t.position[0] - p.x, t.position[1] - p.y));
        if (best <= MATCH_M) {
          errors.push(best);
          pct.push((100 * best) / range);
        }
      }
    }
    return { matched: errors.length, total, medianErrorM: median(errors), medianErrorPctOfRange: median(pct) };
  }

  /** Ground-truth boxes at least half visible, matched by IoU >= 0.5 with a detection of any class. */
  async #scoreDetections(reader: BagReader, topics: Set<string>): Promise<SceneScores['detection']> {
    if (this.#detections.length === 0) return undefined;
    let matched = 0,
      total = 0;
    const byCamera = new Map<string, Array<{ stamp: Nanos; dets: Detection[] }>>();
    for (const d of this.#detections) byCamera.set(d.camera, [...(byCamera.get(d.camera) ?? []), d]);
    for (const [camera, frames] of byCamera) {
      const topic = `/${camera}/ground_truth/detections`;
      if (!topics.has(topic)) continue;
      const truth: Array<{ stamp: Nanos; msg: Detection2DArray }> = [];
      for await (const m of reader.messages({ topics: [topic] })) truth.push({ stamp: m.logTime, msg: m.decode<Detection2DArray>() });
      for (const f of frames) {
        const t = truth.find((x) => abs(x.stamp - f.stamp) <= SAME_FRAME_NS);
        if (!t) continue;
        for (const g of t.msg.detections) {
          if ((g.results[0]?.hypothesis.score ?? 0) < 0.5 || g.bbox.size_x * g.bbox.size_y < 400) continue;
          total++;
          const gb = [
            g.bbox.center.position.x - g.bbox.size_x / 2,
            g.bbox.center.position.y - g.bbox.size_y / 2,
            g.bbox.center.position.x + g.bbox.size_x / 2,
            g.bbox.center.position.y + g.bbox.size_y / 2,
          ];
          if (f.dets.some((d) => iou(gb, [d.x1, d.y1, d.x2, d.y2]) >= 0.5)) matched++;
        }
      }
    }
    return { recall: total ? matched / total : NaN, matched, total };
  }

  #scoreTracking(gt: GroundTruthFrame[]): MotSummary {
    const acc = new MotAccumulator(MATCH_M);
    for (const f of this.#tracks) {
      const g = this.#nearest(gt, f.stamp);
      if (!g) continue;
      const truth = g.objects
        .filter((o) => o.source_cameras.length > 0 && Math.hypot(o.pose.pose.position.x, o.pose.pose.position.y) <= MAX_RANGE_M)
        .map((o) => ({ id: o.id, position: [o.pose.pose.position.x, o.pose.pose.position.y, 0] }));
      // Hypotheses beyond the scored range would count as false positives for objects that are
      // not scored; the same range limit applies to both sides.
      const hyps = f.tracks.filter((t) => Math.hypot(t.position[0], t.position[1]) <= MAX_RANGE_M + MATCH_M);
      acc.addFrame(
        truth,
        hyps.map((t) => ({ id: t.id, position: [t.position[0], t.position[1], 0] })),
      );
    }
    return acc.summary();
  }
}

const abs = (v: bigint) => (v < 0n ? -v : v);

function iou(a: number[], b: number[]): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}
