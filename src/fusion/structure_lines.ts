// Wall pieces split by occlusion: a person or a box in front of a wall cuts the wall's points
// into segments, each shorter than maxTrackedExtent, so extent alone lets every segment through
// as an "object". Segments of one wall lie on one line; pieces that line up with each other
// (same direction, small offset across, a gap along the line no wider than an occluder's shadow)
// and together span more than maxTrackedExtent are static structure.
import type { ObstacleOptions } from './options';

/** A labelled cell group as a 2D segment: centre, unit axis, half length along, half thickness across (m). */
interface Segment {
  cx: number;
  cy: number;
  ax: number;
  ay: number;
  halfLength: number;
  halfThickness: number;
}

/** A segment at least twice as long as thick (and 1 m long) is a line: a wall's face, not a blob. */
const LINE_ASPECT = 2;
/** Axes within this angle are parallel (rad, 20 degrees). */
const PARALLEL_COS = Math.cos((20 * Math.PI) / 180);

/**
 * Per label of `label` (cell -> label or -1 on a side x side grid of `cellSize` cells), whether
 * the cluster lies on a line of collinear pieces that together span more than maxTrackedExtent.
 * Clusters that are not lines themselves join when they sit on such a line, within its span.
 */
export function collinearStructure(label: Int32Array, labels: number, side: number, o: ObstacleOptions): Uint8Array {
  const out = new Uint8Array(labels);
  if (o.structureLineGap <= 0 || labels < 2) return out;
  const seg = segments(label, labels, side, o.cellSize);
  const isLine = seg.map((s) => s !== undefined && 2 * s.halfLength >= LINE_ASPECT * 2 * s.halfThickness && 2 * s.halfLength >= 1);
  // Union-find over line pieces that continue each other.
  const parent = Int32Array.from({ length: labels }, (_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]];
    return k;
  };
  for (let i = 0; i < labels; i++) {
    if (!isLine[i]) continue;
    for (let j = i + 1; j < labels; j++) {
      if (isLine[j] && continues(seg[i]!, seg[j]!, o)) parent[find(j)] = find(i);
    }
  }
  // Span of each group along its first member's axis.
  const lo = new Float64Array(labels).fill(Infinity),
    hi = new Float64Array(labels).fill(-Infinity);
  for (let k = 0; k < labels; k++) {
    if (!isLine[k]) continue;
    const r = find(k),
      a = seg[r]!,
      s = seg[k]!;
    const t = (s.cx - a.cx) * a.ax + (s.cy - a.cy) * a.ay;
    lo[r] = Math.min(lo[r], t - s.halfLength);
    hi[r] = Math.max(hi[r], t + s.halfLength);
  }
  const structural: number[] = [];
  for (let k = 0; k < labels; k++) if (isLine[k] && parent[k] === k && hi[k] - lo[k] > o.maxTrackedExtent) structural.push(k);
  for (let k = 0; k < labels; k++) {
    if (seg[k] === undefined) continue;
    if (isLine[k] && structural.includes(find(k))) {
      out[k] = 1;
      continue;
    }
    // A short fragment between two occluders: on the wall's line and within its span (plus a gap).
    const s = seg[k]!;
    for (const r of structural) {
      const a = seg[r]!;
      const dx = s.cx - a.cx,
        dy = s.cy - a.cy;
      const along = dx * a.ax + dy * a.ay,
        across = Math.abs(-dx * a.ay + dy * a.ax);
      if (
        across + s.halfThickness <= o.structureLineTolerance &&
        along >= lo[r] - o.structureLineGap &&
        along <= hi[r] + o.structureLineGap
      ) {
        out[k] = 1;
        break;
      }
    }
  }
  return out;
}

/** Whether line b continues line a: parallel, each centre near the other's line, the gap between their ends small. */
function continues(a: Segment, b: Segment, o: ObstacleOptions): boolean {
  if (Math.abs(a.ax * b.ax + a.ay * b.ay) < PARALLEL_COS) return false;
  const dx = b.cx - a.cx,
    dy = b.cy - a.cy;
  const acrossA = Math.abs(-dx * a.ay + dy * a.ax),
    acrossB = Math.abs(-dx * b.ay + dy * b.ax);
  if (Math.max(acrossA, acrossB) > o.structureLineTolerance) return false;
  const gap = Math.abs(dx * a.ax + dy * a.ay) - a.halfLength - b.halfLength;
  return gap <= o.structureLineGap;
}

/** Principal axis and extents of each label's cell centres (half a cell added to each extent). */
function segments(label: Int32Array, labels: number, side: number, cs: number): Array<Segment | undefined> {
  // Moments per label: n, sum x, sum y, sum xx, sum yy, sum xy (cell units).
  const m = new Float64Array(6 * labels);
  for (let c = 0; c < label.length; c++) {
    const l = label[c];
    if (l < 0) continue;
    const x = c % side,
      y = (c - x) / side;
    m[6 * l]++;
    m[6 * l + 1] += x;
    m[6 * l + 2] += y;
    m[6 * l + 3] += x * x;
    m[6 * l + 4] += y * y;
    m[6 * l + 5] += x * y;
  }
  const seg: Array<Segment | undefined> = [];
  for (let l = 0; l < labels; l++) {
    const n = m[6 * l];
    if (n === 0) {
      seg.push(undefined);
      continue;
    }
    const mx = m[6 * l + 1] / n,
      my = m[6 * l + 2] / n;
    const sxx = m[6 * l + 3] / n - mx * mx,
      syy = m[6 * l + 4] / n - my * my,
      sxy = m[6 * l + 5] / n - mx * my;
    const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy);
    seg.push({ cx: mx, cy: my, ax: Math.cos(theta), ay: Math.sin(theta), halfLength: 0, halfThickness: 0 });
  }
  for (let c = 0; c < label.length; c++) {
    const l = label[c];
    if (l < 0) continue;
    const s = seg[l]!;
    const x = c % side,
      y = (c - x) / side;
    const dx = x - s.cx,
      dy = y - s.cy;
    s.halfLength = Math.max(s.halfLength, Math.abs(dx * s.ax + dy * s.ay));
    s.halfThickness = Math.max(s.halfThickness, Math.abs(-dx * s.ay + dy * s.ax));
  }
  // Cell units to metres; the grid origin does not matter, only differences are used.
  for (const s of seg) {
    if (!s) continue;
    s.cx *= cs;
    s.cy *= cs;
    s.halfLength = (s.halfLength + 0.5) * cs;
    s.halfThickness = (s.halfThickness + 0.5) * cs;
  }
  return seg;
}
