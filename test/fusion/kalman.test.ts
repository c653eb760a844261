import { strict as assert } from 'node:assert';
import { ConstantVelocityKalman } from '../../src/fusion/kalman';
import { Rng } from './support/synthetic_scene';

describe('fusion/kalman', () => {
  it('predicts covariance as F P F^T + Q of the white-acceleration model', () => {
    const kf = new ConstantVelocityKalman([1, 2, 3], Float64Array.from([0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5]), 2);
    const dt = 0.2,
      q = 1.5;
    kf.predict(dt, q, q);
    // One axis by hand: P0 = diag(0.5, 4); F = [[1, dt], [0, 1]].
    const pxx = 0.5 + dt * dt * 4 + (q * q * dt ** 4) / 4;
    const pxv = dt * 4 + (q * q * dt ** 3) / 2;
    const pvv = 4 + q * q * dt * dt;
    assert.ok(Math.abs(kf.P[0] - pxx) < 1e-12 && Math.abs(kf.P[3] - pxv) < 1e-12 && Math.abs(kf.P[21] - pvv) < 1e-12);
    assert.ok(Math.abs(kf.P[1]) < 1e-12, 'axes stay independent');
  });

  it('recovers a constant velocity from noisy positions', () => {
    const rng = new Rng(11);
    const R = Float64Array.from([0.04, 0, 0, 0, 0.04, 0, 0, 0, 0.04]);
    const v = [1.2, -0.7, 0];
    const kf = new ConstantVelocityKalman([0, 0, 1], R, 2);
    for (let k = 1; k <= 50; k++) {
      kf.predict(0.1, 0.5, 0.1);
      const t = k * 0.1;
      kf.update([v[0] * t + 0.2 * rng.normal(), v[1] * t + 0.2 * rng.normal(), 1 + 0.2 * rng.normal()], R);
    }
    const err = Math.hypot(kf.x[3] - v[0], kf.x[4] - v[1], kf.x[5] - v[2]);
    assert.ok(err < 0.2, `velocity error ${err.toFixed(3)} m/s`);
  });

  it('gives a squared Mahalanobis distance that matches the innovation covariance', () => {
    const kf = new ConstantVelocityKalman([0, 0, 0], Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), 1);
    const R = Float64Array.from([3, 0, 0, 0, 3, 0, 0, 0, 3]);
    // S = 4 I, so a 2 m offset along x is d^2 = 1.
    assert.ok(Math.abs(kf.mahalanobis2([2, 0, 0], R) - 1) < 1e-12);
  });

  it('refuses a negative time step', () => {
    const kf = new ConstantVelocityKalman([0, 0, 0], new Float64Array(9).fill(0), 1);
    assert.throws(() => kf.predict(-0.1, 1, 1), /dt = -0.1; expected a non-negative time step/);
  });
});
