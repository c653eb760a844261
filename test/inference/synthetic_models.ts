// Tiny detector models built in code with buildOnnxModel: image input [batch, 3, H, W] and one
// output that is a known constant tensor broadcast over the batch (plus 0 x the input mean, so
// the output really depends on the graph's input and the batch dimension flows through).
import { buildOnnxModel } from '../../src/inference/onnx_graph_builder';

export function constantDetectorModel(
  name: string,
  input: { width: number; height: number; batch?: number | string },
  outDims: number[],
  values: Float32Array,
): Uint8Array {
  const batch = input.batch ?? 'batch';
  return buildOnnxModel({
    name,
    inputs: [{ name: 'images', type: 'float32', shape: [batch, 3, input.height, input.width] }],
    outputs: [{ name: 'output', type: 'float32', shape: [batch, ...outDims] }],
    initializers: [
      { name: 'known', dims: [1, ...outDims], data: values },
      { name: 'zero', dims: [], data: Float32Array.of(0) },
      { name: 'per_item', dims: [outDims.length + 1], data: BigInt64Array.from([-1n, ...outDims.map(() => 1n)]) },
    ],
    nodes: [
      { op: 'ReduceMean', inputs: ['images'], outputs: ['mean'], attributes: { axes: [1, 2, 3], keepdims: 1 } },
      { op: 'Reshape', inputs: ['mean', 'per_item'], outputs: ['mean_r'] },
      { op: 'Mul', inputs: ['mean_r', 'zero'], outputs: ['nothing'] },
      { op: 'Add', inputs: ['nothing', 'known'], outputs: ['output'] },
    ],
  });
}
