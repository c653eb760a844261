// Conversions between Raster formats that detection and stereo need: grey for matching,
// rgb8/bgr8 for model inputs and encoders. One pass over a typed array, no per-pixel objects.
import { createRaster, type Raster } from './raster';

// Byte offsets of R, G, B inside a pixel of each 8-bit colour format.
const RGB_OFFSETS: Partial<Record<Raster['format'], readonly [number, number, number]>> = {
  rgb8: [0, 1, 2],
  bgr8: [2, 1, 0],
  rgba8: [0, 1, 2],
  bgra8: [2, 1, 0],
};

function unsupported(fn: string, r: Raster): Error {
  return new Error(`${fn}: cannot convert a ${r.format} raster (${r.width}x${r.height}); expected an 8-bit colour, mono8 or mono16 raster`);
}

// A raster whose data is shorter than its size says would be read past its end as NaN -> 0:
// silent garbage, so it is refused up front, like a non-integer or empty size.
function checkSize(r: Raster, what: string): void {
  if (!(r.width > 0 && r.height > 0 && Number.isInteger(r.width) && Number.isInteger(r.height))) {
    throw new RangeError(`${what}: size ${r.width}x${r.height}; expected positive integer width and height`);
  }
  const needed = r.width * r.height * r.channels;
  if (r.data.length < needed) {
    throw new RangeError(`${what}: data has ${r.data.length} values; ${r.width}x${r.height}x${r.channels} needs ${needed}`);
  }
}

/**
 * A grey rendering of `r` as mono8: BT.601 luma for colour, the high byte of mono16. Returns `r`
 * itself when already mono8. `what` names the image in errors. Throws for float32, for a size
 * that is not a positive integer pair, and for data shorter than width x height x channels.
 */
export function toMono8(r: Raster, what = 'toMono8'): Raster<Uint8Array> {
  checkSize(r, what);
  if (r.format === 'mono8') return r as Raster<Uint8Array>;
  const out = createRaster(r.width, r.height, 'mono8') as Raster<Uint8Array>;
  const n = r.width * r.height;
  const src = r.data;
  const dst = out.data;
  if (r.format === 'mono16') {
    for (let i = 0; i < n; i++) dst[i] = src[i]! >> 8;
    return out;
  }
  const offsets = RGB_OFFSETS[r.format];
  if (!offsets) throw unsupported('toMono8', r);
  const [ro, go, bo] = offsets;
  const c = r.channels;
  // Fixed-point BT.601 weights (sum 256), rounded: the integer form OpenCV's cvtColor uses.
  for (let i = 0, p = 0; i < n; i++, p += c) dst[i] = (77 * src[p + ro]! + 150 * src[p + go]! + 29 * src[p + bo]! + 128) >> 8;
  return out;
}

function toRgbOrder(r: Raster, target: 'rgb8' | 'bgr8', fn: string): Raster<Uint8Array> {
  if (r.format === target) return r as Raster<Uint8Array>;
  const out = createRaster(r.width, r.height, target) as Raster<Uint8Array>;
  const n = r.width * r.height;
  const src = r.data;
  const dst = out.data;
  const [t0, , t2] = target === 'rgb8' ? [0, 1, 2] : [2, 1, 0];
  if (r.format === 'mono8' || r.format === 'mono16') {
    const shift = r.format === 'mono16' ? 8 : 0;
    for (let i = 0, q = 0; i < n; i++, q += 3) dst[q] = dst[q + 1] = dst[q + 2] = src[i]! >> shift;
    return out;
  }
  const offsets = RGB_OFFSETS[r.format];
  if (!offsets) throw unsupported(fn, r);
  const [ro, go, bo] = offsets;
  const c = r.channels;
  for (let i = 0, p = 0, q = 0; i < n; i++, p += c, q += 3) {
    dst[q + t0] = src[p + ro]!;
    dst[q + 1] = src[p + go]!;
    dst[q + t2] = src[p + bo]!;
  }
  return out;
}

/** `r` as rgb8 (alpha dropped, grey replicated). Returns `r` itself when already rgb8. */
export function toRgb8(r: Raster): Raster<Uint8Array> {
  return toRgbOrder(r, 'rgb8', 'toRgb8');
}

/** `r` as bgr8 (alpha dropped, grey replicated). Returns `r` itself when already bgr8. */
export function toBgr8(r: Raster): Raster<Uint8Array> {
  return toRgbOrder(r, 'bgr8', 'toBgr8');
}
