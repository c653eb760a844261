// Brings a Raster to the 8-bit grey image the matchers work on, or says why it cannot.
import { toMono8 as rasterToMono8 } from '../io/image_convert';
import type { Raster } from '../io/raster';

/**
 * The mono8 pixels of `r`: the raster's own data when already mono8 (no copy), else the BT.601
 * luma of rgb8/bgr8/rgba8/bgra8 (io's conversion, as OpenCV's cvtColor rounds it). `what` names
 * the image in errors. Throws for mono16/float32, whose scaling to 8 bits is the caller's
 * decision, and for a data array shorter than width x height x channels.
 */
export function toMono8(r: Raster, what: string): Uint8Array {
  if (r.format === 'mono16' || r.format === 'float32') {
    throw new TypeError(`${what}: format "${r.format}"; expected mono8 or an 8-bit colour format (rgb8, bgr8, rgba8, bgra8)`);
  }
  return rasterToMono8(r, what).data;
}
