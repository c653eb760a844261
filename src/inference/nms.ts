// Greedy class-aware non-maximum suppression over a CandidateBuffer.
import type { CandidateBuffer } from './candidates';

/** Indices of the kept candidates, best score first: a candidate is dropped when a better one
 * of the same class overlaps it with IoU > iouThreshold. At most `maxKeep` are returned. */
export function nmsClassAware(c: CandidateBuffer, iouThreshold: number, maxKeep: number): Int32Array {
  const n = c.count;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const scores = c.scores;
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  const boxes = c.boxes;
  const classes = c.classes;
  const keep = new Int32Array(Math.min(n, maxKeep));
  const suppressed = new Uint8Array(n);
  let kept = 0;
  for (let oi = 0; oi < n && kept < maxKeep; oi++) {
    const i = order[oi];
    if (suppressed[i]) continue;
    keep[kept++] = i;
    const ix1 = boxes[4 * i],
      iy1 = boxes[4 * i + 1],
      ix2 = boxes[4 * i + 2],
      iy2 = boxes[4 * i + 3];
    const areaI = Math.max(0, ix2 - ix1) * Math.max(0, iy2 - iy1);
    const ci = classes[i];
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj];
      if (suppressed[j] || classes[j] !== ci) continue;
      const jx1 = boxes[4 * j],
        jy1 = boxes[4 * j + 1],
        jx2 = boxes[4 * j + 2],
        jy2 = boxes[4 * j + 3];
      const w = Math.min(ix2, jx2) - Math.max(ix1, jx1);
      const h = Math.min(iy2, jy2) - Math.max(iy1, jy1);
      if (w <= 0 || h <= 0) continue;
      const inter = w * h;
      const areaJ = Math.max(0, jx2 - jx1) * Math.max(0, jy2 - jy1);
      if (inter / (areaI + areaJ - inter) > iouThreshold) suppressed[j] = 1;
    }
  }
  return keep.subarray(0, kept);
}
