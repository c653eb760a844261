// Constant-velocity Kalman filter in 3D: state (x, y, z, vx, vy, vz), position measurements.
// Process noise is white acceleration (the discrete "piecewise white noise" model), so the
// filter's trust in its velocity follows how hard the tracked things can accelerate.
import { invert3Into } from '../geometry/rotation';
import { quadForm3 } from './linalg3';

export class ConstantVelocityKalman {
  /** State (x, y, z, vx, vy, vz). Read-only for callers. */
  readonly x = new Float64Array(6);
  /** 6x6 row-major covariance. Read-only for callers. */
  readonly P = new Float64Array(36);
  readonly #s = new Float64Array(9);
  readonly #sInv = new Float64Array(9);
  readonly #tmp = new Float64Array(36);

  /**
   * Starts at `position` (3x3 covariance `positionCov`) with zero velocity of standard deviation
   * `velocityStd` per axis.
   */
  constructor(position: readonly number[], positionCov: Float64Array, velocityStd: number) {
    this.x.set([position[0], position[1], position[2], 0, 0, 0]);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) this.P[i * 6 + j] = positionCov[i * 3 + j];
      this.P[(i + 3) * 6 + i + 3] = velocityStd * velocityStd;
    }
  }

  /** Advances by dt >= 0 seconds; accelStd applies to x and y, verticalAccelStd to z (m/s^2). */
  predict(dt: number, accelStd: number, verticalAccelStd: number): void {
    if (!(dt >= 0)) throw new Error(`ConstantVelocityKalman.predict: dt = ${dt}; expected a non-negative time step`);
    if (dt === 0) return;
    const x = this.x,
      P = this.P,
      T = this.#tmp;
    for (let i = 0; i < 3; i++) x[i] += dt * x[i + 3];
    // T = F P, then P = T F^T, with F = [[I, dt I], [0, I]].
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) T[r * 6 + c] = P[r * 6 + c] + (r < 3 ? dt * P[(r + 3) * 6 + c] : 0);
    }
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) P[r * 6 + c] = T[r * 6 + c] + (c < 3 ? dt * T[r * 6 + c + 3] : 0);
    }
    const dt2 = dt * dt;
    for (let i = 0; i < 3; i++) {
      const q = (i < 2 ? accelStd : verticalAccelStd) ** 2;
      P[i * 6 + i] += (q * dt2 * dt2) / 4;
      P[i * 6 + i + 3] += (q * dt2 * dt) / 2;
      P[(i + 3) * 6 + i] += (q * dt2 * dt) / 2;
      P[(i + 3) * 6 + i + 3] += q * dt2;
    }
  }

  /**
   * Squared Mahalanobis distance of measurement z (covariance R, 3x3 row-major) from the
   * predicted position; Infinity when the innovation covariance is singular.
   */
  mahalanobis2(z: readonly number[], R: Float64Array): number {
    if (!this.#innovationCov(R)) return Infinity;
    return quadForm3(this.#sInv, z[0] - this.x[0], z[1] - this.x[1], z[2] - this.x[2]);
  }

  /** Standard Kalman update with a position measurement; returns false (no change) if S is singular. */
  update(z: readonly number[], R: Float64Array): boolean {
    if (!this.#innovationCov(R)) return false;
    const x = this.x,
      P = this.P,
      Si = this.#sInv;
    const y0 = z[0] - x[0],
      y1 = z[1] - x[1],
      y2 = z[2] - x[2];
    // K = P H^T S^-1 (6x3); H^T picks P's first three columns.
    const K = new Float64Array(18);
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 3; c++) {
        K[r * 3 + c] = P[r * 6] * Si[c] + P[r * 6 + 1] * Si[3 + c] + P[r * 6 + 2] * Si[6 + c];
      }
    }
    for (let r = 0; r < 6; r++) x[r] += K[r * 3] * y0 + K[r * 3 + 1] * y1 + K[r * 3 + 2] * y2;
    // P -= K (H P); H P is P's first three rows. Then symmetrise against round-off drift.
    const T = this.#tmp;
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        T[r * 6 + c] = P[r * 6 + c] - (K[r * 3] * P[c] + K[r * 3 + 1] * P[6 + c] + K[r * 3 + 2] * P[12 + c]);
      }
    }
    for (let r = 0; r < 6; r++) {
      for (let c = r; c < 6; c++) {
        const s = (T[r * 6 + c] + T[c * 6 + r]) / 2;
        P[r * 6 + c] = s;
        P[c * 6 + r] = s;
      }
    }
    return true;
  }

  /** 3x3 sub-block of P starting at (offset, offset): 0 = position, 3 = velocity. */
  block(offset: 0 | 3): Float64Array {
    const out = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) out[i * 3 + j] = this.P[(offset + i) * 6 + offset + j];
    return out;
  }

  #innovationCov(R: Float64Array): boolean {
    const S = this.#s,
      P = this.P;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) S[i * 3 + j] = P[i * 6 + j] + R[i * 3 + j];
    return invert3Into(S, this.#sInv);
  }
}
