// Shape handlers of the operators that compute: elementwise and broadcasting arithmetic (with
// small constant folding), convolutions, pooling, matrix products, resizing and reductions.
import { broadcast, normAxis, product, windowOutput, type Handler, type TensorInfo } from './shape_context';

const sameShape: Handler = (c) => [{ shape: c.input(0).shape, values: c.input(0).values }];

function foldBinary(op: string, a: TensorInfo, b: TensorInfo, shape: number[]): number[] | undefined {
  if (!a.values || !b.values || product(shape) > 64) return undefined;
  const f: Record<string, (x: number, y: number) => number> = {
    Add: (x, y) => x + y,
    Sub: (x, y) => x - y,
    Mul: (x, y) => x * y,
    Div: (x, y) => (Number.isInteger(x) && Number.isInteger(y) ? Math.trunc(x / y) : x / y),
  };
  const fn = f[op];
  if (!fn) return undefined;
  const n = product(shape);
  const av = a.values,
    bv = b.values;
  return Array.from({ length: n }, (_, i) => fn(av[av.length === 1 ? 0 : i], bv[bv.length === 1 ? 0 : i]));
}

const binary: Handler = (c) => {
  const inputs = c.node.inputs.map((_, i) => c.input(i));
  const shape = broadcast(
    c,
    inputs.map((t) => t.shape),
  );
  return [{ shape, values: inputs.length === 2 ? foldBinary(c.node.op, inputs[0], inputs[1], shape) : undefined }];
};

const conv: Handler = (c) => {
  const x = c.input(0).shape;
  const w = c.input(1).shape;
  const kernel = c.numbers('kernel_shape') ?? w.slice(2);
  const group = c.int('group', 1);
  if (x[1] !== w[1] * group) c.fail(`input has ${x[1]} channels; weight [${w}] with group ${group} expects ${w[1] * group}`);
  return [{ shape: [x[0], w[0], ...windowOutput(c, x.slice(2), kernel)] }];
};

const convTranspose: Handler = (c) => {
  const x = c.input(0).shape;
  const w = c.input(1).shape;
  const n = x.length - 2;
  const group = c.int('group', 1);
  const kernel = c.numbers('kernel_shape') ?? w.slice(2);
  const explicit = c.numbers('output_shape');
  if (explicit) return [{ shape: [x[0], w[1] * group, ...explicit.slice(-n)] }];
  const strides = c.numbers('strides') ?? new Array<number>(n).fill(1);
  const dilations = c.numbers('dilations') ?? new Array<number>(n).fill(1);
  const pads = c.numbers('pads') ?? new Array<number>(2 * n).fill(0);
  const outPad = c.numbers('output_padding') ?? new Array<number>(n).fill(0);
  const autoPad = c.str('auto_pad', 'NOTSET');
  const spatial = x
    .slice(2)
    .map((size, i) =>
      autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER'
        ? size * strides[i]
        : strides[i] * (size - 1) + outPad[i] + (kernel[i] - 1) * dilations[i] + 1 - pads[i] - pads[i + n],
    );
  return [{ shape: [x[0], w[1] * group, ...spatial] }];
};

const pool: Handler = (c) => {
  const x = c.input(0).shape;
  const kernel = c.numbers('kernel_shape') ?? c.fail('missing kernel_shape attribute');
  return [{ shape: [x[0], x[1], ...windowOutput(c, x.slice(2), kernel, c.int('ceil_mode', 0) === 1)] }];
};

const globalPool: Handler = (c) => {
  const x = c.input(0).shape;
  return [{ shape: [x[0], x[1], ...x.slice(2).map(() => 1)] }];
};

const gemm: Handler = (c) => {
  const a = c.input(0).shape;
  const b = c.input(1).shape;
  const m = c.int('transA', 0) ? a[1] : a[0];
  const n = c.int('transB', 0) ? b[0] : b[1];
  return [{ shape: [m, n] }];
};

const matmul: Handler = (c) => {
  const a = c.input(0).shape;
  const b = c.input(1).shape;
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  if (a2[a2.length - 1] !== b2[b2.length - 2]) c.fail(`inner dimensions differ: [${a}] x [${b}]`);
  const batch = broadcast(c, [a2.slice(0, -2), b2.slice(0, -2)]);
  const shape = [...batch, ...(a.length === 1 ? [] : [a2[a2.length - 2]]), ...(b.length === 1 ? [] : [b2[b2.length - 1]])];
  return [{ shape }];
};

const resize: Handler = (c) => {
  const x = c.input(0).shape;
  // Upsample-7 and Resize-10 take scales as input 1 (or an attribute); Resize-11+ as input 2 (roi
  // first) or explicit sizes as input 3.
  const scalesIndex = c.node.op === 'Upsample' || c.opset < 11 ? 1 : 2;
  if (c.node.op === 'Resize' && c.opset >= 11 && c.hasInput(3)) {
    const sizes = c.values(3);
    const axes = c.numbers('axes');
    if (!axes) return [{ shape: sizes }];
    const shape = [...x];
    axes.forEach((a, i) => (shape[normAxis(a, x.length)] = sizes[i]));
    return [{ shape }];
  }
  const scales = (c.hasInput(scalesIndex) ? c.values(scalesIndex) : c.numbers('scales')) ?? [];
  if (scales.length !== x.length) c.fail(`scales [${scales}] do not match rank ${x.length}, and no static sizes are given`);
  return [{ shape: x.map((d, i) => Math.floor(d * scales[i])) }];
};

const reduce: Handler = (c) => {
  const x = c.input(0).shape;
  const axes = (c.hasInput(1) ? c.values(1) : c.numbers('axes'))?.map((a) => normAxis(a, x.length)) ?? x.map((_, i) => i);
  const keep = c.int('keepdims', 1) === 1;
  const shape = keep ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_, i) => !axes.includes(i));
  return [{ shape }];
};

/** TopK: values and indices both have k along `axis`. */
const topK: Handler = (c) => {
  const x = c.input(0).shape;
  const axis = normAxis(c.int('axis', -1), x.length);
  const shape = [...x];
  shape[axis] = c.opset >= 10 ? c.values(1)[0] : c.int('k', 1);
  return [{ shape }, { shape }];
};

const argReduce: Handler = (c) => {
  const x = c.input(0).shape;
  const axis = normAxis(c.int('axis', 0), x.length);
  const keep = c.int('keepdims', 1) === 1;
  return [{ shape: keep ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis) }];
};

const UNARY = [
  'Relu',
  'LeakyRelu',
  'PRelu',
  'Sigmoid',
  'HardSigmoid',
  'HardSwish',
  'Tanh',
  'Clip',
  'Exp',
  'Log',
  'Sqrt',
  'Neg',
  'Abs',
  'Erf',
  'Softplus',
  'Mish',
  'Elu',
  'Selu',
  'Gelu',
  'Identity',
  'Cast',
  'Dropout',
  'Softmax',
  'LogSoftmax',
  'Floor',
  'Ceil',
  'Round',
  'Reciprocal',
  'BatchNormalization',
  'InstanceNormalization',
  'LRN',
  'Not',
  'Sin',
  'Cos',
] as const;
const BINARY = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Equal', 'Less', 'Greater', 'And', 'Or', 'Where', 'Mod'] as const;

/** Shape handlers of the computing operators, by ONNX operator type. */
export const COMPUTE_HANDLERS: Record<string, Handler> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  Gemm: gemm,
  MatMul: matmul,
  Resize: resize,
  Upsample: resize,
  ReduceMean: reduce,
  ReduceMax: reduce,
  ReduceSum: reduce,
  TopK: topK,
  ArgMax: argReduce,
  ArgMin: argReduce,
  ...Object.fromEntries(UNARY.map((op) => [op, sameShape])),
  ...Object.fromEntries(BINARY.map((op) => [op, binary])),
};
