// remap() only where it changes something. A rig whose pairs are already rectified (sim cameras,
// image_rect topics, a pre-rectified stereo head) has identity maps; resampling 640x480 through
// them on the main thread costs milliseconds per image and returns the same pixels (bilinear
// weights at integer coordinates are exact), so the raster is used as it is.
import { remap, type RemapMaps } from '../geometry/remap';
import type { Raster } from '../io/raster';

/** Sampling offsets below this (px) are identity: they cannot change a bilinear sample's rounding. */
const IDENTITY_TOLERANCE_PX = 1e-4;

const identity = new WeakMap<RemapMaps, boolean>();

/** Whether every destination pixel samples its own source pixel. Computed once per maps object. */
export function isIdentityMaps(maps: RemapMaps): boolean {
  let known = identity.get(maps);
  if (known === undefined) {
    known = true;
    const { mapX, mapY, width } = maps;
    for (let i = 0; i < mapX.length && known; i++) {
      known = Math.abs(mapX[i] - (i % width)) < IDENTITY_TOLERANCE_PX && Math.abs(mapY[i] - Math.floor(i / width)) < IDENTITY_TOLERANCE_PX;
    }
    identity.set(maps, known);
  }
  return known;
}

/** `src` through `maps`, or `src` itself when the maps are the identity at its size. */
export function remapUnlessIdentity(src: Raster, maps: RemapMaps): Raster {
  return src.width === maps.width && src.height === maps.height && isIdentityMaps(maps) ? src : remap(src, maps);
}
