// Class-agnostic obstacles: obstacle points (already above ground) binned on a horizontal grid,
// grouped by 8-connected components of occupied cells. Cells in a detected object's shadow
// are left out, so a detected person is not tracked a second time as an "obstacle".
import type { ObstacleOptions } from './options';
import { collinearStructure } from './structure_lines';
import { centresBehindVisibleFace } from './visible_face';
import { OBSTACLE_CLASS } from './tracker';
import type { FusedObject } from './types';

/** Clusters obstacle points; keeps its grid buffers between frame sets (one per stage). */
export class ObstacleClusterer {
  readonly #o: ObstacleOptions;
  readonly #side: number;
  readonly #count: Int32Array;
  readonly #label: Int32Array;
  /** Labels of the coarser grouping that finds static structure. */
  readonly #coarse: Int32Array;
  readonly #excluded: Uint8Array;
  readonly #stack: Int32Array;
  #cellOf = new Int32Array(0);

  constructor(options: ObstacleOptions) {
    this.#o = options;
    this.#side = Math.ceil((2 * options.maxRange) / options.cellSize);
    const cells = this.#side * this.#side;
    this.#count = new Int32Array(cells);
    this.#label = new Int32Array(cells);
    this.#coarse = new Int32Array(cells);
    this.#excluded = new Uint8Array(cells);
    this.#stack = new Int32Array(cells);
  }

  /**
   * Clusters `points` (x, y, z triples in base_link) within the height band and range, skipping
   * the cells that `detected` objects (base_link) explain. Returns one "obstacle" object per
   * object-sized cluster: at least minPoints points, a horizontal extent from minTrackedExtent to maxTrackedExtent,
   * a top at least minTrackedTop high, and apart from static structure (see #attachedToStructure
   * and structure_lines.ts).
   */
  cluster(points: Float32Array, detected: readonly FusedObject[]): FusedObject[] {
    if (points.length % 3 !== 0) {
      throw new Error(`ObstacleClusterer: obstacle points have ${points.length} floats; expected x, y, z triples`);
    }
    const o = this.#o,
      side = this.#side,
      cs = o.cellSize,
      half = o.maxRange;
    const count = this.#count,
      label = this.#label,
      excluded = this.#excluded;
    count.fill(0);
    this.#markExcluded(detected);
    const n = points.length / 3;
    if (this.#cellOf.length < n) this.#cellOf = new Int32Array(n);
    const cellOf = this.#cellOf;
    for (let i = 0; i < n; i++) {
      const x = points[3 * i],
        y = points[3 * i + 1],
        z = points[3 * i + 2];
      cellOf[i] = -1;
      if (!(z >= o.minHeight && z <= o.maxHeight) || !(x * x + y * y <= half * half)) continue;
      const cx = Math.floor((x + half) / cs),
        cy = Math.floor((y + half) / cs);
      if (cx < 0 || cy < 0 || cx >= side || cy >= side) continue;
      const c = cy * side + cx;
      if (excluded[c]) continue;
      cellOf[i] = c;
      count[c]++;
    }
    // Connected components of occupied cells (8-neighbourhood), iterative flood fill. Sparse
    // cells (stereo smear along the rays, stray points) neither join clusters nor bridge them.
    const labels = this.#components(label, 1);
    // Per-cluster bounds: min x, y, z, max x, y, z, point count.
    const stats = new Float64Array(labels * 7);
    for (let l = 0; l < labels; l++) stats.set([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity, 0], l * 7);
    for (let i = 0; i < n; i++) {
      if (cellOf[i] < 0 || label[cellOf[i]] < 0) continue;
      const s = label[cellOf[i]] * 7;
      for (let k = 0; k < 3; k++) {
        const v = points[3 * i + k];
        if (v < stats[s + k]) stats[s + k] = v;
        if (v > stats[s + 3 + k]) stats[s + 3 + k] = v;
      }
      stats[s + 6]++;
    }
    const attached = this.#attachedToStructure(labels, stats);
    const onWallLine = collinearStructure(label, labels, side, o);
    const centres = new Float64Array(2 * labels);
    for (let l = 0; l < labels; l++) {
      centres[2 * l] = (stats[7 * l] + stats[7 * l + 3]) / 2;
      centres[2 * l + 1] = (stats[7 * l + 1] + stats[7 * l + 4]) / 2;
    }
    centresBehindVisibleFace(points, (i) => (cellOf[i] < 0 ? -1 : label[cellOf[i]]), labels, centres, o.assumedDepthMax);
    const out: FusedObject[] = [];
    for (let l = 0; l < labels; l++) {
      const s = l * 7;
      if (stats[s + 6] < o.minPoints || attached[l] || onWallLine[l]) continue;
      const ex = stats[s + 3] - stats[s],
        ey = stats[s + 4] - stats[s + 1],
        ez = stats[s + 5] - stats[s + 2];
      const width = Math.max(ex, ey);
      if (width > o.maxTrackedExtent || width < o.minTrackedExtent || stats[s + 5] < o.minTrackedTop) continue;
      // Only the near side is seen, so the box centre wanders with viewpoint: a quarter of the
      // extent (plus a cell) is its uncertainty.
      const cov = new Float64Array(9);
      cov[0] = (ex / 4 + cs / 2) ** 2;
      cov[4] = (ey / 4 + cs / 2) ** 2;
      cov[8] = (ez / 4 + cs / 2) ** 2;
      out.push({
        position: [centres[2 * l], centres[2 * l + 1], (stats[s + 2] + stats[s + 5]) / 2],
        covariance: cov,
        size: [Math.max(ex, cs), Math.max(ey, cs), Math.max(ez, cs)],
        yaw: 0,
        className: OBSTACLE_CLASS,
        classId: -1,
        score: o.score,
        cameras: [],
        rangeSource: 'cluster',
      });
    }
    return out;
  }

  /**
   * Labels the cells holding at least minCellPoints points (and, with `keep`, in a kept cluster
   * of the fine labelling) by connected components whose cells lie within `reach` cells of each
   * other (iterative flood fill); returns the label count.
   */
  #components(target: Int32Array, reach: number, keep?: Uint8Array): number {
    const o = this.#o,
      side = this.#side,
      count = this.#count,
      fine = this.#label,
      stack = this.#stack;
    const occupied = (c: number) => count[c] >= o.minCellPoints && (keep === undefined || keep[fine[c]] === 1);
    target.fill(-1);
    let labels = 0;
    for (let c = 0; c < count.length; c++) {
      if (!occupied(c) || target[c] >= 0) continue;
      let top = 0;
      stack[top++] = c;
      target[c] = labels;
      while (top > 0) {
        const cur = stack[--top];
        const cx = cur % side,
          cy = (cur - cx) / side;
        for (let ny = Math.max(0, cy - reach); ny <= Math.min(side - 1, cy + reach); ny++) {
          for (let nx = Math.max(0, cx - reach); nx <= Math.min(side - 1, cx + reach); nx++) {
            const nc = ny * side + nx;
            if (target[nc] < 0 && occupied(nc)) {
              target[nc] = labels;
              stack[top++] = nc;
            }
          }
        }
      }
      labels++;
    }
    return labels;
  }

  /**
   * Per cluster label, whether it is part of static structure: with gaps up to structureMargin
   * bridged (where noise breaks a wall into pieces), what it belongs to is wider than
   * maxTrackedExtent. Clusters of fewer than minPoints points (stray cells) bridge nothing: a
   * chain of them would tie a chair to the shelf behind it.
   */
  #attachedToStructure(labels: number, stats: Float64Array): Uint8Array {
    const o = this.#o,
      side = this.#side,
      label = this.#label,
      coarse = this.#coarse;
    const keep = new Uint8Array(labels);
    for (let l = 0; l < labels; l++) keep[l] = stats[l * 7 + 6] >= o.minPoints ? 1 : 0;
    const groups = this.#components(coarse, 1 + Math.ceil(o.structureMargin / o.cellSize), keep);
    // Cell bounds per group: min cx, min cy, max cx, max cy.
    const b = new Int32Array(4 * groups);
    for (let g = 0; g < groups; g++) b.set([side, side, -1, -1], 4 * g);
    for (let c = 0; c < coarse.length; c++) {
      const g = coarse[c];
      if (g < 0) continue;
      const cx = c % side,
        cy = (c - cx) / side;
      b[4 * g] = Math.min(b[4 * g], cx);
      b[4 * g + 1] = Math.min(b[4 * g + 1], cy);
      b[4 * g + 2] = Math.max(b[4 * g + 2], cx);
      b[4 * g + 3] = Math.max(b[4 * g + 3], cy);
    }
    const out = new Uint8Array(labels);
    for (let c = 0; c < label.length; c++) {
      const g = coarse[c];
      if (label[c] < 0 || g < 0) continue;
      const wide = Math.max(b[4 * g + 2] - b[4 * g], b[4 * g + 3] - b[4 * g + 1]) * o.cellSize;
      if (wide > o.maxTrackedExtent) out[label[c]] = 1;
    }
    return out;
  }

  /**
   * Marks grid cells in each detected object's "shadow" as seen from base_link: within its bearing
   * wedge (grown by the margin) and its range interval (grown by margin + perMetre * range,
   * because stereo noise spreads an object's points along the viewing ray, not across it).
   */
  #markExcluded(detected: readonly FusedObject[]): void {
    const o = this.#o,
      side = this.#side,
      cs = o.cellSize,
      half = o.maxRange;
    const excluded = this.#excluded;
    excluded.fill(0);
    for (const obj of detected) {
      const [px, py] = obj.position;
      const rc = Math.hypot(px, py);
      const radius = Math.max(obj.size[0], obj.size[1]) / 2;
      const radial = o.exclusionMargin + o.exclusionMarginPerMetre * rc;
      const rMin = Math.max(0, rc - radius - radial),
        rMax = rc + radius + radial;
      const bearing = Math.atan2(py, px);
      const halfAngle = rc > radius + o.exclusionMargin ? Math.asin((radius + o.exclusionMargin) / rc) : Math.PI;
      const reach = radius + radial;
      const x0 = Math.max(0, Math.floor((px - reach + half) / cs)),
        x1 = Math.min(side - 1, Math.floor((px + reach + half) / cs));
      const y0 = Math.max(0, Math.floor((py - reach + half) / cs)),
        y1 = Math.min(side - 1, Math.floor((py + reach + half) / cs));
      for (let cy = y0; cy <= y1; cy++) {
        const wy = (cy + 0.5) * cs - half;
        for (let cx = x0; cx <= x1; cx++) {
          const wx = (cx + 0.5) * cs - half;
          const r2 = wx * wx + wy * wy;
          if (r2 < rMin * rMin || r2 > rMax * rMax) continue;
          let dAngle = Math.atan2(wy, wx) - bearing;
          if (dAngle > Math.PI) dAngle -= 2 * Math.PI;
          else if (dAngle < -Math.PI) dAngle += 2 * Math.PI;
          if (Math.abs(dAngle) <= halfAngle) excluded[cy * side + cx] = 1;
        }
      }
    }
  }
}
