// Per-layer sensitivity: the SQNR (dB) of each quantised layer's output in the INT8 model
// against the same tensor in the FP32 model, over the same inputs. Errors accumulate down the
// network, so a layer whose SQNR drops sharply from its input's is the one to keep at higher
// precision; low SQNR right at the outputs is what costs detections.
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { onnx } from 'onnx-proto';
import type { Feed } from './activation_ranges';
import { MAC_OPS, nodeName } from './float_layers';
import { withExtraOutputs } from './onnx_model_edit';
import { sqnrDb } from './qdq_math';

export interface LayerSensitivity {
  node: string;
  op: string;
  output: string;
  sqnrDb: number;
}

/** SQNR per Conv/MatMul/Gemm output of `int8` against `fp32`, averaged (in dB) over `feeds`. */
export async function layerSensitivity(
  fp32: onnx.IModelProto,
  int8: onnx.IModelProto,
  feeds: readonly Feed[],
): Promise<LayerSensitivity[]> {
  const layers = (fp32.graph?.node ?? [])
    .map((n, i) => ({ node: nodeName(n, i), op: n.opType ?? '', output: (n.output ?? [])[0] }))
    .filter((l) => MAC_OPS.has(l.op) && l.output);
  const names = layers.map((l) => l.output);
  const [a, b] = await Promise.all(
    [fp32, int8].map((m) =>
      InferenceSession.create(withExtraOutputs(m, names), { graphOptimizationLevel: 'disabled', logSeverityLevel: 3 }),
    ),
  );
  const sums = new Float64Array(layers.length);
  try {
    for (const feed of feeds) {
      const ortFeeds = Object.fromEntries(Object.entries(feed).map(([k, v]) => [k, new Tensor('float32', v.data, v.dims)]));
      const [ra, rb] = [await a.run(ortFeeds, names), await b.run(ortFeeds, names)];
      names.forEach((n, i) => {
        sums[i] += Math.min(sqnrDb(ra[n].data as Float32Array, rb[n].data as Float32Array), 120);
      });
    }
  } finally {
    await Promise.all([a.release(), b.release()]);
  }
  return layers.map((l, i) => ({ ...l, sqnrDb: sums[i] / Math.max(feeds.length, 1) }));
}
