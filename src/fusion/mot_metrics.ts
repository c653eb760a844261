// Multi-object tracking metrics against ground truth, with a 3D distance threshold:
// CLEAR MOT (Bernardin & Stiefelhagen 2008: MOTA, MOTP, ID switches) and the identity metrics
// of Ristani et al. 2016 (IDF1 from the global one-to-one id assignment).
import { solveAssignment } from './assignment';

export interface MotObject {
  id: number;
  position: readonly number[];
}

export interface MotSummary {
  frames: number;
  /** Ground-truth and hypothesis object-frames. */
  numGt: number;
  numHyp: number;
  matches: number;
  misses: number;
  falsePositives: number;
  idSwitches: number;
  /** 1 - (misses + false positives + id switches) / numGt. */
  mota: number;
  /** Mean distance of matched pairs (m). */
  motp: number;
  idtp: number;
  idf1: number;
}

/** Accumulates frames; each frame's objects must have distinct ids. */
export class MotAccumulator {
  readonly #threshold: number;
  readonly #lastMatch = new Map<number, number>();
  readonly #switchesByGt = new Map<number, number>();
  /** Frames where gt g and hypothesis h were within the threshold, keyed g -> h -> count. */
  readonly #cooccur = new Map<number, Map<number, number>>();
  readonly #hypIds = new Set<number>();
  #frames = 0;
  #numGt = 0;
  #numHyp = 0;
  #matches = 0;
  #distSum = 0;
  #switches = 0;

  /** `threshold`: largest distance (m) at which a hypothesis can stand for a ground-truth object. */
  constructor(threshold: number) {
    if (!(threshold > 0)) throw new Error(`MotAccumulator: threshold = ${threshold}; expected a positive distance in metres`);
    this.#threshold = threshold;
  }

  /**
   * Adds one frame: CLEAR MOT matching keeps last frame's pairs that still hold, then matches the
   * rest optimally. Returns the frame's matched pairs as [gt index, hypothesis index].
   */
  addFrame(gt: readonly MotObject[], hyp: readonly MotObject[]): Array<[number, number]> {
    this.#frames++;
    this.#numGt += gt.length;
    this.#numHyp += hyp.length;
    const thr = this.#threshold;
    const dist = new Float64Array(gt.length * hyp.length);
    for (let i = 0; i < gt.length; i++) {
      for (let j = 0; j < hyp.length; j++) {
        const a = gt[i].position,
          b = hyp[j].position;
        const d = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
        dist[i * hyp.length + j] = d;
        if (d <= thr) {
          const row = this.#cooccur.get(gt[i].id) ?? new Map<number, number>();
          row.set(hyp[j].id, (row.get(hyp[j].id) ?? 0) + 1);
          this.#cooccur.set(gt[i].id, row);
        }
      }
    }
    for (const h of hyp) this.#hypIds.add(h.id);
    const gtToHyp = new Int32Array(gt.length).fill(-1);
    const hypTaken = new Uint8Array(hyp.length);
    for (let i = 0; i < gt.length; i++) {
      const prev = this.#lastMatch.get(gt[i].id);
      if (prev === undefined) continue;
      const j = hyp.findIndex((h) => h.id === prev);
      if (j >= 0 && !hypTaken[j] && dist[i * hyp.length + j] <= thr) {
        gtToHyp[i] = j;
        hypTaken[j] = 1;
      }
    }
    const cost = new Float64Array(gt.length * hyp.length);
    for (let i = 0; i < gt.length; i++) {
      for (let j = 0; j < hyp.length; j++) {
        const d = dist[i * hyp.length + j];
        cost[i * hyp.length + j] = gtToHyp[i] >= 0 || hypTaken[j] || d > thr ? Infinity : d;
      }
    }
    const fresh = solveAssignment(cost, gt.length, hyp.length);
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < gt.length; i++) {
      if (gtToHyp[i] < 0 && fresh[i] >= 0) {
        const prev = this.#lastMatch.get(gt[i].id);
        if (prev !== undefined && prev !== hyp[fresh[i]].id) {
          this.#switches++;
          this.#switchesByGt.set(gt[i].id, (this.#switchesByGt.get(gt[i].id) ?? 0) + 1);
        }
        gtToHyp[i] = fresh[i];
      }
      const j = gtToHyp[i];
      if (j < 0) continue;
      this.#matches++;
      this.#distSum += dist[i * hyp.length + j];
      this.#lastMatch.set(gt[i].id, hyp[j].id);
      pairs.push([i, j]);
    }
    return pairs;
  }

  /** ID switches of one ground-truth object so far. */
  switchesOf(gtId: number): number {
    return this.#switchesByGt.get(gtId) ?? 0;
  }

  summary(): MotSummary {
    const gtIds = [...this.#cooccur.keys()];
    const hypIds = [...this.#hypIds];
    const cost = new Float64Array(gtIds.length * hypIds.length);
    gtIds.forEach((g, i) => {
      const row = this.#cooccur.get(g) as Map<number, number>;
      hypIds.forEach((h, j) => {
        cost[i * hypIds.length + j] = -(row.get(h) ?? 0);
      });
    });
    const assign = solveAssignment(cost, gtIds.length, hypIds.length);
    let idtp = 0;
    assign.forEach((j, i) => {
      if (j >= 0) idtp -= cost[i * hypIds.length + j];
    });
    const misses = this.#numGt - this.#matches;
    const falsePositives = this.#numHyp - this.#matches;
    const denom = this.#numGt + this.#numHyp;
    return {
      frames: this.#frames,
      numGt: this.#numGt,
      numHyp: this.#numHyp,
      matches: this.#matches,
      misses,
      falsePositives,
      idSwitches: this.#switches,
      mota: this.#numGt === 0 ? NaN : 1 - (misses + falsePositives + this.#switches) / this.#numGt,
      motp: this.#matches === 0 ? NaN : this.#distSum / this.#matches,
      idtp,
      idf1: denom === 0 ? NaN : (2 * idtp) / denom,
    };
  }
}
