// 3x3 (row-major Float64Array) and rigid-transform helpers for covariances and points.
// gl-matrix is float32 and column-major; covariances need float64, hence this small set.
import type { mat4 } from 'gl-matrix';

export type Vec3 = [number, number, number];

/** x^T M x for a 3-vector x and 3x3 row-major M. */
export function quadForm3(m: Float64Array, x: number, y: number, z: number): number {
  return x * (m[0] * x + m[1] * y + m[2] * z) + y * (m[3] * x + m[4] * y + m[5] * z) + z * (m[6] * x + m[7] * y + m[8] * z);
}

/** p' = T p for a gl-matrix (column-major) rigid transform. */
export function transformPoint(t: mat4, p: Readonly<Vec3>): Vec3 {
  const [x, y, z] = p;
  return [t[0] * x + t[4] * y + t[8] * z + t[12], t[1] * x + t[5] * y + t[9] * z + t[13], t[2] * x + t[6] * y + t[10] * z + t[14]];
}

/** R C R^T with R the rotation part of a column-major rigid transform; C is 3x3 row-major. */
export function rotateCovariance(t: mat4, c: Float64Array): Float64Array {
  // R row-major: R[r][k] = t[k*4 + r]
  const rc = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let col = 0; col < 3; col++) {
      rc[r * 3 + col] = t[r] * c[col] + t[4 + r] * c[3 + col] + t[8 + r] * c[6 + col];
    }
  }
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let col = 0; col < 3; col++) {
      out[r * 3 + col] = rc[r * 3] * t[col] + rc[r * 3 + 1] * t[4 + col] + rc[r * 3 + 2] * t[8 + col];
    }
  }
  return out;
}

/** Yaw (rotation about z) that a rigid transform adds to a heading. */
export function transformYaw(t: mat4, yaw: number): number {
  return yaw + Math.atan2(t[1], t[0]);
}

/** Throws unless `t` is 16 finite numbers with a rotation block that is orthonormal to 1e-3. */
export function assertRigid(t: mat4, what: string): void {
  if (t.length !== 16) throw new Error(`${what}: expected a 4x4 matrix (16 values), got ${t.length}`);
  for (let i = 0; i < 16; i++) {
    if (!Number.isFinite(t[i])) throw new Error(`${what}: element ${i} is ${t[i]}; expected a finite number`);
  }
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      const dot = t[a * 4] * t[b * 4] + t[a * 4 + 1] * t[b * 4 + 1] + t[a * 4 + 2] * t[b * 4 + 2];
      if (Math.abs(dot - (a === b ? 1 : 0)) > 1e-3) {
        throw new Error(
          `${what}: rotation part is not orthonormal (column ${a} . column ${b} = ${dot.toFixed(4)}); expected a rigid transform`,
        );
      }
    }
  }
}
