// A camera model from sensor_msgs/CameraInfo, like image_geometry's PinholeCameraModel: raw
// (distorted) pixels <-> optical-frame rays, rectified projection through P, and the maps that
// rectify a raw image. Binning and ROI are applied to K and P once, so every method works in the
// pixel coordinates of the image actually delivered. Numbers follow OpenCV (test/geometry).
import { vec3 } from 'gl-matrix';
import type { CameraInfo } from '../msgs/types';
import { DISTORTION_LENGTHS, DISTORTION_SIZE, distortPoint, undistortPoint, type DistortionModel } from './distortion';
import type { Pinhole } from './pinhole';
import type { RemapMaps } from './remap';
import { invert3 } from './rotation';

/** Intrinsics of the delivered image: fx, fy, cx, cy. */
type Intrinsics = Pick<Pinhole, 'fx' | 'fy' | 'cx' | 'cy'>;

export class CameraModel {
  readonly name: string;
  readonly frameId: string;
  readonly distortionModel: DistortionModel;
  /** Delivered image size (after ROI and binning). */
  readonly width: number;
  readonly height: number;
  /** 3x3 row-major intrinsics of the delivered image. */
  readonly K: Float64Array;
  /** Distortion coefficients, zero-padded to the model's full length (OpenCV order). */
  readonly D: Float64Array;
  /** 3x3 row-major rectification rotation (raw camera -> rectified camera). */
  readonly R: Float64Array;
  /** 3x4 row-major projection of the rectified image, adjusted for binning and ROI. */
  readonly P: Float64Array;
  readonly #k: Intrinsics;
  readonly #scratch = new Float64Array(3);

  private constructor(
    name: string,
    frameId: string,
    model: DistortionModel,
    width: number,
    height: number,
    K: Float64Array,
    D: Float64Array,
    R: Float64Array,
    P: Float64Array,
  ) {
    this.name = name;
    this.frameId = frameId;
    this.distortionModel = model;
    this.width = width;
    this.height = height;
    this.K = K;
    this.D = D;
    this.R = R;
    this.P = P;
    this.#k = { fx: K[0], fy: K[4], cx: K[2], cy: K[5] };
  }

  /**
   * Validates `info` and builds the model. `name` labels errors (defaults to header.frame_id).
   * An all-zero R means identity and an all-zero P means [K | 0] (the message defaults of a
   * camera without rectification); an empty D means no distortion. Throws an Error naming the
   * camera, the field, its value and what was expected on anything else that is wrong.
   */
  static fromCameraInfo(info: CameraInfo, name?: string): CameraModel {
    const label = name ?? info.header.frame_id;
    const fail = (what: string): never => {
      throw new Error(`camera_info for "${label}" ${what}`);
    };
    const known = Object.keys(DISTORTION_LENGTHS) as DistortionModel[];
    const model = info.distortion_model as DistortionModel;
    if (!known.includes(model)) {
      fail(`has distortion_model = "${info.distortion_model}"; expected one of ${known.join(', ')}`);
    }
    const array = (field: string, v: ArrayLike<number>, lengths: readonly number[]): Float64Array => {
      if (!lengths.includes(v.length)) fail(`has ${field} of length ${v.length}; expected ${lengths.join(' or ')}`);
      const out = Float64Array.from(v);
      const bad = out.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) fail(`has ${field}[${bad}] = ${out[bad]}; expected a finite number`);
      return out;
    };
    const k = array('k', info.k, [9]);
    const d = array('d', info.d, [0, ...DISTORTION_LENGTHS[model]]);
    let r = array('r', info.r, [9]);
    let p = array('p', info.p, [12]);
    if (!(k[0] > 0)) fail(`has fx = ${k[0]}; expected a positive focal length`);
    if (!(k[4] > 0)) fail(`has fy = ${k[4]}; expected a positive focal length`);
    if (r.every((x) => x === 0)) r = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    if (p.every((x) => x === 0)) p = Float64Array.of(k[0], k[1], k[2], 0, k[3], k[4], k[5], 0, 0, 0, 1, 0);
    if (!(p[0] > 0)) fail(`has P fx' = ${p[0]}; expected a positive focal length`);
    if (!(p[5] > 0)) fail(`has P fy' = ${p[5]}; expected a positive focal length`);
    for (const [field, v] of [
      ['width', info.width],
      ['height', info.height],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0) fail(`has ${field} = ${v}; expected a positive integer`);
    }
    for (const [field, v] of [
      ['binning_x', info.binning_x],
      ['binning_y', info.binning_y],
    ] as const) {
      if (!Number.isInteger(v) || v < 0) fail(`has ${field} = ${v}; expected an integer >= 0 (0 and 1 mean none)`);
    }
    const roi = info.roi;
    const roiW = roi.width === 0 ? info.width : roi.width;
    const roiH = roi.height === 0 ? info.height : roi.height;
    if (roi.x_offset < 0 || roi.y_offset < 0 || roi.x_offset + roiW > info.width || roi.y_offset + roiH > info.height) {
      fail(
        `has roi {x_offset: ${roi.x_offset}, y_offset: ${roi.y_offset}, width: ${roi.width}, height: ${roi.height}} ` +
          `outside the ${info.width}x${info.height} image`,
      );
    }
    const bx = Math.max(1, info.binning_x);
    const by = Math.max(1, info.binning_y);
    // The image is cropped to the ROI, then binned: shift the principal point, then scale.
    const K = Float64Array.from(k);
    K[0] /= bx;
    K[1] /= bx;
    K[2] = (K[2] - roi.x_offset) / bx;
    K[4] /= by;
    K[5] = (K[5] - roi.y_offset) / by;
    const P = Float64Array.from(p);
    P[0] /= bx;
    P[1] /= bx;
    P[2] = (P[2] - roi.x_offset) / bx;
    P[3] /= bx;
    P[5] /= by;
    P[6] = (P[6] - roi.y_offset) / by;
    P[7] /= by;
    const D = new Float64Array(DISTORTION_SIZE[model]);
    D.set(d);
    return new CameraModel(label, info.header.frame_id, model, Math.floor(roiW / bx), Math.floor(roiH / by), K, D, r, P);
  }

  /**
   * Projects a point of the optical frame (z forward) to raw, distorted pixel coordinates, as
   * cv::projectPoints (cv::fisheye::projectPoints for equidistant). Points with z <= 0 give
   * [NaN, NaN] for pinhole models; equidistant lenses also map rays behind the image plane.
   */
  project(p: ArrayLike<number>): [number, number] {
    const [x, y, z] = [p[0], p[1], p[2]];
    const s = this.#scratch;
    if (this.distortionModel === 'equidistant') {
      distortPoint('equidistant', this.D, x, y, s, z);
    } else {
      if (!(z > 0)) return [Number.NaN, Number.NaN];
      distortPoint(this.distortionModel, this.D, x / z, y / z, s);
    }
    const k = this.#k;
    return [k.fx * s[0] + this.K[1] * s[1] + k.cx, k.fy * s[1] + k.cy];
  }

  /** Projects a point given in the rectified camera frame to rectified pixels through P. */
  projectRect(p: ArrayLike<number>): [number, number] {
    const P = this.P;
    const w = P[8] * p[0] + P[9] * p[1] + P[10] * p[2] + P[11];
    return [(P[0] * p[0] + P[1] * p[1] + P[2] * p[2] + P[3]) / w, (P[4] * p[0] + P[5] * p[1] + P[6] * p[2] + P[7]) / w];
  }

  /** Unit ray in the optical frame through raw pixel (u, v); fisheye rays may exceed 90 degrees. */
  unprojectRay(u: number, v: number): vec3 {
    const s = this.#scratch;
    this.undistortPixel(u, v, s);
    const ray = new Float64Array(3);
    if (this.distortionModel === 'equidistant') {
      const r = Math.hypot(s[0], s[1]);
      const theta = s[2];
      const sin = Math.sin(theta);
      vec3.set(ray, r > 0 ? (s[0] / r) * sin : 0, r > 0 ? (s[1] / r) * sin : 0, Math.cos(theta));
      return ray;
    }
    vec3.set(ray, s[0], s[1], 1);
    return vec3.normalize(ray, ray);
  }

  /**
   * Raw pixel pairs [u0, v0, u1, v1, ...] -> undistorted normalised coordinates [x0, y0, ...]
   * (like cv::undistortPoints / cv::fisheye::undistortPoints without R and P, iterated to
   * convergence). Throws if the array length is odd.
   */
  undistortPoints(uv: Float64Array): Float64Array {
    if (uv.length % 2 !== 0) {
      throw new RangeError(`CameraModel.undistortPoints("${this.name}"): ${uv.length} values; expected (u, v) pairs`);
    }
    const out = new Float64Array(uv.length);
    const s = this.#scratch;
    for (let i = 0; i < uv.length; i += 2) {
      this.undistortPixel(uv[i], uv[i + 1], s);
      out[i] = s[0];
      out[i + 1] = s[1];
    }
    return out;
  }

  /**
   * Maps that turn the raw image into the rectified one (apply with remap()), like
   * cv::initUndistortRectifyMap(K, D, R, P[:3,:3], size, CV_32FC1) or its fisheye twin.
   */
  rectificationMaps(): RemapMaps {
    const { width, height } = this;
    const mapX = new Float32Array(width * height);
    const mapY = new Float32Array(width * height);
    const iR = invertKR(this.P, this.R);
    const k = this.#k;
    const skew = this.K[1];
    const s = this.#scratch;
    for (let v = 0; v < height; v++) {
      // Homogeneous ray of (0, v), stepped along u by iR's first column.
      let X = iR[1] * v + iR[2];
      let Y = iR[4] * v + iR[5];
      let W = iR[7] * v + iR[8];
      const row = v * width;
      for (let u = 0; u < width; u++, X += iR[0], Y += iR[3], W += iR[6]) {
        distortPoint(this.distortionModel, this.D, X / W, Y / W, s);
        mapX[row + u] = k.fx * s[0] + skew * s[1] + k.cx;
        mapY[row + u] = k.fy * s[1] + k.cy;
      }
    }
    return { mapX, mapY, width, height };
  }

  /** The same lens and image with another rectification: R (3x3) and P (3x4), row-major, delivered pixels. */
  withRectification(R: ArrayLike<number>, P: ArrayLike<number>): CameraModel {
    if (R.length !== 9 || P.length !== 12) {
      throw new RangeError(`CameraModel.withRectification("${this.name}"): R has ${R.length} and P ${P.length} values; expected 9 and 12`);
    }
    return new CameraModel(
      this.name,
      this.frameId,
      this.distortionModel,
      this.width,
      this.height,
      this.K,
      this.D,
      Float64Array.from(R),
      Float64Array.from(P),
    );
  }

  /** Raw pixel -> undistorted normalised (x, y) into out, with at most `maxIterations` steps. */
  undistortPixel(u: number, v: number, out: Float64Array, maxIterations?: number): void {
    const k = this.#k;
    const y = (v - k.cy) / k.fy;
    const x = (u - k.cx - this.K[1] * y) / k.fx;
    undistortPoint(this.distortionModel, this.D, x, y, out, maxIterations);
  }

  /** The distortion-free pinhole of the rectified image (P's intrinsics, delivered size). */
  pinhole(): Pinhole {
    return { fx: this.P[0], fy: this.P[5], cx: this.P[2], cy: this.P[6], width: this.width, height: this.height };
  }
}

/** inv(P[:3,:3] * R), row-major 3x3: rectified pixel -> raw camera ray. */
function invertKR(P: Float64Array, R: Float64Array): Float64Array {
  const m = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) m[i * 3 + j] = P[i * 4] * R[j] + P[i * 4 + 1] * R[3 + j] + P[i * 4 + 2] * R[6 + j];
  }
  return invert3(m);
}
