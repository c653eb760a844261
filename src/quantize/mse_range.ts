// The MSE activation range: the uint8 clipping range [lo, hi] that minimises the mean squared
// error between a tensor's calibration values and their quantise-dequantise round trip, the
// trade-off min-max and percentile only guess at. A long thin tail (a stem convolution's output
// reaching 93 with a mean of 1.4) stretches the min-max step until the bulk of the values shares
// a few levels; the MSE range clips the tail exactly as far as the bulk gains from it.
import { activationParams, dequantizeValue, quantizeValue } from './qdq_math';

interface Range {
  min: number;
  max: number;
}

/** Candidate ends tried per side: hi = max x k / STEPS (then lo = min x k / STEPS), k = 1..STEPS. */
const STEPS = 128;
/** Values the error is evaluated on: evenly spaced order statistics of the sorted sample. */
const EVAL_VALUES = 16384;

function roundTripMse(values: Float32Array, lo: number, hi: number): number {
  const p = activationParams(lo, hi);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - dequantizeValue(quantizeValue(values[i], p, 0, 255), p);
    sum += d * d;
  }
  return sum / values.length;
}

/** Evenly spaced order statistics of `sorted` (ascending), at most `n`: the distribution, smaller. */
function orderStatistics(sorted: Float32Array, n: number): Float32Array {
  if (sorted.length <= n) return sorted;
  return Float32Array.from({ length: n }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (n - 1))]);
}

/**
 * The MSE-optimal range of the values in `sorted` (ascending). The upper end is searched with the
 * lower one at the minimum, then the lower end with the best upper one (activations are mostly
 * one-sided, so one pass per side finds the optimum the joint search would).
 */
export function mseRange(sorted: Float32Array): Range {
  if (sorted.length === 0) return { min: 0, max: 0 };
  const values = orderStatistics(sorted, EVAL_VALUES);
  const min = Math.min(values[0], 0);
  const max = Math.max(values[values.length - 1], 0);
  let best = { min, max, err: roundTripMse(values, min, max) };
  const search = (end: (k: number) => Range): void => {
    for (let k = 1; k < STEPS; k++) {
      const r = end(k);
      const err = roundTripMse(values, r.min, r.max);
      if (err < best.err) best = { ...r, err };
    }
  };
  if (max > 0) search((k) => ({ min, max: (max * k) / STEPS }));
  const hi = best.max;
  if (min < 0) search((k) => ({ min: (min * k) / STEPS, max: hi }));
  return { min: best.min, max: best.max };
}
