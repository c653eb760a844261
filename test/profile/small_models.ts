// Small ONNX models built in code whose MACs, weights and shapes are computed by hand, for the
// cost model and shape inference tests.
import { buildOnnxModel, type OnnxGraphSpec } from '../../src/inference/onnx_graph_builder';

const f32 = (n: number) => new Float32Array(n).map((_, i) => ((i % 5) - 2) / 10);
const i64 = (...v: number[]) => BigInt64Array.from(v.map(BigInt));
const sym = (name: string, rank: number) => Array.from({ length: rank }, (_, i) => `${name}_${i}`);

/**
 * Conv (stride 2, pad 1) -> Relu -> depthwise dilated Conv -> 1x1 Conv (SAME_UPPER, stride 2) ->
 * ConvTranspose (stride 2) -> MaxPool -> Reshape -> Gemm -> MatMul, on a [1,3,32,32] input.
 */
export const EXACT_MODEL = {
  /** Hand-computed per MAC layer: output elements x (input channels / group) x kernel area. */
  macs: {
    conv1: 8 * 16 * 16 * (3 * 3 * 3), // [1,8,16,16]           55,296
    dw: 8 * 16 * 16 * (1 * 3 * 3), // group 8, dilation 2  18,432
    pw: 16 * 8 * 8 * (8 * 1 * 1), // [1,16,8,8]            8,192
    up: 16 * 8 * 8 * (4 * 2 * 2), // input elems x out ch x k  16,384
    fc: 10 * 256, // Gemm [1,256] x [256,10]      2,560
    mm: 5 * 10, // MatMul [1,10] x [10,5]        50
  },
  totalMacs: 55_296 + 18_432 + 8_192 + 16_384 + 2_560 + 50,
  /** W1 216 + B1 8 + W2 72 + W3 128 + W4 256 + W5 2560 + C 10 + W6 50 (the Reshape shape is not a weight). */
  weightElements: 3300,
  shapes: {
    c1: [1, 8, 16, 16],
    r1: [1, 8, 16, 16],
    d1: [1, 8, 16, 16],
    p1: [1, 16, 8, 8],
    u1: [1, 4, 16, 16],
    m1: [1, 4, 8, 8],
    f1: [1, 256],
    g1: [1, 10],
    y: [1, 5],
  } as Record<string, number[]>,
  bytes(): Uint8Array {
    const outputs = Object.entries(this.shapes).map(([name, s]) => ({ name, type: 'float32' as const, shape: sym(name, s.length) }));
    const spec: OnnxGraphSpec = {
      name: 'exact_macs',
      inputs: [{ name: 'x', type: 'float32', shape: [1, 3, 32, 32] }],
      outputs,
      initializers: [
        { name: 'W1', dims: [8, 3, 3, 3], data: f32(216) },
        { name: 'B1', dims: [8], data: f32(8) },
        { name: 'W2', dims: [8, 1, 3, 3], data: f32(72) },
        { name: 'W3', dims: [16, 8, 1, 1], data: f32(128) },
        { name: 'W4', dims: [16, 4, 2, 2], data: f32(256) },
        { name: 'shape', dims: [2], data: i64(1, 256) },
        { name: 'W5', dims: [10, 256], data: f32(2560) },
        { name: 'C5', dims: [10], data: f32(10) },
        { name: 'W6', dims: [10, 5], data: f32(50) },
      ],
      nodes: [
        { op: 'Conv', name: 'conv1', inputs: ['x', 'W1', 'B1'], outputs: ['c1'], attributes: { strides: [2, 2], pads: [1, 1, 1, 1] } },
        { op: 'Relu', name: 'relu1', inputs: ['c1'], outputs: ['r1'] },
        { op: 'Conv', name: 'dw', inputs: ['r1', 'W2'], outputs: ['d1'], attributes: { group: 8, dilations: [2, 2], pads: [2, 2, 2, 2] } },
        { op: 'Conv', name: 'pw', inputs: ['d1', 'W3'], outputs: ['p1'], attributes: { strides: [2, 2], auto_pad: 'SAME_UPPER' } },
        { op: 'ConvTranspose', name: 'up', inputs: ['p1', 'W4'], outputs: ['u1'], attributes: { strides: [2, 2] } },
        { op: 'MaxPool', name: 'pool', inputs: ['u1'], outputs: ['m1'], attributes: { kernel_shape: [2, 2], strides: [2, 2] } },
        { op: 'Reshape', name: 'flat', inputs: ['m1', 'shape'], outputs: ['f1'] },
        { op: 'Gemm', name: 'fc', inputs: ['f1', 'W5', 'C5'], outputs: ['g1'], attributes: { transB: 1 } },
        { op: 'MatMul', name: 'mm', inputs: ['g1', 'W6'], outputs: ['y'] },
      ],
    };
    return buildOnnxModel(spec);
  },
};

/**
 * Exercises shape inference on the layout and broadcasting operators (Resize, Concat, Split,
 * Slice with negative starts and steps, Transpose, Pad, pooling with ceil_mode, broadcasting Add,
 * Softmax, Squeeze/Unsqueeze, Flatten, a Shape -> Gather -> Concat -> Reshape chain, batched
 * MatMul, Tile with a Constant value_ints, Expand, TopK, ArgMax, Range). Every tensor is a graph output so onnxruntime reports its real shape.
 */
export const SHAPES_MODEL = {
  /** Hand-derived shapes (checked against onnxruntime in the tests). */
  shapes: {
    r1: [1, 4, 20, 24],
    c1: [1, 8, 20, 24],
    sa: [1, 3, 20, 24],
    sb: [1, 5, 20, 24],
    sl: [1, 2, 20, 7],
    tr: [1, 7, 2, 20],
    pd: [1, 8, 3, 25],
    gap: [1, 8, 1, 1],
    ap: [1, 8, 10, 12],
    add: [1, 8, 10, 12],
    sm: [1, 8, 10, 12],
    sq: [1, 8],
    unsq: [1, 1, 8],
    fl: [8, 120],
    rs: [1, 8, 120],
    mm: [1, 8, 6],
    bmm: [1, 1, 6],
    tl: [3, 16],
    ex: [1, 8, 4, 5],
    tk: [1, 8, 10, 3],
    am: [1, 10, 12],
    rg: [5],
  } as Record<string, number[]>,
  bytes(): Uint8Array {
    const outputs = Object.entries(this.shapes).map(([name, s]) => ({ name, type: 'float32' as const, shape: sym(name, s.length) }));
    return buildOnnxModel({
      name: 'shape_ops',
      inputs: [{ name: 'x', type: 'float32', shape: [1, 4, 10, 12] }],
      outputs,
      initializers: [
        { name: 'scales', dims: [4], data: new Float32Array([1, 1, 2, 2]) },
        { name: 'split', dims: [2], data: i64(3, 5) },
        { name: 'starts', dims: [2], data: i64(1, -20) },
        { name: 'ends', dims: [2], data: i64(4, 1000) },
        { name: 'axes', dims: [2], data: i64(1, 3) },
        { name: 'steps', dims: [2], data: i64(2, 3) },
        { name: 'pads', dims: [8], data: i64(0, 1, 0, 2, 0, 0, 1, 3) },
        { name: 'sq_axes', dims: [2], data: i64(2, 3) },
        { name: 'unsq_axes', dims: [1], data: i64(0) },
        { name: 'first_two', dims: [2], data: i64(0, 1) },
        { name: 'minus_one', dims: [1], data: i64(-1) },
        { name: 'Wm', dims: [120, 6], data: f32(720) },
        { name: 'exp_shape', dims: [4], data: i64(1, 8, 4, 5) },
        { name: 'k', dims: [1], data: i64(3) },
        { name: 'r_start', dims: [], data: new Float32Array([0]) },
        { name: 'r_limit', dims: [], data: new Float32Array([5]) },
        { name: 'r_delta', dims: [], data: new Float32Array([1]) },
      ],
      nodes: [
        { op: 'Resize', inputs: ['x', '', 'scales'], outputs: ['r1'], attributes: { mode: 'nearest' } },
        { op: 'Concat', inputs: ['r1', 'r1'], outputs: ['c1'], attributes: { axis: 1 } },
        { op: 'Split', inputs: ['c1', 'split'], outputs: ['sa', 'sb'], attributes: { axis: 1 } },
        { op: 'Slice', inputs: ['sb', 'starts', 'ends', 'axes', 'steps'], outputs: ['sl'] },
        { op: 'Transpose', inputs: ['sl'], outputs: ['tr'], attributes: { perm: [0, 3, 1, 2] } },
        { op: 'Pad', inputs: ['tr', 'pads'], outputs: ['pd'] },
        { op: 'GlobalAveragePool', inputs: ['pd'], outputs: ['gap'] },
        { op: 'AveragePool', inputs: ['c1'], outputs: ['ap'], attributes: { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 } },
        { op: 'Add', inputs: ['ap', 'gap'], outputs: ['add'] },
        { op: 'Softmax', inputs: ['add'], outputs: ['sm'], attributes: { axis: -1 } },
        { op: 'Squeeze', inputs: ['gap', 'sq_axes'], outputs: ['sq'] },
        { op: 'Unsqueeze', inputs: ['sq', 'unsq_axes'], outputs: ['unsq'] },
        { op: 'Flatten', inputs: ['add'], outputs: ['fl'], attributes: { axis: 2 } },
        { op: 'Shape', inputs: ['add'], outputs: ['shp'] },
        { op: 'Gather', inputs: ['shp', 'first_two'], outputs: ['dims'], attributes: { axis: 0 } },
        { op: 'Concat', inputs: ['dims', 'minus_one'], outputs: ['target'], attributes: { axis: 0 } },
        { op: 'Reshape', inputs: ['add', 'target'], outputs: ['rs'] },
        { op: 'MatMul', inputs: ['rs', 'Wm'], outputs: ['mm'] },
        { op: 'MatMul', inputs: ['unsq', 'mm'], outputs: ['bmm'] },
        { op: 'Constant', inputs: [], outputs: ['reps'], attributes: { value_ints: [3, 2] } },
        { op: 'Tile', inputs: ['sq', 'reps'], outputs: ['tl'] },
        { op: 'Expand', inputs: ['gap', 'exp_shape'], outputs: ['ex'] },
        { op: 'TopK', inputs: ['sm', 'k'], outputs: ['tk', 'tki'], attributes: { axis: -1 } },
        { op: 'ArgMax', inputs: ['sm'], outputs: ['ami'], attributes: { axis: 1, keepdims: 0 } },
        { op: 'Cast', inputs: ['ami'], outputs: ['am'], attributes: { to: 1 } },
        { op: 'Range', inputs: ['r_start', 'r_limit', 'r_delta'], outputs: ['rg'] },
      ],
    });
  },
};

/** x [1,8,16,16] -> Erf (not an NPU operator on DX profiles) -> Relu. */
export function fallbackModel(): Uint8Array {
  return buildOnnxModel({
    name: 'fallback',
    inputs: [{ name: 'x', type: 'float32', shape: [1, 8, 16, 16] }],
    outputs: [{ name: 'y', type: 'float32', shape: [1, 8, 16, 16] }],
    nodes: [
      { op: 'Erf', name: 'erf', inputs: ['x'], outputs: ['e'] },
      { op: 'Relu', name: 'relu', inputs: ['e'], outputs: ['y'] },
    ],
  });
}
