// Bilinear demosaicing of 8-bit Bayer mosaics to rgb8.
//
// Each output pixel keeps its own measured channel and averages the nearest samples of the
// other two (the 4-neighbour cross for G at R/B sites, the diagonals for R/B at B/R sites, the
// two row or column neighbours at G sites). Borders replicate the nearest in-image sample
// (clamped coordinates), so no pixel is left black.
import type { BayerPattern } from './image_encodings';
import type { Raster } from './raster';

// Colour at (x, y) for x, y in {0, 1}: index 0 = R, 1 = G, 2 = B.
const LAYOUT: Record<BayerPattern, readonly [number, number, number, number]> = {
  rggb: [0, 1, 1, 2],
  bggr: [2, 1, 1, 0],
  gbrg: [1, 2, 0, 1],
  grbg: [1, 0, 2, 1],
};

/**
 * Demosaics `height` rows of `width` samples starting at `data[offset]`, rows `step` bytes apart.
 * The caller has validated the sizes.
 */
export function demosaicBilinear(
  data: Uint8Array,
  offset: number,
  width: number,
  height: number,
  step: number,
  pattern: BayerPattern,
): Raster<Uint8Array> {
  const out = new Uint8Array(width * height * 3);
  const layout = LAYOUT[pattern];
  // Writes one output pixel from its sample `v` and its 8 neighbours (left, right, up, down, diagonals).
  const emit = (
    x: number,
    y: number,
    v: number,
    l: number,
    r: number,
    u: number,
    d: number,
    ul: number,
    ur: number,
    dl: number,
    dr: number,
  ): void => {
    const own = layout[((y & 1) << 1) | (x & 1)]!;
    const o = (y * width + x) * 3;
    if (own === 1) {
      // Green site: the row neighbours carry one of R/B, the column neighbours the other.
      const rowColour = layout[((y & 1) << 1) | ((x + 1) & 1)]!;
      out[o + 1] = v;
      out[o + rowColour] = (l + r + 1) >> 1;
      out[o + (2 - rowColour)] = (u + d + 1) >> 1;
    } else {
      out[o + own] = v;
      out[o + 1] = (l + r + u + d + 2) >> 2;
      out[o + (2 - own)] = (ul + ur + dl + dr + 2) >> 2;
    }
  };
  // Clamped sampling for the one-pixel border; the interior reads its neighbours directly.
  const at = (x: number, y: number): number =>
    data[offset + Math.min(Math.max(y, 0), height - 1) * step + Math.min(Math.max(x, 0), width - 1)]!;
  const emitBorder = (x: number, y: number): void =>
    emit(
      x,
      y,
      at(x, y),
      at(x - 1, y),
      at(x + 1, y),
      at(x, y - 1),
      at(x, y + 1),
      at(x - 1, y - 1),
      at(x + 1, y - 1),
      at(x - 1, y + 1),
      at(x + 1, y + 1),
    );
  for (let y = 0; y < height; y++) {
    if (y === 0 || y === height - 1) {
      for (let x = 0; x < width; x++) emitBorder(x, y);
      continue;
    }
    emitBorder(0, y);
    for (let x = 1, i = offset + y * step + 1; x < width - 1; x++, i++) {
      emit(
        x,
        y,
        data[i]!,
        data[i - 1]!,
        data[i + 1]!,
        data[i - step]!,
        data[i + step]!,
        data[i - step - 1]!,
        data[i - step + 1]!,
        data[i + step - 1]!,
        data[i + step + 1]!,
      );
    }
    if (width > 1) emitBorder(width - 1, y);
  }
  return { width, height, channels: 3, format: 'rgb8', data: out };
}
