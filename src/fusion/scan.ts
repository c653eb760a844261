// Virtual LaserScan from obstacle points, much as pointcloud_to_laserscan does it: points in a
// height band are binned by bearing around base_link's z axis and each beam reports its
// nearest surface. Lets Nav2 layers and AMCL-style consumers that expect a 2D scanner use the cameras.
import type { ScanOptions } from './options';

/** Number of bins: ceil((angleMax - angleMin) / angleIncrement), as pointcloud_to_laserscan. */
export function scanBinCount(o: ScanOptions): number {
  return Math.ceil((o.angleMax - o.angleMin) / o.angleIncrement);
}

/**
 * Ranges (m) of the virtual scan from `points` (x, y, z triples in the scan frame). A beam
 * reports the nearest surface with support: the first window [r, r + w(r)] along the beam that
 * holds pointsPerBeam points, re-centred on its median range. pointcloud_to_laserscan's plain
 * nearest point is pulled short by stereo noise (about two sigma, 5% at 8 m here) and fooled by
 * single outliers. Beams without such support hold +Infinity (REP-117).
 */
export function virtualScanRanges(points: Float32Array, o: ScanOptions): Float32Array {
  if (points.length % 3 !== 0) {
    throw new Error(`virtualScanRanges: obstacle points have ${points.length} floats; expected x, y, z triples`);
  }
  const bins = scanBinCount(o);
  const n = points.length / 3;
  // Bucket ranges by beam (counting sort): beamOf per point, then per-beam slices of `sorted`.
  const beamOf = new Int32Array(n).fill(-1);
  const range = new Float32Array(n);
  const start = new Int32Array(bins + 1);
  const rMin2 = o.rangeMin * o.rangeMin,
    rMax2 = o.rangeMax * o.rangeMax;
  for (let i = 0; i < n; i++) {
    const x = points[3 * i],
      y = points[3 * i + 1],
      z = points[3 * i + 2];
    if (!(z >= o.minHeight && z <= o.maxHeight)) continue;
    const r2 = x * x + y * y;
    if (!(r2 >= rMin2 && r2 <= rMax2)) continue;
    const angle = Math.atan2(y, x);
    if (angle < o.angleMin || angle > o.angleMax) continue;
    const beam = Math.min(bins - 1, Math.floor((angle - o.angleMin) / o.angleIncrement));
    beamOf[i] = beam;
    range[i] = Math.sqrt(r2);
    start[beam + 1]++;
  }
  for (let b = 0; b < bins; b++) start[b + 1] += start[b];
  const fill = start.slice(0, bins);
  const sorted = new Float32Array(start[bins]);
  for (let i = 0; i < n; i++) {
    const b = beamOf[i];
    if (b < 0) continue;
    sorted[fill[b]++] = range[i];
  }
  const ranges = new Float32Array(bins).fill(Infinity);
  const k = o.pointsPerBeam;
  for (let b = 0; b < bins; b++) {
    const lo = start[b],
      hi = start[b + 1];
    if (hi - lo < k) continue;
    insertionSort(sorted, lo, hi);
    for (let i = lo; i + k <= hi; i++) {
      const w = Math.max(o.beamWindowMin, o.beamWindowRelative * sorted[i]);
      if (sorted[i + k - 1] > sorted[i] + w) continue;
      // The first supported window starts at the surface's near noise tail; re-centre it on its
      // median twice so the estimate settles on the surface, not on its nearest outliers.
      let centre = medianWithin(sorted, lo, hi, sorted[i], sorted[i] + w);
      for (let pass = 0; pass < 2; pass++) centre = medianWithin(sorted, lo, hi, centre - w / 2, centre + w / 2);
      ranges[b] = centre;
      break;
    }
  }
  return ranges;
}

/** Sorts a[lo, hi) ascending in place; beams hold a few dozen points, where this beats sort(). */
function insertionSort(a: Float32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Median of the values of ascending a[lo, hi) within [min, max]; (min + max) / 2 when none. */
function medianWithin(a: Float32Array, lo: number, hi: number, min: number, max: number): number {
  let s = lo;
  while (s < hi && a[s] < min) s++;
  let e = s;
  while (e < hi && a[e] <= max) e++;
  return e > s ? a[(s + e - 1) >> 1] : (min + max) / 2;
}
