// Bilinear resampling of a Raster through per-pixel source coordinates (the maps of
// CameraModel.rectificationMaps or stereoRectify), like cv::remap(INTER_LINEAR, BORDER_CONSTANT 0)
// but with exact rather than 1/32-pixel fixed-point weights.
import { createRaster, type Raster, type RasterFormat } from '../io/raster';

/** Where each destination pixel samples its source: what CameraModel and stereoRectify produce. */
export interface RemapMaps {
  /** Per destination pixel (row-major), the source x to sample; NaN-free, may lie outside. */
  mapX: Float32Array;
  mapY: Float32Array;
  width: number;
  height: number;
}

const SUPPORTED: readonly RasterFormat[] = ['mono8', 'rgb8', 'bgr8', 'float32'];

/**
 * A new raster of maps.width x maps.height, same format as `src`, where each pixel is src sampled
 * bilinearly at (mapX, mapY). Neighbours outside src count as 0. Throws on an unsupported format
 * or maps whose length does not match their size.
 */
export function remap(src: Raster, maps: RemapMaps): Raster {
  if (!SUPPORTED.includes(src.format)) {
    throw new RangeError(`remap: raster format "${src.format}" is not supported; expected one of ${SUPPORTED.join(', ')}`);
  }
  const n = maps.width * maps.height;
  if (maps.mapX.length !== n || maps.mapY.length !== n) {
    throw new RangeError(
      `remap: maps of ${maps.mapX.length}/${maps.mapY.length} values for ${maps.width}x${maps.height}; expected ${n} each`,
    );
  }
  const dst = createRaster(maps.width, maps.height, src.format);
  const round = src.format !== 'float32';
  const { width: w, height: h, channels: c } = src;
  const s = src.data;
  const d = dst.data;
  const { mapX, mapY } = maps;
  for (let i = 0; i < n; i++) {
    const x = mapX[i];
    const y = mapY[i];
    // Outside by a pixel or more (or NaN): nothing to blend.
    if (!(x > -1 && y > -1 && x < w && y < h)) continue;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const w00 = (1 - fx) * (1 - fy);
    const w01 = fx * (1 - fy);
    const w10 = (1 - fx) * fy;
    const w11 = fx * fy;
    const in0 = y0 >= 0;
    const in1 = y0 + 1 < h;
    const inL = x0 >= 0;
    const inR = x0 + 1 < w;
    const base = (y0 * w + x0) * c;
    for (let ch = 0; ch < c; ch++) {
      const p = base + ch;
      let v = 0;
      if (in0 && inL) v += w00 * s[p];
      if (in0 && inR) v += w01 * s[p + c];
      if (in1 && inL) v += w10 * s[p + w * c];
      if (in1 && inR) v += w11 * s[p + w * c + c];
      d[i * c + ch] = round ? Math.round(v) : v;
    }
  }
  return dst;
}
