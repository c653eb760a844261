// The plumb_bob (Brown-Conrady) lens model used by ROS CameraInfo: d = [k1, k2, p1, p2, k3],
// applied to normalised image coordinates (x = X/Z, y = Y/Z) before the intrinsics.

export type PlumbBob = readonly [number, number, number, number, number];

/** Distorts normalised coordinates; writes [xd, yd] into `out` and returns it. */
export function distort(d: PlumbBob, x: number, y: number, out: Float64Array | number[] = [0, 0]): Float64Array | number[] {
  const [k1, k2, p1, p2, k3] = d;
  const r2 = x * x + y * y;
  const radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3));
  out[0] = x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x);
  out[1] = y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y;
  return out;
}

/**
 * Inverts `distort` by fixed-point iteration (as OpenCV's undistortPoints does), which converges
 * for the mild distortion of real lenses. Throws when it does not converge to 1e-9, because a
 * wrong ray would silently corrupt the ground-truth depth.
 */
export function undistort(d: PlumbBob, xd: number, yd: number, out: Float64Array | number[] = [0, 0]): Float64Array | number[] {
  let x = xd;
  let y = yd;
  const tmp = [0, 0];
  for (let i = 0; i < 100; i++) {
    distort(d, x, y, tmp);
    const ex = tmp[0] - xd;
    const ey = tmp[1] - yd;
    if (Math.abs(ex) < 1e-12 && Math.abs(ey) < 1e-12) break;
    x -= ex;
    y -= ey;
  }
  distort(d, x, y, tmp);
  if (Math.abs(tmp[0] - xd) > 1e-9 || Math.abs(tmp[1] - yd) > 1e-9) {
    throw new Error(
      `undistort: plumb_bob d = [${d.join(', ')}] does not invert at (${xd}, ${yd}); the distortion is too strong for this field of view`,
    );
  }
  out[0] = x;
  out[1] = y;
  return out;
}
