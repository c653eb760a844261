// Stereo rectification of two cameras with overlapping views: the equivalent of cv::stereoRectify
// (same steps, same rounding where it shows: OpenCV's 5-step undistortion and float32 points),
// plus the shortcut for a pair whose CameraInfos already carry a joint rectification.
import type { mat4 } from 'gl-matrix';
import type { CameraModel } from './camera_model';
import type { RemapMaps } from './remap';
import type { Pinhole } from './pinhole';
import { mul3, mulVec3, rotationMatrix, rotationVector, splitTransform, transpose3 } from './rotation';

export interface StereoRectifyOptions {
  /** OpenCV's alpha: < 0 keeps the default scaling, 0 crops to valid pixels, 1 keeps all pixels. */
  alpha?: number;
  /** Same principal point in both rectified images (OpenCV CALIB_ZERO_DISPARITY). Default true. */
  zeroDisparity?: boolean;
  /** Largest angle between the two optical axes still treated as overlapping views (rad). */
  maxAxisAngleRad?: number;
}

export interface StereoRectification {
  /** Row-major 3x3 rotations from each raw camera frame to its rectified frame. */
  R1: Float64Array;
  R2: Float64Array;
  /** Row-major 3x4 projections of the rectified images; P2[3] = -fx * baseline. */
  P1: Float64Array;
  P2: Float64Array;
  /** Row-major 4x4 disparity-to-depth matrix, as cv::stereoRectify's Q. */
  Q: Float64Array;
  /** Distance between the optical centres, in the unit of the transform (metres). */
  baseline: number;
  leftMaps: RemapMaps;
  rightMaps: RemapMaps;
  /** Shared pinhole of both rectified images (the left one's principal point). */
  pinhole: Pinhole;
}

const OPENCV_UNDISTORT_ITERATIONS = 5;
const DEFAULTS: Required<StereoRectifyOptions> = { alpha: -1, zeroDisparity: true, maxAxisAngleRad: Math.PI / 4 };

function pairName(left: CameraModel, right: CameraModel): string {
  return `stereoRectify("${left.name}", "${right.name}")`;
}

/**
 * Computes the joint rectification of `left` and `right`, where `rightFromLeft` maps points of
 * the left optical frame into the right one (OpenCV's R, T). Throws an Error naming the pair
 * when the images differ in size, the baseline is zero or vertical, or the views do not overlap.
 */
export function stereoRectify(
  left: CameraModel,
  right: CameraModel,
  rightFromLeft: mat4,
  options: StereoRectifyOptions = {},
): StereoRectification {
  const { alpha, zeroDisparity, maxAxisAngleRad } = { ...DEFAULTS, ...options };
  const name = pairName(left, right);
  if (left.width !== right.width || left.height !== right.height) {
    throw new Error(`${name}: image sizes differ (${left.width}x${left.height} vs ${right.width}x${right.height}); expected equal sizes`);
  }
  const { R, t: T } = splitTransform(rightFromLeft);
  const baselineLength = Math.hypot(T[0], T[1], T[2]);
  if (!(baselineLength > 1e-9)) throw new Error(`${name}: baseline is ${baselineLength} m; expected two distinct optical centres`);
  const om = rotationVector(R);
  const axisAngle = Math.hypot(om[0], om[1], om[2]);
  if (axisAngle > maxAxisAngleRad) {
    throw new Error(
      `${name}: optical axes differ by ${((axisAngle * 180) / Math.PI).toFixed(1)} deg (> ${((maxAxisAngleRad * 180) / Math.PI).toFixed(1)}); ` +
        'the views do not overlap enough to rectify',
    );
  }

  // Rotate both cameras half way towards each other, then align the baseline with x.
  const rR = rotationMatrix(Float64Array.from(om, (v) => v * -0.5));
  let t = mulVec3(rR, T);
  const idx = Math.abs(t[0]) > Math.abs(t[1]) ? 0 : 1;
  if (idx !== 0) {
    throw new Error(
      `${name}: the baseline (${Array.from(T)
        .map((v) => v.toFixed(3))
        .join(', ')}) is vertical; expected a horizontal pair`,
    );
  }
  const c = t[idx];
  const uu = Float64Array.of(0, 0, 0);
  uu[idx] = c > 0 ? 1 : -1;
  const ww = Float64Array.of(t[1] * uu[2] - t[2] * uu[1], t[2] * uu[0] - t[0] * uu[2], t[0] * uu[1] - t[1] * uu[0]);
  const nw = Math.hypot(ww[0], ww[1], ww[2]);
  const scaleW = nw > 0 ? Math.acos(Math.min(1, Math.abs(c) / baselineLength)) / nw : 0;
  const wR = rotationMatrix(Float64Array.from(ww, (v) => v * scaleW));
  const R1 = mul3(wR, transpose3(rR));
  const R2 = mul3(wR, rR);
  t = mulVec3(R2, T);

  // OpenCV 4.6 (Debian's, the reference) takes the mean focal length across the baseline
  // direction; older releases took the minimum, shrunk by k1 when negative.
  let fcNew = (left.K[(idx ^ 1) * 4] + right.K[(idx ^ 1) * 4]) / 2;
  const cc = [left, right].map((cam, k) => cornerCentre(cam, k === 0 ? R1 : R2, fcNew));
  if (zeroDisparity) {
    cc[0][0] = cc[1][0] = (cc[0][0] + cc[1][0]) * 0.5;
    cc[0][1] = cc[1][1] = (cc[0][1] + cc[1][1]) * 0.5;
  } else {
    cc[0][1] = cc[1][1] = (cc[0][1] + cc[1][1]) * 0.5;
  }
  const projection = (k: number, tx: number): Float64Array => Float64Array.of(fcNew, 0, cc[k][0], tx, 0, fcNew, cc[k][1], 0, 0, 0, 1, 0);
  let P1 = projection(0, 0);
  let P2 = projection(1, t[idx] * fcNew);

  if (alpha >= 0) {
    const s = alphaScale(left, right, R1, R2, P1, P2, Math.min(alpha, 1));
    fcNew *= s;
    P1 = projection(0, 0);
    P2 = projection(1, t[idx] * fcNew);
  }
  const Q = Float64Array.of(1, 0, 0, -cc[0][0], 0, 1, 0, -cc[0][1], 0, 0, 0, fcNew, 0, 0, -1 / t[idx], (cc[0][0] - cc[1][0]) / t[idx]);
  const leftRect = left.withRectification(R1, P1);
  const rightRect = right.withRectification(R2, P2);
  return {
    R1,
    R2,
    P1,
    P2,
    Q,
    baseline: Math.abs(t[idx]),
    leftMaps: leftRect.rectificationMaps(),
    rightMaps: rightRect.rectificationMaps(),
    pinhole: leftRect.pinhole(),
  };
}

/**
 * Whether the CameraInfos of `left` and `right` already form a rectified pair, as a calibrated
 * stereo driver publishes them: same rectified fx, fy and cy, left Tx = 0, right Tx = -fx * B
 * with B > 0, no Ty. Such a pair is used as is (rectifiedPairAsIs) instead of re-rectified.
 */
export function isRectifiedPair(left: CameraModel, right: CameraModel, tolerancePx = 1e-3): boolean {
  const a = left.P;
  const b = right.P;
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= tolerancePx;
  return (
    left.width === right.width &&
    left.height === right.height &&
    close(a[0], b[0]) &&
    close(a[5], b[5]) &&
    close(a[6], b[6]) &&
    close(a[3], 0) &&
    close(a[7], 0) &&
    close(b[7], 0) &&
    b[3] < -tolerancePx &&
    a[8] === 0 &&
    a[9] === 0 &&
    a[10] === 1 &&
    b[8] === 0 &&
    b[9] === 0 &&
    b[10] === 1
  );
}

/** The rectification a rectified pair already carries (each camera's own R and P). Throws if it is not one. */
export function rectifiedPairAsIs(left: CameraModel, right: CameraModel): StereoRectification {
  if (!isRectifiedPair(left, right)) {
    throw new Error(
      `${pairName(left, right)}: CameraInfo P matrices do not form a rectified pair (left P = [${Array.from(left.P).join(', ')}], ` +
        `right P = [${Array.from(right.P).join(', ')}]); expected equal fx, fy, cy, left Tx = 0 and right Tx = -fx * baseline < 0`,
    );
  }
  const P1 = Float64Array.from(left.P);
  const P2 = Float64Array.from(right.P);
  const baseline = -P2[3] / P2[0];
  const Q = Float64Array.of(1, 0, 0, -P1[2], 0, 1, 0, -P1[6], 0, 0, 0, P1[0], 0, 0, 1 / baseline, (P1[2] - P2[2]) / -baseline);
  return {
    R1: Float64Array.from(left.R),
    R2: Float64Array.from(right.R),
    P1,
    P2,
    Q,
    baseline,
    leftMaps: left.rectificationMaps(),
    rightMaps: right.rectificationMaps(),
    pinhole: left.pinhole(),
  };
}

/**
 * OpenCV's principal point of one rectified view: centre of the image minus the mean of the four
 * corners undistorted (5 steps, float32 as in OpenCV), rotated by Rk and projected with focal fc.
 */
function cornerCentre(cam: CameraModel, Rk: Float64Array, fc: number): [number, number] {
  const nx = cam.width;
  const ny = cam.height;
  const s = new Float64Array(3);
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < 4; i++) {
    cam.undistortPixel(Math.fround((i % 2) * (nx - 1)), Math.fround((i < 2 ? 0 : 1) * (ny - 1)), s, OPENCV_UNDISTORT_ITERATIONS);
    const p = mulVec3(Rk, [Math.fround(s[0]), Math.fround(s[1]), 1]);
    sx += Math.fround((fc * p[0]) / p[2]);
    sy += Math.fround((fc * p[1]) / p[2]);
  }
  return [(nx - 1) / 2 - sx / 4, (ny - 1) / 2 - sy / 4];
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** OpenCV's icvGetRectangles: inscribed and bounding rectangles of the rectified image border. */
function rectangles(cam: CameraModel, Rk: Float64Array, Pk: Float64Array): { inner: Rect; outer: Rect } {
  const N = 9;
  const s = new Float64Array(3);
  let [iX0, iX1, iY0, iY1] = [-Infinity, Infinity, -Infinity, Infinity];
  let [oX0, oX1, oY0, oY1] = [Infinity, -Infinity, Infinity, -Infinity];
  const KR = mul3(Float64Array.of(Pk[0], Pk[1], Pk[2], Pk[4], Pk[5], Pk[6], Pk[8], Pk[9], Pk[10]), Rk);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      cam.undistortPixel(Math.fround((x * cam.width) / (N - 1)), Math.fround((y * cam.height) / (N - 1)), s, OPENCV_UNDISTORT_ITERATIONS);
      const q = mulVec3(KR, [s[0], s[1], 1]);
      const px = Math.fround(q[0] / q[2]);
      const py = Math.fround(q[1] / q[2]);
      oX0 = Math.min(oX0, px);
      oX1 = Math.max(oX1, px);
      oY0 = Math.min(oY0, py);
      oY1 = Math.max(oY1, py);
      if (x === 0) iX0 = Math.max(iX0, px);
      if (x === N - 1) iX1 = Math.min(iX1, px);
      if (y === 0) iY0 = Math.max(iY0, py);
      if (y === N - 1) iY1 = Math.min(iY1, py);
    }
  }
  const rect = (x0: number, y0: number, x1: number, y1: number): Rect => ({
    x: x0,
    y: y0,
    w: Math.fround(x1 - x0),
    h: Math.fround(y1 - y0),
  });
  return { inner: rect(iX0, iY0, iX1, iY1), outer: rect(oX0, oY0, oX1, oY1) };
}

/** OpenCV's focal scale for alpha: 0 keeps only valid pixels, 1 keeps every source pixel. */
function alphaScale(
  left: CameraModel,
  right: CameraModel,
  R1: Float64Array,
  R2: Float64Array,
  P1: Float64Array,
  P2: Float64Array,
  alpha: number,
): number {
  const W = left.width;
  const H = left.height;
  let s0 = -Infinity;
  let s1 = Infinity;
  for (const [cam, Rk, Pk] of [
    [left, R1, P1],
    [right, R2, P2],
  ] as const) {
    const { inner, outer } = rectangles(cam, Rk, Pk);
    const cx = Pk[2];
    const cy = Pk[6];
    s0 = Math.max(s0, cx / (cx - inner.x), cy / (cy - inner.y), (W - cx) / (inner.x + inner.w - cx), (H - cy) / (inner.y + inner.h - cy));
    s1 = Math.min(s1, cx / (cx - outer.x), cy / (cy - outer.y), (W - cx) / (outer.x + outer.w - cx), (H - cy) / (outer.y + outer.h - cy));
  }
  return s0 * (1 - alpha) + s1 * alpha;
}
