// Lens distortion on normalised image coordinates (x = X/Z, y = Y/Z), with OpenCV's formulas so
// results match cv::projectPoints / cv::undistortPoints / cv::fisheye to rounding:
// - plumb_bob: k1 k2 p1 p2 k3 (Brown-Conrady); rational_polynomial: k1 k2 p1 p2 k3 k4 k5 k6;
// - equidistant: k1 k2 k3 k4 (Kannala-Brandt, cv::fisheye), applied to the angle from the axis.
// All coefficient vectors are normalised to their full length by the caller (CameraModel).

export type DistortionModel = 'plumb_bob' | 'rational_polynomial' | 'equidistant';

/** Number of coefficients each model uses; CameraInfo D may also be empty (no distortion). */
export const DISTORTION_LENGTHS: Record<DistortionModel, readonly number[]> = {
  plumb_bob: [5, 4],
  rational_polynomial: [8],
  equidistant: [4],
};

/** Full coefficient count per model (shorter accepted vectors are zero-padded to it). */
export const DISTORTION_SIZE: Record<DistortionModel, number> = { plumb_bob: 8, rational_polynomial: 8, equidistant: 4 };

/** Fixed-point iterations of undistortion stop when a step moves less than this (normalised units). */
const UNDISTORT_EPS = 1e-15;
const UNDISTORT_MAX_ITERATIONS = 100;

/**
 * Distorts normalised (x, y) into out[0..1]. For equidistant, (x, y, z) is used so rays at or
 * beyond 90 degrees still map (pass z = 1 for a normalised point); pinhole models need z > 0.
 */
export function distortPoint(model: DistortionModel, d: Float64Array, x: number, y: number, out: Float64Array, z = 1): void {
  if (model === 'equidistant') {
    const r = Math.hypot(x, y);
    if (r < 1e-12 * Math.abs(z)) {
      out[0] = x / z;
      out[1] = y / z;
      return;
    }
    const theta = Math.atan2(r, z);
    const t2 = theta * theta;
    const thetaD = theta * (1 + t2 * (d[0] + t2 * (d[1] + t2 * (d[2] + t2 * d[3]))));
    out[0] = (thetaD / r) * x;
    out[1] = (thetaD / r) * y;
    return;
  }
  const r2 = x * x + y * y;
  const radial = (1 + r2 * (d[0] + r2 * (d[1] + r2 * d[4]))) / (1 + r2 * (d[5] + r2 * (d[6] + r2 * d[7])));
  const xy = x * y;
  out[0] = x * radial + 2 * d[2] * xy + d[3] * (r2 + 2 * x * x);
  out[1] = y * radial + d[2] * (r2 + 2 * y * y) + 2 * d[3] * xy;
}

/**
 * Inverts distortPoint: distorted normalised (xd, yd) -> undistorted normalised coordinates in
 * out[0..1], by OpenCV's own iterations (fixed point for plumb_bob/rational, Newton on the angle
 * for equidistant) run to convergence instead of OpenCV's default 5 / 10 steps.
 * For equidistant, out[2] receives the angle from the optical axis, valid even past 90 degrees.
 * `maxIterations` = 5 reproduces OpenCV's default cv::undistortPoints, which cv::stereoRectify uses.
 */
export function undistortPoint(
  model: DistortionModel,
  d: Float64Array,
  xd: number,
  yd: number,
  out: Float64Array,
  maxIterations = UNDISTORT_MAX_ITERATIONS,
): void {
  if (model === 'equidistant') {
    const thetaD = Math.hypot(xd, yd);
    let theta = thetaD;
    for (let i = 0; i < maxIterations; i++) {
      const t2 = theta * theta;
      const f = theta * (1 + t2 * (d[0] + t2 * (d[1] + t2 * (d[2] + t2 * d[3])))) - thetaD;
      const df = 1 + t2 * (3 * d[0] + t2 * (5 * d[1] + t2 * (7 * d[2] + t2 * 9 * d[3])));
      const step = f / df;
      theta -= step;
      if (Math.abs(step) < UNDISTORT_EPS) break;
    }
    const scale = thetaD > 1e-15 ? Math.tan(theta) / thetaD : 1;
    out[0] = xd * scale;
    out[1] = yd * scale;
    out[2] = theta;
    return;
  }
  let x = xd;
  let y = yd;
  for (let i = 0; i < maxIterations; i++) {
    const r2 = x * x + y * y;
    const icdist = (1 + r2 * (d[5] + r2 * (d[6] + r2 * d[7]))) / (1 + r2 * (d[0] + r2 * (d[1] + r2 * d[4])));
    if (icdist < 0) {
      // Far outside the calibrated field, as in OpenCV: give up and keep the distorted point.
      x = xd;
      y = yd;
      break;
    }
    const dx = 2 * d[2] * x * y + d[3] * (r2 + 2 * x * x);
    const dy = d[2] * (r2 + 2 * y * y) + 2 * d[3] * x * y;
    const nx = (xd - dx) * icdist;
    const ny = (yd - dy) * icdist;
    const moved = Math.abs(nx - x) + Math.abs(ny - y);
    x = nx;
    y = ny;
    if (moved < UNDISTORT_EPS) break;
  }
  out[0] = x;
  out[1] = y;
  out[2] = Math.atan(Math.hypot(x, y));
}
