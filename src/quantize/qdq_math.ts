// The INT8 arithmetic of the QDQ graph, written once in TypeScript so the rewrite, the tests and
// the sensitivity report share it: ONNX QuantizeLinear rounds half to even and saturates, and
// DequantizeLinear is (q - zeroPoint) * scale. Weights are per-channel symmetric int8 in
// [-127, 127] (as DX-COM and most NPUs use: no zero point to fold into the accumulator);
// activations are per-tensor asymmetric uint8 whose range always contains 0, so zero padding
// is represented exactly.

export interface QuantParams {
  scale: number;
  zeroPoint: number;
}

/** Round half to even, as onnxruntime's QuantizeLinear (std::nearbyint) does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One value through QuantizeLinear into [lo, hi]. */
export function quantizeValue(x: number, p: QuantParams, lo: number, hi: number): number {
  const q = roundHalfEven(x / p.scale) + p.zeroPoint;
  return q < lo ? lo : q > hi ? hi : q;
}

export function dequantizeValue(q: number, p: QuantParams): number {
  return (q - p.zeroPoint) * p.scale;
}

/** uint8 parameters covering [min, max] widened to contain 0. */
export function activationParams(min: number, max: number): QuantParams {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  const scale = hi - lo > 1e-12 ? Math.fround((hi - lo) / 255) : 1;
  const zeroPoint = Math.min(255, Math.max(0, roundHalfEven(-lo / scale)));
  return { scale, zeroPoint };
}

export interface ChannelQuantized {
  values: Int8Array;
  /** One scale per slice along `axis`. */
  scales: Float32Array;
}

/**
 * Per-channel symmetric int8 of a weight tensor with `dims`, one scale per index of `axis`
 * (0 for Conv [out, in, kh, kw]; the output-feature axis for MatMul/Gemm). An all-zero channel
 * gets scale 1 so DequantizeLinear never divides by or multiplies with 0 surprises.
 */
export function quantizeWeightsPerChannel(w: Float32Array, dims: readonly number[], axis: number): ChannelQuantized {
  const channels = dims[axis];
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const scales = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / inner) % channels;
    scales[c] = Math.max(scales[c], Math.abs(w[i]));
  }
  for (let c = 0; c < channels; c++) scales[c] = scales[c] > 0 ? scales[c] / 127 : 1;
  const values = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / inner) % channels;
    values[i] = quantizeValue(w[i], { scale: scales[c], zeroPoint: 0 }, -127, 127);
  }
  return { values, scales };
}

/** int32 bias values at per-channel `scales` (activation scale x weight scale), saturated. */
export function quantizeBias(b: Float32Array, scales: Float32Array): Int32Array {
  return Int32Array.from(b, (v, c) => Math.max(-2147483647, Math.min(2147483647, roundHalfEven(v / scales[c]))));
}

/** Signal-to-quantisation-noise ratio in dB of `approx` against `reference` (Infinity if equal). */
export function sqnrDb(reference: Float32Array, approx: Float32Array): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    signal += reference[i] * reference[i];
    const d = reference[i] - approx[i];
    noise += d * d;
  }
  if (noise === 0) return Number.POSITIVE_INFINITY;
  return 10 * Math.log10(Math.max(signal, 1e-30) / noise);
}
