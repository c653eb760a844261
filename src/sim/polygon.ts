// Convex-polygon clipping and scanline filling on flat coordinate arrays (x0, y0, z0, x1, ...),
// the two geometric primitives of the renderer. No per-vertex objects: these run for every face
// of every camera of every frame.

/** Near clipping distance along the optical axis, metres. */
export const NEAR = 0.02;

/**
 * Clips a convex polygon of `n` 3D vertices (xyz interleaved in `src`) to the half-space
 * z >= NEAR (Sutherland-Hodgman), writing into `dst`; returns the new vertex count (0 when
 * the polygon lies wholly behind the near plane).
 */
export function clipNear(src: Float64Array, n: number, dst: Float64Array): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = i * 3;
    const b = ((i + 1) % n) * 3;
    const za = src[a + 2];
    const zb = src[b + 2];
    const ina = za >= NEAR;
    const inb = zb >= NEAR;
    if (ina) {
      dst[m * 3] = src[a];
      dst[m * 3 + 1] = src[a + 1];
      dst[m * 3 + 2] = za;
      m++;
    }
    if (ina !== inb) {
      const t = (NEAR - za) / (zb - za);
      dst[m * 3] = src[a] + t * (src[b] - src[a]);
      dst[m * 3 + 1] = src[a + 1] + t * (src[b + 1] - src[a + 1]);
      dst[m * 3 + 2] = NEAR;
      m++;
    }
  }
  return m;
}

/**
 * Clips a convex 2D polygon (xy interleaved) to the axis-aligned rectangle, writing into `dst`
 * (which must not alias `src`, and `tmp` likewise); returns the new vertex count.
 */
export function clipRect(
  src: Float64Array,
  n: number,
  xMin: number,
  xMax: number,
  yMin: number,
  yMax: number,
  dst: Float64Array,
  tmp: Float64Array,
): number {
  // Four passes, ping-ponging between dst and tmp so that the last pass lands in dst.
  n = clipHalf(src, n, tmp, 0, xMin, 1);
  n = clipHalf(tmp, n, dst, 0, xMax, -1);
  n = clipHalf(dst, n, tmp, 1, yMin, 1);
  return clipHalf(tmp, n, dst, 1, yMax, -1);
}

/** Keeps the part where sign * (coord[axis] - limit) >= 0. */
function clipHalf(src: Float64Array, n: number, dst: Float64Array, axis: number, limit: number, sign: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = i * 2;
    const b = ((i + 1) % n) * 2;
    const da = sign * (src[a + axis] - limit);
    const db = sign * (src[b + axis] - limit);
    if (da >= 0) {
      dst[m * 2] = src[a];
      dst[m * 2 + 1] = src[a + 1];
      m++;
    }
    if (da >= 0 !== db >= 0) {
      const t = da / (da - db);
      dst[m * 2] = src[a] + t * (src[b] - src[a]);
      dst[m * 2 + 1] = src[a + 1] + t * (src[b + 1] - src[a + 1]);
      m++;
    }
  }
  return m;
}

/** Depth-buffered target of `fillConvex`: 1/z per pixel (0 = empty) and the surface drawn there. */
export interface DepthTarget {
  width: number;
  height: number;
  invZ: Float32Array;
  surface: Uint16Array;
  /** 1 where a covered pixel counts towards fillConvex's result, 0 where it does not. */
  counts: Uint8Array;
}

/**
 * Fills a convex polygon given in pixel coordinates (xy interleaved, pixel centres at integers)
 * into `target` where it is nearer than what is there. Pixel (i, j) is covered when its centre
 * lies in the polygon with top-left ownership (x in [xl, xr), y in [yTop, yBottom)), so faces
 * sharing an edge never both cover a pixel. 1/z at a pixel is a + b*i + c*j (exact for a plane).
 * Returns the number of counted pixels covered, occluded or not.
 */
export function fillConvex(
  xy: Float64Array,
  n: number,
  a: number,
  b: number,
  c: number,
  surfaceIndex: number,
  target: DepthTarget,
): number {
  const { width, height, invZ, surface, counts } = target;
  let yMinP = Infinity;
  let yMaxP = -Infinity;
  for (let v = 0; v < n; v++) {
    yMinP = Math.min(yMinP, xy[v * 2 + 1]);
    yMaxP = Math.max(yMaxP, xy[v * 2 + 1]);
  }
  const j0 = Math.max(0, Math.ceil(yMinP));
  const j1 = Math.min(height - 1, Math.ceil(yMaxP) - 1);
  let covered = 0;
  for (let j = j0; j <= j1; j++) {
    let xl = Infinity;
    let xr = -Infinity;
    for (let v = 0; v < n; v++) {
      const p = v * 2;
      const q = ((v + 1) % n) * 2;
      const yp = xy[p + 1];
      const yq = xy[q + 1];
      if ((yp <= j && yq > j) || (yq <= j && yp > j)) {
        const x = xy[p] + ((j - yp) * (xy[q] - xy[p])) / (yq - yp);
        if (x < xl) xl = x;
        if (x > xr) xr = x;
      }
    }
    if (!(xl < xr)) continue;
    const i0 = Math.max(0, Math.ceil(xl));
    const i1 = Math.min(width - 1, Math.ceil(xr) - 1);
    if (i1 < i0) continue;
    let iz = a + b * i0 + c * j;
    let k = j * width + i0;
    for (let i = i0; i <= i1; i++, k++, iz += b) {
      covered += counts[k];
      if (iz > invZ[k]) {
        invZ[k] = iz;
        surface[k] = surfaceIndex;
      }
    }
  }
  return covered;
}
