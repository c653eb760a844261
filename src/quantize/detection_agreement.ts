// How far INT8 detections agree with FP32 ones: each FP32 box is matched greedily (best score
// first) to the unmatched INT8 box of the same class with the highest IoU; it is "kept" when
// that IoU is at least the threshold. The fraction kept is what issue 16 asks to report.
import type { Detection } from '../inference/detection';

export interface Agreement {
  reference: number;
  kept: number;
  /** Mean IoU over the kept boxes. */
  meanIou: number;
  /** INT8 boxes that match no FP32 box. */
  extra: number;
}

export function iou(a: Detection, b: Detection): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

/** Agreement of `candidate` with `reference` over parallel per-image lists. */
export function detectionAgreement(reference: readonly Detection[][], candidate: readonly Detection[][], minIou = 0.5): Agreement {
  let total = 0;
  let kept = 0;
  let iouSum = 0;
  let extra = 0;
  reference.forEach((refs, i) => {
    const cands = candidate[i] ?? [];
    const used = new Array<boolean>(cands.length).fill(false);
    for (const r of [...refs].sort((a, b) => b.score - a.score)) {
      total++;
      let best = -1;
      let bestIou = minIou;
      cands.forEach((c, j) => {
        if (used[j] || c.classId !== r.classId) return;
        const v = iou(r, c);
        if (v >= bestIou) [best, bestIou] = [j, v];
      });
      if (best < 0) continue;
      used[best] = true;
      kept++;
      iouSum += bestIou;
    }
    extra += used.filter((u) => !u).length;
  });
  return { reference: total, kept, meanIou: kept > 0 ? iouSum / kept : 0, extra };
}
