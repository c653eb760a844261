// Pixel maps between a camera's raw image and the distortion-free grids depth is computed on:
// a stereo pair's rectified image, or the camera's own K without distortion. Detections are
// found in raw pixels and read depth on these grids.
import type { CameraModel } from './camera_model';
import type { Pinhole } from './pinhole';
import type { RigCamera } from './rig';

/** Maps raw pixel (u, v) of `model` into the image rectified by R (row-major 3x3) and P (3x4). */
export function rectifyPixel(model: CameraModel, R: Float64Array, P: Float64Array, u: number, v: number): [number, number] {
  const ray = model.unprojectRay(u, v);
  const x = R[0] * ray[0] + R[1] * ray[1] + R[2] * ray[2];
  const y = R[3] * ray[0] + R[4] * ray[1] + R[5] * ray[2];
  const z = R[6] * ray[0] + R[7] * ray[1] + R[8] * ray[2];
  const w = P[8] * x + P[9] * y + P[10] * z + P[11];
  return [(P[0] * x + P[1] * y + P[2] * z + P[3]) / w, (P[4] * x + P[5] * y + P[6] * z + P[7]) / w];
}

/** The camera's own intrinsics K as a distortion-free pinhole (for undistorted pixel coordinates). */
export function rawPinhole(cam: RigCamera): Pinhole {
  const K = cam.model.K;
  return { fx: K[0], fy: K[4], cx: K[2], cy: K[5], width: cam.model.width, height: cam.model.height };
}

const IDENTITY3 = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);

/** Raw pixel -> undistorted pixel of the same camera (K, no rotation). */
export function undistorter(cam: RigCamera): (u: number, v: number) => [number, number] {
  const K = cam.model.K;
  const P = Float64Array.from([K[0], K[1], K[2], 0, K[3], K[4], K[5], 0, K[6], K[7], K[8], 0]);
  return (u, v) => rectifyPixel(cam.model, IDENTITY3, P, u, v);
}
