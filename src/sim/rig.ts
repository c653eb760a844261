// The camera rig: the default 4-camera layout and the transforms and CameraInfo every camera
// needs. Frames follow REP-103/105: base_link x forward, y left, z up; each camera has a body
// frame <cam>_link (same axes as base_link) and an optical frame <cam>_optical_frame (z forward,
// x right, y down).
import { mat4, quat } from 'gl-matrix';
import { bodyFromOptical } from '../geometry/rig';
export { toTransform } from '../geometry/rotation';
import type { CameraInfo, Header } from '../msgs/types';
import { mat4d, quatd } from './mat64';
import type { CameraSpec } from './camera_spec';

/**
 * The default rig: a forward stereo pair 12 cm apart (front_left / front_right) 0.25 m ahead of
 * base_link and 0.5 m up, and side cameras facing +90° (left) and -90° (right); 640×480,
 * fx = fy = 460 (about 70° horizontal field of view), no distortion.
 */
export function defaultRig(): CameraSpec[] {
  const cam = (name: string, position: [number, number, number], yawDeg: number): CameraSpec => ({
    name,
    width: 640,
    height: 480,
    fx: 460,
    fy: 460,
    cx: 319.5,
    cy: 239.5,
    position,
    rpy_deg: [0, 0, yawDeg],
  });
  return [
    cam('front_left', [0.25, 0.06, 0.5], 0),
    cam('front_right', [0.25, -0.06, 0.5], 0),
    cam('left', [0.0, 0.15, 0.5], 90),
    cam('right', [0.0, -0.15, 0.5], -90),
  ];
}

/** The TF frame names of a camera. */
export function cameraFrames(cam: CameraSpec): { link: string; optical: string } {
  return { link: `${cam.name}_link`, optical: `${cam.name}_optical_frame` };
}

/** Pose of the camera body frame in base_link (maps <cam>_link coordinates to base_link). */
export function linkInBase(cam: CameraSpec): mat4 {
  const [r, p, y] = cam.rpy_deg;
  const q = quat.fromEuler(quatd(), r, p, y, 'zyx');
  return mat4.fromRotationTranslation(mat4d(), q, cam.position);
}

/** Fixed body -> optical rotation: optical z = body x, optical x = -body y, optical y = -body z. */
export function opticalInLink(): mat4 {
  return bodyFromOptical();
}

/** Pose of the optical frame in base_link (maps optical coordinates to base_link). */
export function opticalInBase(cam: CameraSpec): mat4 {
  return mat4.multiply(mat4d(), linkInBase(cam), opticalInLink());
}

/** The CameraInfo of a camera (raw image: R = identity, P = [K | 0]). */
export function cameraInfo(cam: CameraSpec, header: Header): CameraInfo {
  const { fx, fy, cx, cy } = cam;
  return {
    header,
    height: cam.height,
    width: cam.width,
    distortion_model: 'plumb_bob',
    d: cam.distortion ? [...cam.distortion.d] : [0, 0, 0, 0, 0],
    k: [fx, 0, cx, 0, fy, cy, 0, 0, 1],
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: [fx, 0, cx, 0, 0, fy, cy, 0, 0, 0, 1, 0],
    binning_x: 0,
    binning_y: 0,
    roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
  };
}
