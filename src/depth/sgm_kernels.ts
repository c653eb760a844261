// The kernels of semi-global matching (Hirschmüller 2008): flat loops over typed arrays around
// the SIMD inner loops of sgm_simd_wat.ts. They share one memory layout (sgm_layout.ts) so the
// same functions run on worker threads over a shared memory or inline on the calling thread.
// Every intermediate array belongs to one strip (see sgm_layout.ts) and each strip writes only
// its own output rows, which is what lets the matcher run strips on different workers without
// locks.
import { SLOT_LEAD } from './sgm_layout';
import type { StripLayout } from './sgm_layout';
import { censusStrip, textureRows } from './sgm_census';
import type { SgmFrame } from './sgm_census';

/** Sentinel for "no neighbour disparity": the largest u8; the kernels' adds saturate there. */
const FAR = 255;

/** Largest 5x5 Census cost: 24 differing bits. */
export const MAX_COST = 24;

/**
 * Matching cost of strip row r (its Census rows must be ready), written at byte offset `at`:
 * the Hamming distance between left and right descriptors for every disparity. Where the
 * right pixel falls outside the image the cost is MAX_COST, so aggregation fills those
 * disparities from the neighbours.
 */
export function costRow(f: SgmFrame, s: StripLayout, r: number, at: number): void {
  const { l, k } = f;
  const { width: w, disparities: nd, minDisparity: minD } = l;
  const rs = l.censusRowStride;
  k.costRow(s.censusL + 3 * r * w, s.censusR + 3 * r * rs + l.censusPad, at, w, nd, minD, MAX_COST, w, rs);
}

/** Writes the sentinels around every path slot of a strip and zeroes its zero slot. */
function initSlots(f: SgmFrame, s: StripLayout): void {
  const { l, v } = f;
  const nd = l.disparities;
  const mark = (slot: number) => {
    v.u8[slot + SLOT_LEAD - 1] = FAR;
    v.u8[slot + SLOT_LEAD + nd] = FAR;
  };
  for (let x = 0; x < l.width; x++) {
    mark(s.vA + x * l.slot);
    mark(s.vB + x * l.slot);
  }
  mark(s.hA);
  mark(s.hB);
  mark(s.zero);
  v.u8.fill(0, s.zero + SLOT_LEAD, s.zero + SLOT_LEAD + nd);
}

/**
 * Forward pass over a strip (top to bottom, each row left to right): the left-to-right and
 * top-to-bottom path costs, summed into the strip's s1. `beforeRow(r)` runs before strip row
 * r is aggregated, so its cost can be computed just then, while it is still in cache.
 */
export function forwardPass(f: SgmFrame, s: StripLayout, p1: number, p2: number, beforeRow: (r: number) => void = () => undefined): void {
  runPass(f, s, p1, p2, false, beforeRow);
}

/**
 * Backward pass over a strip (bottom to top, each row right to left): the right-to-left and
 * bottom-to-top path costs plus the forward sums, i.e. the full 4-path cost, written to the
 * strip's `total` row; `onRow(y)` is called as each image row's total is ready.
 */
export function backwardPass(f: SgmFrame, s: StripLayout, p1: number, p2: number, onRow: (y: number) => void): void {
  runPass(f, s, p1, p2, true, () => undefined, onRow);
}

function runPass(
  f: SgmFrame,
  s: StripLayout,
  p1: number,
  p2: number,
  backward: boolean,
  beforeRow: (r: number) => void,
  onRow: (y: number) => void = () => undefined,
): void {
  const { l, k } = f;
  const { width: w, disparities: nd } = l;
  const lead = SLOT_LEAD;
  const slotBytes = l.slot;
  initSlots(f, s);
  const rows = s.ys1 - s.ys0;
  // Only the strip's own rows are selected, so the forward pass stops at its last row and the
  // backward pass at its first: the overlap rows beyond only warm up the vertical path coming
  // in from that side (the forward pass still computes the costs the backward pass warms up on).
  const count = backward ? s.ys1 - s.y0 : s.y1 - s.ys0;
  let vPrev = s.vA + lead;
  let vCur = s.vB + lead;
  for (let i = 0; i < count; i++) {
    const r = backward ? rows - 1 - i : i;
    const s1Row = s.s1 + r * w * nd;
    beforeRow(r);
    k.passRow(
      s.cost + r * w * nd,
      s1Row,
      backward ? s.total : s1Row,
      vPrev,
      vCur,
      s.vmin,
      s.hA + lead,
      s.hB + lead,
      s.zero + lead,
      w,
      nd,
      p1,
      p2,
      backward ? 1 : 0,
      i === 0 ? 1 : 0,
      slotBytes,
    );
    [vPrev, vCur] = [vCur, vPrev];
    onRow(s.ys0 + r);
  }
  if (!backward) for (let r = count; r < rows; r++) beforeRow(r);
}

/** Options the selection reads. */
export interface SelectParams {
  textureThreshold: number;
  uniquenessRatio: number;
  disp12MaxDiff: number;
  subpixel: boolean;
}

/**
 * Winner-take-all over the strip's total row for image row y, with the uniqueness test,
 * parabola sub-pixel refinement and the left-right check against a right disparity map built
 * from each left pixel's winner (OpenCV's cheap approximation of a full right match), all in
 * the SIMD module (sgm_simd_select_wat.ts). Writes disparity in pixels (NaN when rejected) and
 * the validity mask for that row.
 */
export function selectRow(f: SgmFrame, s: StripLayout, y: number, prm: SelectParams, winners = 0): void {
  const { l, k } = f;
  const { width: w } = l;
  const row = y * w;
  k.selectRow(
    s.total,
    l.disparities,
    prm.uniquenessRatio,
    w,
    l.minDisparity,
    l.textured + row,
    l.disparity + 4 * row,
    l.valid + row,
    s.rightCost,
    s.rightDisp,
    s.best,
    prm.subpixel ? 1 : 0,
    prm.disp12MaxDiff,
    winners,
  );
}

/** Matching parameters of a strip. */
export type StripParams = SelectParams & { p1: number; p2: number; paths: 3 | 4 };

/** Matches one strip with the 3- or 4-path aggregation `prm.paths` asks for. */
export function matchStrip(f: SgmFrame, s: StripLayout, prm: StripParams): void {
  textureRows(f, s.y0, s.y1, prm.textureThreshold);
  if (prm.paths === 3) {
    sweepStrip3(f, s, prm);
    return;
  }
  const rowBytes = f.l.width * f.l.disparities;
  censusStrip(f, s, s.ys1 - s.ys0);
  forwardPass(f, s, prm.p1, prm.p2, (r) => costRow(f, s, r, s.cost + r * rowBytes));
  backwardPass(f, s, prm.p1, prm.p2, (y) => {
    if (y >= s.y0 && y < s.y1) selectRow(f, s, y, prm);
  });
}

/**
 * Three paths (left-right, right-left, top-down) in one top-to-bottom sweep, as OpenCV's
 * SGBM_3WAY fuses them: per row, the cost, then the forward pass (left-right and top-down
 * together), then the right-left pass added in place, then the selection. Nothing but the
 * current row's sums is kept, so the working set stays in cache and no bottom overlap is
 * needed. The rows above the strip only warm up the top-down path.
 */
function sweepStrip3(f: SgmFrame, s: StripLayout, prm: StripParams): void {
  const { l, k } = f;
  const { width: w, disparities: nd } = l;
  const lead = SLOT_LEAD;
  const rows = s.y1 - s.ys0;
  censusStrip(f, s, rows);
  initSlots(f, s);
  let vPrev = s.vA + lead;
  let vCur = s.vB + lead;
  // One cost row, reused: each is read only by this row's two passes.
  const cost = s.cost;
  for (let r = 0; r < rows; r++) {
    costRow(f, s, r, cost);
    k.passRow(
      cost,
      s.total,
      s.total,
      vPrev,
      vCur,
      s.vmin,
      s.hA + lead,
      s.hB + lead,
      s.zero + lead,
      w,
      nd,
      prm.p1,
      prm.p2,
      0,
      r === 0 ? 1 : 0,
      l.slot,
    );
    [vPrev, vCur] = [vCur, vPrev];
    const y = s.ys0 + r;
    if (y < s.y0) continue;
    k.hpassRow(cost, s.total, s.hA + lead, s.hB + lead, s.zero + lead, w, nd, prm.p1, prm.p2, s.winners);
    selectRow(f, s, y, prm, s.winners);
  }
}

/**
 * Removes speckles: 4-connected regions of valid pixels whose neighbouring disparities differ
 * by at most `range` and which hold fewer than `windowSize` pixels are marked invalid. Runs over
 * the whole image because regions span any strip boundary.
 */
export function filterSpeckles(f: SgmFrame, windowSize: number, range: number): void {
  const { l, k } = f;
  k.filterSpeckles(l.disparity, l.valid, l.speckleSeen, l.speckleQueue, l.width, l.height, windowSize, range);
}
