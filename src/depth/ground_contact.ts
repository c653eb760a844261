// Metric range for learned (monocular) depth from where obstacles meet the ground. A learned
// depth map is good at telling floor from obstacle but its absolute range is coarse (10-25 %),
// which puts obstacle points half a metre off at 5 m. Where an obstacle stands on the floor, the
// image row of its ground contact fixes its range exactly through the ground plane and the
// camera's mount. Per image column: walk up from the bottom until the learned depth leaves the
// floor (giving up where it says something impossibly far: the model missed what is there),
// find the contact as the farthest row, in the rows the learned depth allows, where the column
// stops looking like the floor below it, range it on the ground plane and give the surface above
// it (as far as the learned depth says it is one surface) that range, assuming it stands
// vertical and faces the camera. Columns where no contact can be found give no points: no
// return rather than a guess.
import type { mat4 } from 'gl-matrix';
import type { Pinhole } from '../geometry/pinhole';
import type { Raster } from '../io/raster';
import type { GroundPlane } from './ground_plane';

/** Learned depth below this share of the floor's depth at its pixel is an obstacle, not floor. */
const FLOOR_RATIO = 0.8;
/** Learned depth beyond this share of the floor's depth cannot be floor: the model missed what is there. */
const FAR_RATIO = 1.5;
/** Rows of obstacle in a row that start a surface (one row may be noise). */
const MIN_RUN = 4;
/** The contact is searched where the floor's depth is within this share of the surface's learned depth. */
const CONTACT_WINDOW = 0.35;
/** Learned depth within this share of the surface's belongs to the same surface. */
const SAME_SURFACE = 0.25;
/** Rows that may break the surface before it ends (texture, noise). */
const SURFACE_GAP = 3;
/** Weakest contact edge accepted: mean absolute colour step per channel and column (0..255). */
const MIN_EDGE = 6;
/** Columns either side whose colour steps are summed (texture averages out along the edge). */
const EDGE_HALF_WIDTH = 2;
/** Columns either side whose contacts a column's must agree with, and how closely (share of range). */
const NEIGHBOURS = 4;
const NEIGHBOUR_AGREEMENT = 0.05;
/** Rows above and below a candidate contact whose mean colours are compared. */
const EDGE_ROWS = 4;
/** A candidate contact this share as strong as the strongest one, farther away, is the contact. */
const FARTHEST_SHARE = 0.5;
/** A colour step above the contact this large (mean absolute step per channel, 0..255) ends the surface. */
const TOP_STEP = 18;

type Plane = Pick<GroundPlane, 'normal' | 'd'>;

/**
 * Depth (metres along the optical axis, NaN = no point) for the obstacle surfaces of a learned
 * depth map `depth` (the camera's pixel grid, intrinsics `k`) whose ground contact is visible in
 * `image`; floor and unranged pixels are NaN. `ground` in base_link (z = 0 when undefined).
 * With `stride`, only every stride-th column is ranged (the others NaN), for a strided point cloud.
 */
export function groundContactDepth(
  depth: Float32Array,
  image: Raster,
  k: Pinhole,
  baseFromCamera: mat4,
  ground: Plane | undefined,
  maxRange: number,
  stride = 1,
): Float32Array {
  const W = k.width,
    H = k.height;
  if (image.width !== W || image.height !== H || depth.length !== W * H) {
    throw new RangeError(
      `groundContactDepth: image ${image.width}x${image.height} and depth of ${depth.length} values; the camera is ${W}x${H}`,
    );
  }
  const m = baseFromCamera;
  const n = ground?.normal ?? [0, 0, 1];
  const d = ground?.d ?? 0;
  // Height of the camera centre above the ground, and n·R (the ground normal in camera axes).
  const h0 = n[0] * m[12] + n[1] * m[13] + n[2] * m[14] + d;
  const nr = [0, 1, 2].map((c) => n[0] * m[4 * c] + n[1] * m[4 * c + 1] + n[2] * m[4 * c + 2]);
  const out = new Float32Array(W * H).fill(NaN);
  if (!(h0 > 0)) return out;
  const colour = Math.min(3, image.channels);
  const px = image.data;
  const contactRow = new Int32Array(W).fill(-1);
  const contactDepth = new Float64Array(W).fill(NaN);
  const surfaceTop = new Int32Array(W);
  const surfaceDepth = new Float64Array(W);
  const surfaceEnd = new Int32Array(W);
  /** Running sums (per channel) of the column band's rows, from the first row searched. */
  const cum = new Float64Array(3 * (H + 1));
  const score = new Float64Array(H);
  for (let u = 0; u < W; u += stride) {
    const a = (u - k.cx) / k.fx;
    // Optical depth of the floor seen at row v: the ray (a, b, 1) meets the ground at h0 / -(n·R (a, b, 1)).
    const floorDepth = (v: number) => {
      const den = -(nr[0] * a + nr[1] * ((v - k.cy) / k.fy) + nr[2]);
      return den > 0 ? h0 / den : Infinity;
    };
    // The row where the floor is z away (inverse of floorDepth).
    const rowOfDepth = (z: number) => k.cy + k.fy * ((h0 / z + nr[0] * a + nr[2]) / -nr[1]);
    // 1. The first run of obstacle rows from the bottom.
    let run = 0,
      farRun = 0,
      top = -1;
    for (let v = H - 1; v >= 0; v--) {
      const z = depth[v * W + u];
      const fd = floorDepth(v);
      run = z > 0 && z < FLOOR_RATIO * fd ? run + 1 : 0;
      // Farther than the floor could be: the learned depth is wrong here (an object it missed).
      farRun = !(z > 0) || z > FAR_RATIO * fd ? farRun + 1 : 0;
      if (farRun === MIN_RUN && fd < maxRange) break;
      if (run === MIN_RUN) {
        top = v;
        break;
      }
    }
    if (top < 0 || top + MIN_RUN - 1 >= H - 1 || !(nr[1] < 0)) continue;
    const samples: number[] = [];
    for (let v = top + MIN_RUN - 1; v >= Math.max(0, top - 12); v--) if (depth[v * W + u] > 0) samples.push(depth[v * W + u]);
    samples.sort((p, q) => p - q);
    const zf = samples[samples.length >> 1];
    // 2. The contact: where the column stops looking like the floor below it. Its row is looked
    // for where the floor is zf * (1 ± window) away, or as far from the row where the learned
    // depth leaves the floor: either alone misses the contact by a fifth of its range too often.
    const zb = floorDepth(top + MIN_RUN - 1);
    const vNear = Math.min(H - 2, Math.floor(rowOfDepth(Math.min(zf, zb) * (1 - CONTACT_WINDOW))));
    const vFar = Math.max(1, Math.ceil(rowOfDepth(Math.min(maxRange, Math.max(zf, zb) * (1 + CONTACT_WINDOW)))));
    let best = -1,
      bestRow = -1;
    // Running sums (per channel) of the column band's rows from the first row searched to the
    // bottom: the mean colours of EDGE_ROWS rows above and below a row, and of the floor below it.
    const v0 = Math.max(EDGE_ROWS, vFar),
      v1 = Math.min(H - EDGE_ROWS, vNear);
    if (v0 > v1) continue;
    // From the top row: the object's top is looked for above its contact (below).
    const r0 = 0;
    for (let r = r0; r < H; r++) {
      const at = (r - r0) * 3;
      for (let c = 0; c < colour; c++) {
        let sum = 0;
        for (let du = -EDGE_HALF_WIDTH; du <= EDGE_HALF_WIDTH; du++)
          sum += px[(r * W + Math.min(W - 1, Math.max(0, u + du))) * image.channels + c];
        cum[at + 3 + c] = cum[at + c] + sum;
      }
    }
    const end = (H - r0) * 3;
    // A contact has the floor's colour below it and another above it; a step in the floor's own
    // texture (tiles, checker) has floor both sides, the top edge of an object has none below.
    for (let v = v0; v <= v1; v++) {
      const i = (v - r0) * 3;
      let e = 0;
      for (let c = 0; c < colour; c++) {
        const floor = (cum[end + c] - cum[i + c]) / (H - v);
        const above = (cum[i + c] - cum[i - 3 * EDGE_ROWS + c]) / EDGE_ROWS;
        const below = (cum[i + 3 * EDGE_ROWS + c] - cum[i + c]) / EDGE_ROWS;
        e += Math.abs(above - floor) - Math.abs(below - floor);
      }
      score[v] = e;
      if (e > best) best = e;
    }
    // Steps in the floor lie below the contact: the farthest row nearly as strong as the best.
    for (let v = v0; v <= v1; v++) {
      if (score[v] >= FARTHEST_SHARE * best) {
        bestRow = v;
        break;
      }
    }
    // From the first row past the share to the peak of its step.
    while (bestRow >= 0 && bestRow < v1 && score[bestRow + 1] > score[bestRow]) bestRow++;
    if (bestRow < 0 || best < MIN_EDGE * colour * (2 * EDGE_HALF_WIDTH + 1)) continue;
    const zc = floorDepth(bestRow);
    if (!(zc <= maxRange)) continue;
    // The surface ends where the colour steps hard above the contact (an object's top edge
    // against what lies behind it), which the learned depth blurs across.
    let colourTop = 0;
    for (let v = bestRow - EDGE_ROWS; v >= EDGE_ROWS; v--) {
      const i = (v - r0) * 3;
      let e = 0;
      for (let c = 0; c < colour; c++) e += Math.abs(cum[i + 3 * EDGE_ROWS + c] - 2 * cum[i + c] + cum[i - 3 * EDGE_ROWS + c]);
      if (e > TOP_STEP * colour * EDGE_ROWS * (2 * EDGE_HALF_WIDTH + 1)) {
        colourTop = v;
        break;
      }
    }
    contactRow[u] = bestRow;
    contactDepth[u] = zc;
    surfaceEnd[u] = colourTop;
    surfaceTop[u] = top;
    surfaceDepth[u] = zf;
  }
  // 3. A contact must agree with its neighbours' (walls and objects are smooth along the floor);
  // a column whose strongest step was texture, not the contact, stands alone.
  for (let u = 0; u < W; u += stride) {
    const zc = contactDepth[u];
    if (!(zc > 0)) continue;
    const near: number[] = [];
    for (let du = -NEIGHBOURS; du <= NEIGHBOURS; du++) {
      const z = contactDepth[u + du * stride];
      if (du !== 0 && z > 0) near.push(z);
    }
    near.sort((p, q) => p - q);
    if (near.length < NEIGHBOURS || Math.abs(near[near.length >> 1] - zc) > NEIGHBOUR_AGREEMENT * zc) continue;
    const a = (u - k.cx) / k.fx;
    const zf = surfaceDepth[u],
      top = surfaceTop[u],
      bestRow = contactRow[u];
    // 4. The surface above the contact, on the vertical plane through the contact point that
    // faces the camera: its horizontal normal is the contact ray's horizontal direction.
    const b = (bestRow - k.cy) / k.fy;
    const ray = (bb: number): [number, number, number] =>
      [0, 1, 2].map((r) => m[r] * a + m[4 + r] * bb + m[8 + r]) as [number, number, number];
    const rc = ray(b);
    const up = n[0] * rc[0] + n[1] * rc[1] + n[2] * rc[2];
    const hx = rc[0] - up * n[0],
      hy = rc[1] - up * n[1],
      hz = rc[2] - up * n[2];
    const facing = hx * rc[0] + hy * rc[1] + hz * rc[2]; // n_h · (contact - camera) / zc
    const denA = hx * (m[0] * a + m[8]) + hy * (m[1] * a + m[9]) + hz * (m[2] * a + m[10]);
    const denB = hx * m[4] + hy * m[5] + hz * m[6];
    let gap = 0;
    for (let v = bestRow; v >= surfaceEnd[u]; v--) {
      const z = depth[v * W + u];
      const same = v > top || (z > 0 && Math.abs(z - zf) <= SAME_SURFACE * zf);
      gap = same ? 0 : gap + 1;
      if (gap > SURFACE_GAP) break;
      if (!same) continue;
      // h · ray(b) is linear in b: h · (a R0 + R2) + b h · R1.
      const den = denA + ((v - k.cy) / k.fy) * denB;
      if (den > 0) out[v * W + u] = (zc * facing) / den;
    }
  }
  return out;
}
