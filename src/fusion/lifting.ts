// 2D detection + depth image -> 3D object in base_link.
//
// A box's depth pixels mix the object, the ground at its feet, the background around it and
// sometimes an occluder in front. We sample the inner part of the box, drop samples near the
// ground, and find the dense modes of the range histogram (box_ranges.ts). The object is the nearest dense mode
// (it hides what is behind it), unless the class's typical height, seen at the box's pixel
// height, points to a farther mode (a partly occluded object). The camera sees only near faces,
// so the centre is the visible surface pushed back along the face normal by half the object's
// depth, taken from the visible depth extent or, when that is smaller, the class size prior.
import type { LiftingOptions } from './options';
import { GENERIC_PRIOR, sizePriorFor, type SizePrior } from './class_priors';
import type { CameraView, Detection2DBox, FusedObject, GroundPlane } from './types';
import { transformPoint, type Vec3 } from './linalg3';
import { BoxRanges, type RangeStats } from './box_ranges';

export { depthStd } from './box_ranges';

/** A face normal more than 60 degrees off the viewing ray is noise, not a face we could see. */
const MAX_NORMAL_COS = 0.5;
/** Detector boxes are loose by a few percent of the object's size, at any range. */
const BOX_SIZE_STD = 0.05;

/**
 * Throws a clear error unless `view` is internally consistent: positive focal lengths, a depth
 * image of width*height values, a 16-element transform. Call once per view per frame set.
 */
export function assertCameraView(view: CameraView): void {
  const { camera, intrinsics: k } = view;
  for (const key of ['fx', 'fy'] as const) {
    if (!(k[key] > 0) || !Number.isFinite(k[key])) {
      throw new Error(`fusion: camera "${camera}" has ${key} = ${k[key]}; expected a positive focal length`);
    }
  }
  if (!Number.isInteger(k.width) || !Number.isInteger(k.height) || k.width <= 0 || k.height <= 0) {
    throw new Error(`fusion: camera "${camera}" has image size ${k.width}x${k.height}; expected positive integers`);
  }
  if (view.baseFromCamera.length !== 16) {
    throw new Error(`fusion: camera "${camera}" baseFromCamera has ${view.baseFromCamera.length} values; expected a 4x4 matrix`);
  }
  if (view.depth && view.depth.length !== k.width * k.height) {
    throw new Error(`fusion: camera "${camera}" depth has ${view.depth.length} values; expected width*height = ${k.width * k.height}`);
  }
  const n = view.depthNoise;
  if (n && n.kind === 'stereo' && !(n.focalBaseline > 0 && n.disparityStd >= 0)) {
    throw new Error(
      `fusion: camera "${camera}" stereo depth noise {focalBaseline: ${n.focalBaseline}, disparityStd: ${n.disparityStd}}; expected f*B > 0 and sigma_d >= 0`,
    );
  }
  if (n && n.kind === 'relative' && !(n.fraction >= 0)) {
    throw new Error(`fusion: camera "${camera}" relative depth noise ${n.fraction}; expected a non-negative fraction`);
  }
}

/** Lifts detections of one camera view at a time; holds scratch buffers, so one per thread. */
export class DetectionLifter {
  readonly #o: LiftingOptions;
  readonly #ranges: BoxRanges;

  constructor(options: LiftingOptions) {
    this.#o = options;
    this.#ranges = new BoxRanges(options);
  }

  /** All detections of `view` lifted to base_link; detections that cannot be placed are skipped. */
  liftView(view: CameraView, ground?: GroundPlane): FusedObject[] {
    const out: FusedObject[] = [];
    for (const det of view.detections) {
      const obj = this.lift(view, det, ground);
      if (obj) out.push(obj);
    }
    return out;
  }

  /**
   * One detection -> one object, or null when the box lies outside the image or neither the depth
   * nor the size prior can range it (a box cut by the image's top or bottom has no usable height).
   * Throws on non-finite box coordinates. `view` must have passed assertCameraView.
   */
  lift(view: CameraView, det: Detection2DBox, ground?: GroundPlane): FusedObject | null {
    for (const key of ['x1', 'y1', 'x2', 'y2', 'score'] as const) {
      if (!Number.isFinite(det[key])) {
        throw new Error(
          `fusion: detection "${det.className}" in camera "${view.camera}" has ${key} = ${det[key]}; expected a finite number`,
        );
      }
    }
    const { width, height } = view.intrinsics;
    const x1 = Math.max(0, det.x1),
      x2 = Math.min(width - 1, det.x2);
    const y1 = Math.max(0, det.y1),
      y2 = Math.min(height - 1, det.y2);
    if (x2 - x1 < 1 || y2 - y1 < 1) return null;
    const prior = sizePriorFor(det.className);
    // The box height and the class's typical height give a range, but only when the whole
    // height is in the image and the class is known.
    const touchesEdge = det.y1 < 0.5 || det.y2 > height - 1.5;
    const r =
      touchesEdge || prior === GENERIC_PRIOR
        ? undefined
        : ((view.intrinsics.fy * prior.height) / (y2 - y1)) * rayLength(view, (x1 + x2) / 2, (y1 + y2) / 2);
    const measured = view.depth ? this.#ranges.measure(view, x1, y1, x2, y2, prior, r, ground) : null;
    if (measured) return this.#build(view, det, x1, y1, x2, y2, prior, measured);
    if (r === undefined) return null;
    return this.#build(view, det, x1, y1, x2, y2, prior, {
      near: r,
      far: r,
      median: r,
      count: 0,
      sigma: this.#o.sizePriorStd * r,
      faceSlope: NaN,
      fromDepth: false,
    });
  }

  #build(
    view: CameraView,
    det: Detection2DBox,
    x1: number,
    y1: number,
    x2: number,
    y2: number,
    prior: Readonly<SizePrior>,
    rs: RangeStats,
  ): FusedObject {
    const o = this.#o;
    const { fx, fy, cx, cy } = view.intrinsics;
    const m = view.baseFromCamera;
    const uc = (x1 + x2) / 2,
      vc = (y1 + y2) / 2;
    const ac = (uc - cx) / fx,
      bc = (vc - cy) / fy;
    const norm = Math.sqrt(ac * ac + bc * bc + 1);
    const zMed = rs.median / norm;
    const width = ((x2 - x1) * zMed) / fx;
    // Depth of the object along the ray: the visible extent, or the prior footprint's other side
    // when only one face is seen (area / visible width, kept within the prior's sides).
    const lengthPrior = clamp((prior.length * prior.width) / Math.max(width, 1e-3), Math.min(prior.width, prior.length), prior.length);
    const length = Math.max(rs.far - rs.near, lengthPrior);
    // Centre = visible surface under the box centre, pushed back along the face normal by half
    // the object's depth (or by the visible extent when that is larger: a corner view). Pushing
    // along the ray instead would magnify lateral positions of off-axis objects.
    const rayBase = horizontalUnit(m[8] + ac * m[0] + bc * m[4], m[9] + ac * m[1] + bc * m[5]);
    let push = rayBase;
    if (Number.isFinite(rs.faceSlope)) {
      const normal = horizontalUnit(m[8] - rs.faceSlope * m[0], m[9] - rs.faceSlope * m[1]);
      if (normal[0] * rayBase[0] + normal[1] * rayBase[1] > MAX_NORMAL_COS) push = normal;
    }
    const zNear = rs.near / norm;
    const centre = transformPoint(m, [ac * zNear, bc * zNear, zNear]);
    const pushDist = Math.max(length / 2, rs.far - rs.near);
    centre[0] += push[0] * pushDist;
    centre[1] += push[1] * pushDist;
    const zc = zNear + pushDist / norm;
    // Vertical extent from the box's top and bottom rays at the visible surface's depth.
    const top = transformPoint(m, [ac * zMed, ((y1 - cy) / fy) * zMed, zMed]);
    const bottom = transformPoint(m, [ac * zMed, ((y2 - cy) / fy) * zMed, zMed]);
    const heightM = Math.abs(top[2] - bottom[2]);
    centre[2] = (top[2] + bottom[2]) / 2;

    // Covariance: range along the ray (stereo noise partly averaged, plus the centre offset's
    // prior uncertainty), lateral and vertical from box-edge pixel noise.
    const origin: Vec3 = [m[12], m[13], m[14]];
    const rx = centre[0] - origin[0],
      ry = centre[1] - origin[1],
      rz = centre[2] - origin[2];
    const rn = Math.hypot(rx, ry, rz) || 1;
    const r: Vec3 = [rx / rn, ry / rn, rz / rn];
    let l: Vec3 = [-r[1], r[0], 0];
    const ln = Math.hypot(l[0], l[1]);
    l = ln > 1e-6 ? [l[0] / ln, l[1] / ln, 0] : [1, 0, 0];
    const up: Vec3 = [r[1] * l[2] - r[2] * l[1], r[2] * l[0] - r[0] * l[2], r[0] * l[1] - r[1] * l[0]];
    const rangeVar = rs.fromDepth
      ? rs.sigma * rs.sigma * (1 / rs.count + o.correlatedDepthShare) + ((o.sizePriorStd * length) / 2) ** 2
      : rs.sigma * rs.sigma;
    // A box cut by the image's side shows only part of the object: its centre is uncertain by up
    // to the part not seen, so the tracker leans on its prediction until the object is in view.
    const cut = x1 <= 0.5 || x2 >= view.intrinsics.width - 1.5;
    const latStd = (zc * o.boxPixelStd) / fx + BOX_SIZE_STD * width + (cut ? Math.max(prior.length - width, 0) / 2 : 0);
    const verStd = (zc * o.boxPixelStd) / fy + BOX_SIZE_STD * heightM;
    const cov = new Float64Array(9);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        cov[i * 3 + j] = rangeVar * r[i] * r[j] + latStd * latStd * l[i] * l[j] + verStd * verStd * up[i] * up[j];
      }
    }
    return {
      position: centre,
      covariance: cov,
      size: [length, width, heightM],
      yaw: Math.atan2(push[1], push[0]),
      className: det.className,
      classId: det.classId,
      score: det.score,
      cameras: [view.camera],
      rangeSource: rs.fromDepth ? 'depth' : 'size_prior',
    };
  }
}

function rayLength(view: CameraView, u: number, v: number): number {
  const { fx, fy, cx, cy } = view.intrinsics;
  const a = (u - cx) / fx,
    b = (v - cy) / fy;
  return Math.sqrt(a * a + b * b + 1);
}

function horizontalUnit(x: number, y: number): [number, number] {
  const n = Math.hypot(x, y);
  return n > 1e-9 ? [x / n, y / n] : [1, 0];
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
