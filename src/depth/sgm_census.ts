// The per-pixel windows of semi-global matching: the 5x5 Census transform the matching cost
// compares, and the texture mask that keeps flat regions unmatched. SIMD kernels do the
// interior (sgm_simd_census_wat.ts, textureRow in sgm_simd_wat.ts); the borders, with their
// clamped windows, are done here.
import type { SgmLayout, SgmViews, StripLayout } from './sgm_layout';
import type { SgmSimd } from './sgm_simd';

/** One frame as the kernels see it: byte layout, typed views and SIMD kernels on one memory. */
export interface SgmFrame {
  l: SgmLayout;
  v: SgmViews;
  k: SgmSimd;
}

/**
 * 5x5 Census transform of rows [y0, y1) of the w x h image at byte offset `img`: bit k of a pixel's
 * word is set when neighbour k (row-major, centre skipped) is darker than the centre. Borders
 * replicate the edge pixel. Words are stored as three byte planes (bits 23..16, 15..8, 7..0)
 * of rowStride bytes each, one row's three after each other: pixel (x, y) goes to byte
 * (reverse ? w - 1 - x : x) of plane p at out + (3 * (y - y0) + p) * rowStride, so the right
 * image can be stored mirrored for the cost kernel's ascending loads. Interior pixels go
 * through the SIMD kernel; the 2-pixel border, here.
 */
export function censusRows(
  f: SgmFrame,
  img: number,
  [w, h]: readonly [number, number],
  [y0, y1]: readonly [number, number],
  out: number,
  rowStride: number,
  reverse: boolean,
): void {
  const { v, k } = f;
  const src = v.u8.subarray(img, img + w * h);
  const bytes = v.u8;
  for (let y = y0; y < y1; y++) {
    const o = out + 3 * (y - y0) * rowStride;
    const simd = y >= 2 && y < h - 2 && w >= 20;
    if (simd) k.censusRow(img, w, y, o, reverse ? 1 : 0, rowStride);
    for (let x = 0; x < w; x = simd && x === 1 ? w - 2 : x + 1) {
      const word = censusClamped(src, w, h, x, y);
      const at = o + (reverse ? w - 1 - x : x);
      bytes[at] = word >> 16;
      bytes[at + rowStride] = (word >> 8) & 255;
      bytes[at + 2 * rowStride] = word & 255;
    }
  }
}

/** Census word of one pixel with edge replication; the same bit order as the interior loop. */
function censusClamped(img: Uint8Array, w: number, h: number, x: number, y: number): number {
  const c = img[y * w + x];
  let b = 0;
  for (let j = -2; j <= 2; j++) {
    const row = Math.min(h - 1, Math.max(0, y + j)) * w;
    for (let i = -2; i <= 2; i++) {
      if (i === 0 && j === 0) continue;
      b = (b << 1) | +(img[row + Math.min(w - 1, Math.max(0, x + i))] < c);
    }
  }
  return b;
}

/** Census of both images over strip rows [ys0, ys0 + rows). */
export function censusStrip(f: SgmFrame, s: StripLayout, rows: number): void {
  const { l } = f;
  const size = [l.width, l.height] as const;
  const span = [s.ys0, s.ys0 + rows] as const;
  censusRows(f, l.left, size, span, s.censusL, l.width, false);
  censusRows(f, l.right, size, span, s.censusR + l.censusPad, l.censusRowStride, true);
}

/**
 * Marks rows [y0, y1) of the left image as textured where the 5x5 window's intensity range
 * (max - min) reaches `threshold`. In flat regions (sky, blank walls) Census carries no signal
 * and aggregation smears neighbouring disparities in, which would put phantom obstacles there.
 */
export function textureRows(f: SgmFrame, y0: number, y1: number, threshold: number): void {
  const { l, v, k } = f;
  const { width: w, height: h } = l;
  if (threshold <= 0) {
    v.textured.fill(1, y0 * w, y1 * w);
    return;
  }
  for (let y = y0; y < y1; y++) {
    // SIMD for the interior columns; the two border columns each side and the tail here.
    const end = k.textureRow(l.left, w, h, y, l.textured + y * w, threshold);
    for (let x = 0; x < w; x = x === 1 ? Math.max(end, 2) : x + 1) {
      v.textured[y * w + x] = windowRange(v.left, w, h, x, y) >= threshold ? 1 : 0;
    }
  }
}

/** max - min of the 5x5 window at (x, y), edges clamped. */
function windowRange(img: Uint8Array, w: number, h: number, x: number, y: number): number {
  let lo = 255;
  let hi = 0;
  for (let yy = Math.max(0, y - 2); yy <= Math.min(h - 1, y + 2); yy++) {
    for (let xx = Math.max(0, x - 2); xx <= Math.min(w - 1, x + 2); xx++) {
      const p = img[yy * w + xx];
      if (p < lo) lo = p;
      if (p > hi) hi = p;
    }
  }
  return hi - lo;
}
