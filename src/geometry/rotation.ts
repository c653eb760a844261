// Small rotation helpers on row-major 3x3 matrices (the layout of CameraInfo.r and OpenCV), built
// on gl-matrix quaternions. gl-matrix's mat3 is column-major, i.e. the transpose of a row-major
// array, which the conversions below account for. All storage is Float64Array: gl-matrix's
// default Float32Array would cost ~1e-7 relative precision, too much for sub-millipixel geometry.
import { mat3, mat4, quat } from 'gl-matrix';
import type { Transform } from '../msgs/types';

/** Row-major 3x3 product a * b. */
export function mul3(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
  }
  return out;
}

/** Row-major transpose. */
export function transpose3(a: ArrayLike<number>): Float64Array {
  return Float64Array.of(a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]);
}

/** Row-major 3x3 times a 3-vector. */
export function mulVec3(a: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  return Float64Array.of(
    a[0] * v[0] + a[1] * v[1] + a[2] * v[2],
    a[3] * v[0] + a[4] * v[1] + a[5] * v[2],
    a[6] * v[0] + a[7] * v[1] + a[8] * v[2],
  );
}

/**
 * Inverse of a row-major 3x3 written into `out` (which may be `m` itself); returns false, leaving
 * `out` untouched, when `m` is singular or not finite. Allocation-free, for per-track loops.
 */
export function invert3Into(m: ArrayLike<number>, out: Float64Array): boolean {
  const a = m[0],
    b = m[1],
    c = m[2],
    d = m[3],
    e = m[4],
    f = m[5],
    g = m[6],
    h = m[7],
    i = m[8];
  const A = e * i - f * h,
    B = -(d * i - f * g),
    C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!(Number.isFinite(det) && Math.abs(det) >= 1e-300)) return false;
  const s = 1 / det;
  out[0] = A * s;
  out[1] = -(b * i - c * h) * s;
  out[2] = (b * f - c * e) * s;
  out[3] = B * s;
  out[4] = (a * i - c * g) * s;
  out[5] = -(a * f - c * d) * s;
  out[6] = C * s;
  out[7] = -(a * h - b * g) * s;
  out[8] = (a * e - b * d) * s;
  return true;
}

/** Inverse of a row-major 3x3 as a new array. Throws a RangeError when it is singular. */
export function invert3(m: ArrayLike<number>): Float64Array {
  const out = new Float64Array(9);
  if (!invert3Into(m, out)) throw new RangeError('invert3: singular 3x3 matrix');
  return out;
}

/** The angle `a` (radians) brought into [-pi, pi], e.g. a difference of two headings. */
export function wrapAngle(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

/** Rotation vector (axis * angle, angle in [0, pi]) of a row-major rotation matrix, like cv::Rodrigues. */
export function rotationVector(r: ArrayLike<number>): Float64Array {
  const q = new Float64Array(4);
  // A row-major array read as column-major is R^T; conjugating the quaternion undoes that.
  quat.fromMat3(q, r as unknown as mat3);
  quat.conjugate(q, q);
  if (q[3] < 0) quat.scale(q, q, -1);
  const s = Math.hypot(q[0], q[1], q[2]);
  if (s === 0) return new Float64Array(3);
  const angle = 2 * Math.atan2(s, q[3]);
  return Float64Array.of((q[0] / s) * angle, (q[1] / s) * angle, (q[2] / s) * angle);
}

/** Row-major rotation matrix of a rotation vector, like cv::Rodrigues. */
export function rotationMatrix(v: ArrayLike<number>): Float64Array {
  const angle = Math.hypot(v[0], v[1], v[2]);
  // sin(a/2)/a tends to 1/2: no division by a tiny angle.
  const k = angle > 1e-8 ? Math.sin(angle / 2) / angle : 0.5 - (angle * angle) / 48;
  const q = Float64Array.of(v[0] * k, v[1] * k, v[2] * k, Math.cos(angle / 2));
  const colMajor = new Float64Array(9);
  mat3.fromQuat(colMajor, q);
  return transpose3(colMajor);
}

/** Row-major rotation and translation of a gl-matrix (column-major) rigid transform. */
export function splitTransform(m: mat4): { R: Float64Array; t: Float64Array } {
  return {
    R: Float64Array.of(m[0], m[4], m[8], m[1], m[5], m[9], m[2], m[6], m[10]),
    t: Float64Array.of(m[12], m[13], m[14]),
  };
}

/** A Float64 gl-matrix mat4 from a quaternion and a translation. */
export function transformFrom(q: ArrayLike<number>, t: ArrayLike<number>): mat4 {
  const out = new Float64Array(16);
  return mat4.fromRotationTranslation(out, q as quat, [t[0], t[1], t[2]]);
}

/** Inverse of a rigid transform (rotation + translation), as a Float64 mat4; never singular. */
export function inverseTransform(m: mat4): mat4 {
  const out = new Float64Array(16);
  // R^T and -R^T t, without a general 4x4 inversion.
  out[0] = m[0];
  out[1] = m[4];
  out[2] = m[8];
  out[4] = m[1];
  out[5] = m[5];
  out[6] = m[9];
  out[8] = m[2];
  out[9] = m[6];
  out[10] = m[10];
  out[12] = -(m[0] * m[12] + m[1] * m[13] + m[2] * m[14]);
  out[13] = -(m[4] * m[12] + m[5] * m[13] + m[6] * m[14]);
  out[14] = -(m[8] * m[12] + m[9] * m[13] + m[10] * m[14]);
  out[15] = 1;
  return out;
}

/** A mat4 rigid transform as a geometry_msgs/Transform (unit quaternion). */
export function toTransform(m: mat4): Transform {
  const q = mat4.getRotation(new Float64Array(4), m);
  quat.normalize(q, q);
  return {
    translation: { x: m[12], y: m[13], z: m[14] },
    rotation: { x: q[0], y: q[1], z: q[2], w: q[3] },
  };
}
