// Memory layout of one SGM frame: every array the kernels read or write, carved out of a single
// shared WebAssembly memory so worker threads and the SIMD kernels see the same bytes without
// copying. The frame is cut into horizontal strips that each own every intermediate array
// (Census, cost, forward sums, path scratch), so strips run on different threads without ever
// writing the same byte; they share only the input images and write disjoint output rows. The
// matcher and its workers both call sgmLayout with the same geometry, which is the whole
// protocol for sharing a frame.

/** Geometry of a frame: what fixes the layout. */
export interface SgmGeometry {
  width: number;
  height: number;
  minDisparity: number;
  /** Disparities searched; a multiple of 16. */
  disparities: number;
  /** Horizontal strips the frame is matched in (one per worker thread). */
  strips: number;
  /** Coarse-to-fine: the full-resolution frame the half-resolution match is refined on. */
  refine?: RefineGeometry | undefined;
}

/** The full-resolution side of a coarse-to-fine frame. */
export interface RefineGeometry {
  width: number;
  height: number;
  /** The requested disparity range, inclusive, in full-resolution pixels. */
  minDisparity: number;
  maxDisparity: number;
}

/** Bytes of sentinel room before a slot's first path cost (keeps loads 16-byte aligned). */
export const SLOT_LEAD = 16;

/**
 * Rows a strip matches beyond its own rows, on each side, so that its vertical paths have
 * history where they enter the strip's own rows. Path costs forget their start within a few
 * dozen rows (every P2 jump resets them), so this keeps strips close to a whole-image match.
 */
export const STRIP_OVERLAP = 32;

/** One strip: output rows [y0, y1), matched over rows [ys0, ys1), and its arrays (byte offsets). */
export interface StripLayout {
  y0: number;
  y1: number;
  ys0: number;
  ys1: number;
  /** Left Census of rows [ys0, ys1): per row, three byte planes of width bytes (bits 23..16,
   * 15..8, 7..0 of each pixel's word), so the cost kernel counts bits 16 disparities at a time. */
  censusL: number;
  /** Right Census planes stored right-to-left with padding: element j of plane p of strip row r
   * is the byte at (3 * r + p) * censusRowStride + censusPad + j, for j = width - 1 - x. */
  censusR: number;
  /** Matching cost and forward-pass sums, u8 per (row - ys0, x, d). */
  cost: number;
  s1: number;
  /** Vertical path slots of the previous and current row, and their minima (u8 per x). */
  vA: number;
  vB: number;
  vmin: number;
  /** Horizontal path slots, and a slot of zeros that starts every path. */
  hA: number;
  hB: number;
  zero: number;
  /** Total path sums of the row being selected, u8 per (x, d). */
  total: number;
  /** Selection scratch of that row, i32 per x: right-map costs and disparities, left winners. */
  rightCost: number;
  rightDisp: number;
  best: number;
  /** Winners of that row as the 3-path sweep's hpassRow finds them (disparity | sum << 16). */
  winners: number;
}

/** Byte offsets of a frame's arrays (16-byte aligned) and the sizes the kernels index with. */
export interface SgmLayout extends SgmGeometry {
  left: number;
  right: number;
  /** Disparity in pixels (f32, NaN where rejected) and the validity mask (u8). */
  disparity: number;
  valid: number;
  /** Per pixel, 1 where the left image has enough texture to match (u8). */
  textured: number;
  /** Speckle filter scratch: per pixel a visited flag (u8) and a region queue (i32). */
  speckleSeen: number;
  speckleQueue: number;
  censusRowStride: number;
  censusPad: number;
  /** Bytes per path-cost slot. */
  slot: number;
  stripLayouts: StripLayout[];
  /** Coarse-to-fine: the full-resolution arrays (see sgm_refine.ts). */
  refineLayout?: RefineLayout | undefined;
  byteLength: number;
}

/** One strip of the refinement: output rows [y0, y1) and its row scratch (byte offsets). */
export interface RefineStrip {
  y0: number;
  y1: number;
  /** Census planes of the row being costed: left (width apart), right mirrored (rowStride apart). */
  censusL: number;
  censusR: number;
  /** Band costs of that row (u16x8 per pixel) and each band's first disparity (i32). */
  cost: number;
  bases: number;
  /** The 5-wide row sums of the last five rows (u16x8 per pixel), and the bases they are at (i32). */
  box: Array<{ sums: number; bases: number }>;
}

/** Full-resolution arrays of a coarse-to-fine frame. */
export interface RefineLayout extends RefineGeometry {
  left: number;
  right: number;
  /** Refined disparity (f32, NaN where rejected) and validity (u8). */
  disparity: number;
  valid: number;
  /** Right Census row stride and the padding before element 0 (room for any band's 16 loads). */
  censusRowStride: number;
  censusPad: number;
  strips: RefineStrip[];
}

/** Lays out a frame of geometry `g`. */
export function sgmLayout(g: SgmGeometry): SgmLayout {
  const { width: w, height: h, disparities: nd } = g;
  const n = w * h;
  const censusPad = nd + Math.abs(g.minDisparity) + 16;
  const censusRowStride = w + 2 * censusPad;
  const slot = nd + 2 * SLOT_LEAD;
  let total = 0;
  const take = (bytes: number) => {
    const at = total;
    total += (bytes + 15) & ~15;
    return at;
  };
  const left = take(n);
  const right = take(n);
  const disparity = take(4 * n);
  const valid = take(n);
  const textured = take(n);
  const speckleSeen = take(n);
  const speckleQueue = take(4 * n);
  const count = Math.max(1, Math.min(g.strips, h));
  const stripLayouts: StripLayout[] = [];
  for (let i = 0; i < count; i++) {
    const y0 = Math.floor((i * h) / count);
    const y1 = Math.floor(((i + 1) * h) / count);
    const ys0 = Math.max(0, y0 - STRIP_OVERLAP);
    const ys1 = Math.min(h, y1 + STRIP_OVERLAP);
    const rows = ys1 - ys0;
    stripLayouts.push({
      y0,
      y1,
      ys0,
      ys1,
      censusL: take(3 * rows * w),
      censusR: take(3 * rows * censusRowStride),
      cost: take(rows * w * nd),
      s1: take(rows * w * nd),
      vA: take(w * slot),
      vB: take(w * slot),
      vmin: take(w),
      hA: take(slot),
      hB: take(slot),
      zero: take(slot),
      total: take(w * nd),
      rightCost: take(4 * w),
      rightDisp: take(4 * w),
      best: take(4 * w),
      winners: take(4 * w),
    });
  }
  const refineLayout = g.refine === undefined ? undefined : layRefine(g.refine, count, take);
  return {
    ...g,
    strips: count,
    left,
    right,
    disparity,
    valid,
    textured,
    speckleSeen,
    speckleQueue,
    censusRowStride,
    censusPad,
    slot,
    stripLayouts,
    refineLayout,
    byteLength: total,
  };
}

function layRefine(g: RefineGeometry, strips: number, take: (bytes: number) => number): RefineLayout {
  const { width: w, height: h } = g;
  const n = w * h;
  const censusPad = Math.max(Math.abs(g.minDisparity), Math.abs(g.maxDisparity)) + 32;
  const censusRowStride = w + 2 * censusPad;
  const left = take(n);
  const right = take(n);
  const disparity = take(4 * n);
  const valid = take(n);
  const count = Math.max(1, Math.min(strips, h));
  const rows: RefineStrip[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      y0: Math.floor((i * h) / count),
      y1: Math.floor(((i + 1) * h) / count),
      censusL: take(3 * w),
      censusR: take(3 * censusRowStride),
      cost: take(16 * w),
      bases: take(4 * w),
      box: Array.from({ length: 5 }, () => ({ sums: take(16 * w), bases: take(4 * w) })),
    });
  }
  return { ...g, left, right, disparity, valid, censusRowStride, censusPad, strips: rows };
}

/** Typed views of the arrays the JavaScript side of the kernels reads and writes. */
export interface SgmViews {
  left: Uint8Array;
  right: Uint8Array;
  disparity: Float32Array;
  valid: Uint8Array;
  textured: Uint8Array;
  speckleSeen: Uint8Array;
  speckleQueue: Int32Array;
  u8: Uint8Array;
  u16: Uint16Array;
  u32: Uint32Array;
  i32: Int32Array;
}

/** Views of `buffer` (at least layout.byteLength bytes). */
export function sgmViews(buffer: ArrayBufferLike, l: SgmLayout): SgmViews {
  if (buffer.byteLength < l.byteLength) {
    throw new RangeError(
      `sgmViews: buffer has ${buffer.byteLength} bytes; a ${l.width}x${l.height}x${l.disparities} frame needs ${l.byteLength}`,
    );
  }
  const n = l.width * l.height;
  return {
    left: new Uint8Array(buffer, l.left, n),
    right: new Uint8Array(buffer, l.right, n),
    disparity: new Float32Array(buffer, l.disparity, n),
    valid: new Uint8Array(buffer, l.valid, n),
    textured: new Uint8Array(buffer, l.textured, n),
    speckleSeen: new Uint8Array(buffer, l.speckleSeen, n),
    speckleQueue: new Int32Array(buffer, l.speckleQueue, n),
    u8: new Uint8Array(buffer, 0, l.byteLength),
    u16: new Uint16Array(buffer, 0, l.byteLength >> 1),
    u32: new Uint32Array(buffer, 0, l.byteLength >> 2),
    i32: new Int32Array(buffer, 0, l.byteLength >> 2),
  };
}
