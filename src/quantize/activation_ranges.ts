// Calibration: runs the FP32 model in onnxruntime-node with the tensors to be quantised exposed
// as graph outputs, over a set of input tensors, and reduces each tensor to the range its uint8
// quantiser should cover: min/max, or the low/high percentile of a strided sample of its values
// (which ignores the few outliers that would otherwise stretch the scale), or the range whose
// quantise-dequantise round trip has the least squared error on that sample (mse_range.ts).
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { onnx } from 'onnx-proto';
import { mseRange } from './mse_range';
import { withExtraOutputs } from './onnx_model_edit';

export type RangeMethod = 'minmax' | 'percentile' | 'mse';

/** The methods, as `--method` lists them. */
export const RANGE_METHODS: readonly RangeMethod[] = ['minmax', 'percentile', 'mse'];

export interface TensorRange {
  min: number;
  max: number;
}

export interface CalibrationOptions {
  method: RangeMethod;
  /** Upper percentile for 'percentile' (the lower one is 100 - this). */
  percentile: number;
}

/** A model input feed: one float32 tensor per input name. */
export type Feed = Record<string, { dims: number[]; data: Float32Array }>;

/** Values kept per tensor per calibration input for the percentile and MSE methods (a strided sample). */
const SAMPLE_PER_RUN = 4096;

class RangeAccumulator {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly samples: Float32Array[] = [];

  add(data: Float32Array, sample: boolean): void {
    let lo = this.min;
    let hi = this.max;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    this.min = lo;
    this.max = hi;
    if (!sample) return;
    const step = Math.max(1, Math.floor(data.length / SAMPLE_PER_RUN));
    const s = new Float32Array(Math.ceil(data.length / step));
    for (let i = 0, j = 0; i < data.length; i += step) s[j++] = data[i];
    this.samples.push(s);
  }

  range(opts: CalibrationOptions): TensorRange {
    if (opts.method === 'minmax') return { min: this.min, max: this.max };
    const all = new Float32Array(this.samples.reduce((n, s) => n + s.length, 0));
    let o = 0;
    for (const s of this.samples) {
      all.set(s, o);
      o += s.length;
    }
    all.sort();
    if (opts.method === 'mse') return mseRange(all);
    const at = (p: number) => all[Math.min(all.length - 1, Math.max(0, Math.round((p / 100) * (all.length - 1))))];
    return { min: at(100 - opts.percentile), max: at(opts.percentile) };
  }
}

/**
 * Ranges of `tensors` over `feeds`. A tensor that is a graph input is measured from the feed.
 * onnxruntime runs on this thread: calibration is an offline command, not part of the pipeline.
 */
export async function calibrateRanges(
  model: onnx.IModelProto,
  tensors: readonly string[],
  feeds: Iterable<Feed> | AsyncIterable<Feed>,
  opts: CalibrationOptions,
): Promise<Map<string, TensorRange>> {
  const session = await InferenceSession.create(withExtraOutputs(model, tensors), {
    graphOptimizationLevel: 'disabled',
    logSeverityLevel: 3,
  });
  const acc = new Map(tensors.map((t) => [t, new RangeAccumulator()]));
  let runs = 0;
  try {
    for await (const feed of feeds) {
      const ortFeeds = Object.fromEntries(Object.entries(feed).map(([k, v]) => [k, new Tensor('float32', v.data, v.dims)]));
      const fetches = tensors.filter((t) => !(t in feed));
      const out = fetches.length > 0 ? await session.run(ortFeeds, fetches) : {};
      for (const [name, a] of acc) {
        const data = name in feed ? feed[name].data : (out[name].data as Float32Array);
        a.add(data, opts.method !== 'minmax');
      }
      runs++;
    }
  } finally {
    await session.release();
  }
  if (runs === 0) throw new Error('calibration needs at least one image; none were given');
  return new Map([...acc].map(([name, a]) => [name, a.range(opts)]));
}
