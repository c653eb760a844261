// What a disparity map becomes for the rest of the system: metric depth, the ROS messages a
// stereo pair publishes (stereo_msgs/DisparityImage, a 32FC1 depth Image and its CameraInfo),
// and a validity mask image. Pure functions; the ROS shell only publishes what they return.
import type { Pinhole } from '../geometry/pinhole';
import type { CameraInfo, DisparityImage, Header, Image, RegionOfInterest } from '../msgs/types';
import type { DisparityResult } from './sgm_stereo';

/** Rectified stereo geometry: the left camera's focal length in pixels and the baseline in metres. */
export interface StereoGeometry {
  fx: number;
  baseline: number;
}

function checkGeometry(g: StereoGeometry, what: string): void {
  if (!(g.fx > 0) || !Number.isFinite(g.fx)) throw new RangeError(`${what}: fx = ${g.fx}; expected a positive focal length in pixels`);
  if (!(g.baseline > 0) || !Number.isFinite(g.baseline)) {
    throw new RangeError(`${what}: baseline = ${g.baseline}; expected a positive distance in metres`);
  }
}

/**
 * Depth along the optical axis, z = fx * B / d, per pixel (metres); NaN where the disparity is
 * invalid or not positive (a point at or beyond infinity).
 */
export function disparityToDepth(d: DisparityResult, g: StereoGeometry): Float32Array {
  checkGeometry(g, 'disparityToDepth');
  const fb = g.fx * g.baseline;
  const out = new Float32Array(d.disparity.length);
  for (let i = 0; i < out.length; i++) {
    const v = d.disparity[i];
    out[i] = d.valid[i] !== 0 && v > 0 ? fb / v : NaN;
  }
  return out;
}

function floatImage(header: Header, width: number, height: number, values: Float32Array): Image {
  if (values.length !== width * height) {
    throw new RangeError(`floatImage: ${values.length} values for a ${width}x${height} image`);
  }
  return {
    header,
    height,
    width,
    encoding: '32FC1',
    // Typed arrays are little-endian on every platform Node.js runs on.
    is_bigendian: 0,
    step: 4 * width,
    data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

/** A sensor_msgs/Image (32FC1, metres, NaN = unknown) over `depth` without copying it. */
export function depthImageMessage(header: Header, width: number, height: number, depth: Float32Array): Image {
  return floatImage(header, width, height, depth);
}

/** The CameraInfo of a rectified (distortion-free) image with intrinsics `k`. */
export function rectifiedCameraInfo(header: Header, k: Pinhole): CameraInfo {
  return {
    header,
    height: k.height,
    width: k.width,
    distortion_model: 'plumb_bob',
    d: [0, 0, 0, 0, 0],
    k: [k.fx, 0, k.cx, 0, k.fy, k.cy, 0, 0, 1],
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: [k.fx, 0, k.cx, 0, 0, k.fy, k.cy, 0, 0, 0, 1, 0],
    binning_x: 0,
    binning_y: 0,
    roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
  };
}

/**
 * The window where a disparity can be valid: columns left of minDisparity + numDisparities - 1
 * cannot search the whole range, and the 5x5 Census loses 2 px at every border.
 */
export function validWindow(d: DisparityResult): RegionOfInterest {
  const x0 = Math.min(d.width, Math.max(0, d.minDisparity + d.numDisparities - 1) + 2);
  const x1 = Math.max(x0, d.width - Math.max(0, d.minDisparity) - 2);
  return { x_offset: x0, y_offset: 2, width: x1 - x0, height: Math.max(0, d.height - 4), do_rectify: false };
}

/**
 * A stereo_msgs/DisparityImage. Invalid pixels hold min_disparity - 1, which the message
 * defines as invalid ("any disparity less than min_disparity"). delta_d is the resolution the
 * caller claims for sub-pixel values (OpenCV's SGBM publishes 1/16).
 */
export function disparityImageMessage(header: Header, d: DisparityResult, g: StereoGeometry, deltaD = 1 / 16): DisparityImage {
  checkGeometry(g, 'disparityImageMessage');
  const invalid = d.minDisparity - 1;
  const values = new Float32Array(d.disparity.length);
  for (let i = 0; i < values.length; i++) values[i] = d.valid[i] !== 0 ? d.disparity[i] : invalid;
  return {
    header,
    image: floatImage(header, d.width, d.height, values),
    f: g.fx,
    t: g.baseline,
    valid_window: validWindow(d),
    min_disparity: d.minDisparity,
    max_disparity: d.minDisparity + d.numDisparities - 1,
    delta_d: deltaD,
  };
}

/** A mono8 sensor_msgs/Image of the validity mask: 255 where the disparity is valid, else 0. */
export function validityMaskMessage(header: Header, d: DisparityResult): Image {
  const data = new Uint8Array(d.valid.length);
  for (let i = 0; i < data.length; i++) data[i] = d.valid[i] !== 0 ? 255 : 0;
  return { header, height: d.height, width: d.width, encoding: 'mono8', is_bigendian: 0, step: d.width, data };
}
