// Renders one camera of the synthetic scene: colour image, exact ground-truth depth and, per
// object, its projected and visible pixel counts and 2D boxes. Two passes on typed arrays:
//  1. rasterise every front-facing face on the camera's pinhole grid with a 1/z buffer;
//  2. per output pixel, intersect the pixel's own ray with the face found there (exact depth,
//     also under lens distortion) and texture it from the point's face coordinates: the
//     procedural tile, or the owner's photo crop on photo faces.
import { mat4 } from 'gl-matrix';
import type { Raster } from '../io/raster';
import { buildCameraRays, type CameraRays } from './camera_rays';
import { distort, type PlumbBob } from './lens';
import { mat4d } from './mat64';
import { clipNear, clipRect, fillConvex, type DepthTarget } from './polygon';
import type { CameraSpec } from './scene_schema';
import { TEXTURE_MASK, TEXTURE_SIZE } from './texture';
import type { Surface } from './world';

const NO_SURFACE = 0xffff;
/** Floats per surface in the per-frame surface table (see `#buildTable`). */
const STRIDE = 17;
/** Points per polygon edge when bending box outlines through lens distortion. */
const EDGE_SAMPLES = 16;

/** What one camera sees at one instant. Object arrays are indexed like the objects passed in. */
export interface CameraRender {
  /** bgr8 image. */
  image: Raster<Uint8Array>;
  /** Depth along the optical axis (m) per pixel; NaN where no surface was hit. */
  depth: Float32Array;
  /**
   * Pixels the object would cover with nothing in front of it, and pixels where it is the
   * nearest surface. Both are counted on the raster grid within the image's field of view, so
   * their ratio is the visible fraction (equal to image pixels without distortion).
   */
  projectedPixels: Int32Array;
  visiblePixels: Int32Array;
  /** [x0, y0, x1, y1] (inclusive pixel indices) of the visible pixels; -1s when none. */
  visibleBoxes: Int32Array;
  /**
   * [x0, y0, x1, y1] of the object's whole 3D box projected (after near-plane clipping) and
   * clipped to the image extent [-0.5, w - 0.5] × [-0.5, h - 0.5]; NaNs when it misses the image.
   */
  projectedBoxes: Float64Array;
}

/** Renders one camera; holds its lookup tables and scratch buffers, so reuse it across frames. */
export class CameraRenderer {
  readonly #cam: CameraSpec;
  readonly #rays: CameraRays;
  readonly #tile: Float32Array;
  readonly #photos: ReadonlyArray<Raster<Uint8Array> | undefined>;
  readonly #target: DepthTarget;
  readonly #poly = new Float64Array(3 * 16);
  readonly #clipped = new Float64Array(3 * 16);
  readonly #xy = new Float64Array(2 * 16);
  readonly #xyClip = new Float64Array(2 * 16);
  readonly #xyTmp = new Float64Array(2 * 16);

  /**
   * `tile` is the scene's texture (buildTextureTile); `photos` holds each object's rgb8 photo
   * crop (loadScenePhotos), which must exist for every object that owns a photo surface.
   */
  constructor(cam: CameraSpec, tile: Float32Array, photos: ReadonlyArray<Raster<Uint8Array> | undefined> = []) {
    if (tile.length !== TEXTURE_SIZE * TEXTURE_SIZE) {
      throw new Error(`CameraRenderer: texture tile has ${tile.length} texels; expected ${TEXTURE_SIZE}²`);
    }
    this.#cam = cam;
    this.#rays = buildCameraRays(cam);
    this.#tile = tile;
    this.#photos = photos;
    const { width, height } = this.#rays.grid;
    this.#target = {
      width,
      height,
      invZ: new Float32Array(width * height),
      surface: new Uint16Array(width * height),
      counts: this.#rays.gridInImage,
    };
  }

  /**
   * Renders `surfaces` (whose `owner` indexes `objectCount` objects, -1 for the room) seen from
   * the optical frame posed at `opticalInOdom`. The returned buffers are new on every call.
   */
  render(surfaces: readonly Surface[], objectCount: number, opticalInOdom: mat4): CameraRender {
    if (surfaces.length >= NO_SURFACE) {
      throw new Error(`CameraRenderer(${this.#cam.name}): ${surfaces.length} surfaces; at most ${NO_SURFACE - 1} are supported`);
    }
    const odomToOptical = mat4.invert(mat4d(), opticalInOdom);
    if (!odomToOptical) throw new Error(`CameraRenderer(${this.#cam.name}): camera pose is not invertible`);
    const table = this.#buildTable(surfaces, opticalInOdom, odomToOptical);
    const projectedPixels = this.#rasterise(surfaces, table, objectCount, odomToOptical);
    const visiblePixels = this.#countVisible(surfaces, objectCount);
    const out = this.#shade(table, objectCount);
    return { ...out, projectedPixels, visiblePixels, projectedBoxes: this.#projectBoxes(surfaces, objectCount, odomToOptical) };
  }

  /**
   * Per surface, in the optical frame: plane n·p = c (n unit, c < 0 when facing the camera),
   * texel u = z * (Au·d) + Bu for the point z*d on a ray d = (x, y, 1), same for v, colour, owner,
   * and 1 for a photo face (0 for the tile).
   */
  #buildTable(surfaces: readonly Surface[], camToOdom: mat4, odomToCam: mat4): Float64Array {
    const table = new Float64Array(surfaces.length * STRIDE);
    const m = odomToCam;
    const r = camToOdom;
    surfaces.forEach((s, k) => {
      const o = k * STRIDE;
      const [wx, wy, wz] = s.normal;
      const nx = m[0] * wx + m[4] * wy + m[8] * wz;
      const ny = m[1] * wx + m[5] * wy + m[9] * wz;
      const nz = m[2] * wx + m[6] * wy + m[10] * wz;
      const [px, py, pz] = s.corners[0];
      const cx = m[0] * px + m[4] * py + m[8] * pz + m[12];
      const cy = m[1] * px + m[5] * py + m[9] * pz + m[13];
      const cz = m[2] * px + m[6] * py + m[10] * pz + m[14];
      table[o] = nx;
      table[o + 1] = ny;
      table[o + 2] = nz;
      table[o + 3] = nx * cx + ny * cy + nz * cz;
      const axes = [s.uAxis, s.vAxis];
      for (let a = 0; a < 2; a++) {
        const ax = axes[a];
        const base = o + 4 + a * 4;
        // texel = texelsPerMetre * axis·(R p + t - origin) + offset, linear in p.
        const scale = s.texelsPerMetre[a];
        for (let col = 0; col < 3; col++) {
          table[base + col] = scale * (r[col * 4] * ax[0] + r[col * 4 + 1] * ax[1] + r[col * 4 + 2] * ax[2]);
        }
        table[base + 3] =
          scale * (ax[0] * (r[12] - s.origin[0]) + ax[1] * (r[13] - s.origin[1]) + ax[2] * (r[14] - s.origin[2])) + s.offset[a];
      }
      table[o + 12] = s.color[0];
      table[o + 13] = s.color[1];
      table[o + 14] = s.color[2];
      table[o + 15] = s.owner;
      if (s.photo) {
        if (!this.#photos[s.owner])
          throw new Error(`CameraRenderer(${this.#cam.name}): object ${s.owner} has photo faces but no photo crop was given`);
        table[o + 16] = 1;
      }
    });
    return table;
  }

  /** Pass 1: fills the 1/z buffer with front faces; returns per-object covered pixel counts. */
  #rasterise(surfaces: readonly Surface[], table: Float64Array, objectCount: number, odomToCam: mat4): Int32Array {
    const target = this.#target;
    target.invZ.fill(0);
    target.surface.fill(NO_SURFACE);
    const { fx, fy, cx, cy } = this.#rays.grid;
    const projected = new Int32Array(objectCount);
    surfaces.forEach((s, k) => {
      const o = k * STRIDE;
      const c = table[o + 3];
      if (!(c < -1e-9)) return; // back-facing or edge-on: never the nearest surface of a closed box
      const n = this.#toCamera(s, odomToCam);
      const m = clipNear(this.#poly, n, this.#clipped);
      if (m < 3) return;
      for (let v = 0; v < m; v++) {
        const z = this.#clipped[v * 3 + 2];
        this.#xy[v * 2] = (fx * this.#clipped[v * 3]) / z + cx;
        this.#xy[v * 2 + 1] = (fy * this.#clipped[v * 3 + 1]) / z + cy;
      }
      // 1/z = n·d / c with d = ((i - cx)/fx, (j - cy)/fy, 1): linear in the pixel indices.
      const b = table[o] / (fx * c);
      const cc = table[o + 1] / (fy * c);
      const a = (table[o + 2] - (table[o] * cx) / fx - (table[o + 1] * cy) / fy) / c;
      const covered = fillConvex(this.#xy, m, a, b, cc, k, target);
      if (s.owner >= 0) projected[s.owner] += covered;
    });
    return projected;
  }

  /** Per object, grid pixels in the image's view where one of its faces is the nearest surface. */
  #countVisible(surfaces: readonly Surface[], objectCount: number): Int32Array {
    const owner = Int32Array.from(surfaces, (s) => s.owner);
    const visible = new Int32Array(objectCount);
    const { surface, counts } = this.#target;
    for (let g = 0; g < surface.length; g++) {
      const s = surface[g];
      if (s !== NO_SURFACE && counts[g] === 1 && owner[s] >= 0) visible[owner[s]]++;
    }
    return visible;
  }

  /** Pass 2: per output pixel, exact depth on its own ray, texture, colour and visible-pixel boxes. */
  #shade(table: Float64Array, objectCount: number): Pick<CameraRender, 'image' | 'depth' | 'visibleBoxes'> {
    const { width: w, height: h } = this.#cam;
    const { rayX, rayY, gridIndex } = this.#rays;
    const { surface, invZ } = this.#target;
    const tile = this.#tile;
    const photos = this.#photos;
    // Imported constants are getter calls under CommonJS interop; hoist them out of the loop.
    const mask = TEXTURE_MASK;
    const size = TEXTURE_SIZE;
    const bgr = new Uint8Array(w * h * 3);
    const depth = new Float32Array(w * h);
    const boxes = new Int32Array(objectCount * 4).fill(-1);
    for (let j = 0, k = 0; j < h; j++) {
      for (let i = 0; i < w; i++, k++) {
        const g = gridIndex[k];
        const s = surface[g];
        if (s === NO_SURFACE) {
          depth[k] = NaN;
          continue;
        }
        const o = s * STRIDE;
        const dx = rayX[k];
        const dy = rayY[k];
        const nd = table[o] * dx + table[o + 1] * dy + table[o + 2];
        let z = table[o + 3] / nd;
        // Under distortion a pixel at a face's silhouette may borrow a face its own ray just misses.
        if (!(z > 0 && z < 1e6)) z = 1 / invZ[g];
        depth[k] = z;
        const u = z * (table[o + 4] * dx + table[o + 5] * dy + table[o + 6]) + table[o + 7];
        const v = z * (table[o + 8] * dx + table[o + 9] * dy + table[o + 10]) + table[o + 11];
        const p = k * 3;
        const owner = table[o + 15];
        if (table[o + 16] !== 0) {
          samplePhoto(photos[owner]!, u, v, table, o + 12, bgr, p);
        } else {
          const iu = Math.floor(u);
          const iv = Math.floor(v);
          const fu = u - iu;
          const fv = v - iv;
          const u0 = iu & mask;
          const u1 = (iu + 1) & mask;
          const r0 = (iv & mask) * size;
          const r1 = ((iv + 1) & mask) * size;
          const top = tile[r0 + u0] + (tile[r0 + u1] - tile[r0 + u0]) * fu;
          const bottom = tile[r1 + u0] + (tile[r1 + u1] - tile[r1 + u0]) * fu;
          const shade = 0.3 + 0.7 * (top + (bottom - top) * fv);
          bgr[p] = table[o + 14] * shade;
          bgr[p + 1] = table[o + 13] * shade;
          bgr[p + 2] = table[o + 12] * shade;
        }
        if (owner >= 0) {
          const b = owner * 4;
          if (boxes[b] < 0) {
            boxes[b] = i;
            boxes[b + 1] = j;
            boxes[b + 2] = i;
            boxes[b + 3] = j;
          } else {
            if (i < boxes[b]) boxes[b] = i;
            if (i > boxes[b + 2]) boxes[b + 2] = i;
            boxes[b + 3] = j;
          }
        }
      }
    }
    return { image: { width: w, height: h, channels: 3, format: 'bgr8', data: bgr }, depth, visibleBoxes: boxes };
  }

  /** Amodal 2D box of each object: all six faces, near-clipped, clipped to the grid, through the lens. */
  #projectBoxes(surfaces: readonly Surface[], objectCount: number, odomToCam: mat4): Float64Array {
    const { width: w, height: h, fx, fy, cx, cy } = this.#cam;
    const { xMin, xMax, yMin, yMax } = this.#rays.bounds;
    const d = this.#cam.distortion?.d as PlumbBob | undefined;
    const boxes = new Float64Array(objectCount * 4).fill(NaN);
    const xy = [0, 0];
    const include = (owner: number, x: number, y: number) => {
      if (d) distort(d, x, y, xy);
      else [xy[0], xy[1]] = [x, y];
      const u = Math.min(w - 0.5, Math.max(-0.5, fx * xy[0] + cx));
      const v = Math.min(h - 0.5, Math.max(-0.5, fy * xy[1] + cy));
      const b = owner * 4;
      if (Number.isNaN(boxes[b])) {
        boxes.set([u, v, u, v], b);
      } else {
        boxes[b] = Math.min(boxes[b], u);
        boxes[b + 1] = Math.min(boxes[b + 1], v);
        boxes[b + 2] = Math.max(boxes[b + 2], u);
        boxes[b + 3] = Math.max(boxes[b + 3], v);
      }
    };
    for (const s of surfaces) {
      if (s.owner < 0) continue;
      const n = this.#toCamera(s, odomToCam);
      const m = clipNear(this.#poly, n, this.#clipped);
      if (m < 3) continue;
      for (let v = 0; v < m; v++) {
        this.#xy[v * 2] = this.#clipped[v * 3] / this.#clipped[v * 3 + 2];
        this.#xy[v * 2 + 1] = this.#clipped[v * 3 + 1] / this.#clipped[v * 3 + 2];
      }
      const q = clipRect(this.#xy, m, xMin, xMax, yMin, yMax, this.#xyClip, this.#xyTmp);
      if (q < 3) continue;
      const steps = d ? EDGE_SAMPLES : 1;
      for (let v = 0; v < q; v++) {
        const ax = this.#xyClip[v * 2];
        const ay = this.#xyClip[v * 2 + 1];
        const bx = this.#xyClip[((v + 1) % q) * 2];
        const by = this.#xyClip[((v + 1) % q) * 2 + 1];
        for (let t = 0; t < steps; t++) include(s.owner, ax + ((bx - ax) * t) / steps, ay + ((by - ay) * t) / steps);
      }
    }
    return boxes;
  }

  /** Writes the surface's corners in the optical frame into #poly; returns the vertex count. */
  #toCamera(s: Surface, m: mat4): number {
    s.corners.forEach(([x, y, z], v) => {
      this.#poly[v * 3] = m[0] * x + m[4] * y + m[8] * z + m[12];
      this.#poly[v * 3 + 1] = m[1] * x + m[5] * y + m[9] * z + m[13];
      this.#poly[v * 3 + 2] = m[2] * x + m[6] * y + m[10] * z + m[14];
    });
    return s.corners.length;
  }
}

/**
 * Writes into bgr[p..p+2] the photo crop bilinearly sampled at texel (u, v) (pixel centres at
 * half-integers, clamped to the crop's edge), each channel scaled by table[rgb..rgb+2] / 255.
 */
function samplePhoto(photo: Raster<Uint8Array>, u: number, v: number, table: Float64Array, rgb: number, bgr: Uint8Array, p: number): void {
  const { width: w, height: h, data } = photo;
  const x = Math.min(w - 1, Math.max(0, u - 0.5));
  const y = Math.min(h - 1, Math.max(0, v - 0.5));
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const a = (y0 * w + x0) * 3;
  const b = x0 < w - 1 ? a + 3 : a;
  const rowStep = y0 < h - 1 ? w * 3 : 0;
  for (let ch = 0; ch < 3; ch++) {
    const top = data[a + ch] + (data[b + ch] - data[a + ch]) * fx;
    const bottom = data[a + rowStep + ch] + (data[b + rowStep + ch] - data[a + rowStep + ch]) * fx;
    bgr[p + 2 - ch] = (top + (bottom - top) * fy) * (table[rgb + ch] / 255);
  }
}
