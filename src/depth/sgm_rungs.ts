// The cheaper rungs of the matcher: a region of interest and half resolution (fewer disparities
// is numDisparities itself). Both shrink the image the SGM kernels see, so the cost falls with
// the pixels times disparities matched, and the result is mapped back onto the full frame, so
// a caller always gets a full-size disparity map (invalid outside the region).

/** A region of interest in full-frame pixels. */
export interface StereoRoi {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the kernels match for a full frame, and how their result maps back. */
export interface RungPlan {
  /** Full-frame window that is cut out and matched: columns [cx0, cx1), rows [y0, y1). */
  cx0: number;
  cx1: number;
  y0: number;
  y1: number;
  /** Output columns [x0, x1): the region itself (the crop adds room for the search range). */
  x0: number;
  x1: number;
  /** 1, or 2 for half resolution. */
  scale: 1 | 2;
  width: number;
  height: number;
  minDisparity: number;
  disparities: number;
  /** Speckle area in matched pixels (areas shrink with the square of the scale). */
  speckleWindowSize: number;
  /** True when the plan is the whole frame at full resolution. */
  identity: boolean;
}

interface RungOptions {
  minDisparity: number;
  numDisparities: number;
  speckleWindowSize: number;
  halfResolution: boolean;
  roi?: StereoRoi | undefined;
}

/** Plans the match of a width x height frame; throws naming `roi` or the resolution when it cannot fit. */
export function planRungs(width: number, height: number, o: RungOptions): RungPlan {
  const roi = o.roi ?? { x: 0, y: 0, width, height };
  if (roi.x + roi.width > width || roi.y + roi.height > height) {
    throw new RangeError(
      `StereoMatcher: roi ${roi.width}x${roi.height} at (${roi.x}, ${roi.y}) is outside the ${width}x${height} image; ` +
        'expected x + width <= image width and y + height <= image height',
    );
  }
  const scale = o.halfResolution ? 2 : 1;
  const maxD = o.minDisparity + o.numDisparities - 1;
  // The right-image pixels a region pixel can match lie up to maxD left of it (or -minD right).
  const cx0 = Math.max(0, roi.x - Math.max(0, maxD));
  const cx1 = Math.min(width, roi.x + roi.width + Math.max(0, -o.minDisparity));
  const minDisparity = Math.floor(o.minDisparity / scale);
  const disparities = Math.ceil((Math.ceil((maxD + 1) / scale) - minDisparity) / 16) * 16;
  const w = Math.floor((cx1 - cx0) / scale);
  const h = Math.floor(roi.height / scale);
  if (disparities > w || minDisparity + disparities > w || h < 1) {
    const what = o.roi !== undefined ? `roi ${roi.width}x${roi.height}` : 'the image';
    throw new RangeError(
      `StereoMatcher: ${what}${scale === 2 ? ' at half resolution' : ''} leaves ${w}x${h} px to match, too narrow for ` +
        `${disparities} disparities; expected a wider roi, fewer numDisparities or resolution 'full'`,
    );
  }
  return {
    cx0,
    cx1,
    y0: roi.y,
    y1: roi.y + roi.height,
    x0: roi.x,
    x1: roi.x + roi.width,
    scale,
    width: w,
    height: h,
    minDisparity,
    disparities,
    speckleWindowSize: Math.round(o.speckleWindowSize / (scale * scale)),
    identity: scale === 1 && cx0 === 0 && cx1 === width && roi.y === 0 && roi.height === height,
  };
}

/** Writes the plan's crop of the full-frame image `src` (fullWidth wide) into `dst`, 2x2 averaged at half resolution. */
export function cutOut(p: RungPlan, src: Uint8Array, fullWidth: number, dst: Uint8Array): void {
  for (let j = 0; j < p.height; j++) {
    const row = (p.y0 + p.scale * j) * fullWidth + p.cx0;
    const o = j * p.width;
    if (p.scale === 1) {
      dst.set(src.subarray(row, row + p.width), o);
      continue;
    }
    for (let i = 0; i < p.width; i++) {
      const a = row + 2 * i;
      dst[o + i] = (src[a] + src[a + 1] + src[a + fullWidth] + src[a + fullWidth + 1] + 2) >> 2;
    }
  }
}

/**
 * Maps the matched disparity (`disp`, `valid`, p.width x p.height) onto a full frame: each
 * region pixel takes its matched pixel's disparity times the scale when that lies inside the
 * requested range [minD, maxD]; every other pixel is invalid (NaN, 0).
 */
export function mapBack(
  p: RungPlan,
  disp: Float32Array,
  valid: Uint8Array,
  minD: number,
  maxD: number,
  outDisp: Float32Array,
  outValid: Uint8Array,
  fullWidth: number,
): void {
  outDisp.fill(NaN);
  outValid.fill(0);
  for (let y = p.y0; y < p.y1; y++) {
    const j = Math.min(p.height - 1, Math.floor((y - p.y0) / p.scale));
    for (let x = p.x0; x < p.x1; x++) {
      const i = Math.min(p.width - 1, Math.floor((x - p.cx0) / p.scale));
      const k = j * p.width + i;
      if (valid[k] === 0) continue;
      const d = disp[k] * p.scale;
      if (d < minD || d > maxD) continue;
      outDisp[y * fullWidth + x] = d;
      outValid[y * fullWidth + x] = 1;
    }
  }
}
