// Static shape inference for the common CNN operators, with constant folding of the small integer
// tensors (Shape -> Gather -> Concat -> Reshape chains) that exporters use to compute shapes.
// The cost model needs every tensor's shape to count MACs and bytes; an operator it cannot infer
// is an error naming the node, never a guessed shape.
import type { AttributeValue, GraphNode, OnnxGraph } from './onnx_graph';

export interface TensorInfo {
  shape: number[];
  /** Element values when statically known (constants and folded shape arithmetic). */
  values?: number[];
}

export type ShapeMap = Map<string, TensorInfo>;

/** What a handler sees of one node: its inputs' shapes, its attributes, the model's opset. */
class NodeContext {
  constructor(
    readonly node: GraphNode,
    readonly opset: number,
    private readonly shapes: ShapeMap,
  ) {}

  /** Input i's info; throws if the input is absent or has no known shape. */
  input(i: number): TensorInfo {
    const name = this.node.inputs[i];
    const info = name ? this.shapes.get(name) : undefined;
    if (!info) this.fail(`input ${i} ("${name ?? ''}") has no known shape`);
    return info;
  }

  hasInput(i: number): boolean {
    const name = this.node.inputs[i];
    return name !== undefined && name !== '';
  }

  /** Constant values of input i (for shape arguments); throws if they are not static. */
  values(i: number): number[] {
    const v = this.input(i).values;
    if (!v) this.fail(`input ${i} ("${this.node.inputs[i]}") is not a static constant`);
    return v;
  }

  int(name: string, fallback: number): number {
    const v = this.node.attributes.get(name);
    return typeof v === 'number' ? v : fallback;
  }

  numbers(name: string): number[] | undefined {
    const v: AttributeValue | undefined = this.node.attributes.get(name);
    return Array.isArray(v) ? (v as number[]) : undefined;
  }

  str(name: string, fallback: string): string {
    const v = this.node.attributes.get(name);
    return typeof v === 'string' ? v : fallback;
  }

  fail(what: string): never {
    throw new Error(`shape inference: node "${this.node.name}" (${this.node.op}): ${what}`);
  }
}

type Handler = (c: NodeContext) => TensorInfo[];

const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);
const normAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

function broadcast(c: NodeContext, shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v !== 1 && d !== 1 && v !== d) c.fail(`cannot broadcast shapes ${shapes.map((x) => `[${x}]`).join(' and ')}`);
      if (v !== 1) d = v;
    }
    out.push(d);
  }
  return out;
}

/** Output spatial sizes of a sliding window (Conv, pooling), per the ONNX formulas. */
function windowOutput(c: NodeContext, spatialIn: number[], kernel: number[], ceilMode = false): number[] {
  const n = spatialIn.length;
  const strides = c.numbers('strides') ?? new Array<number>(n).fill(1);
  const dilations = c.numbers('dilations') ?? new Array<number>(n).fill(1);
  const pads = c.numbers('pads') ?? new Array<number>(2 * n).fill(0);
  const autoPad = c.str('auto_pad', 'NOTSET');
  return spatialIn.map((size, i) => {
    const effective = dilations[i] * (kernel[i] - 1) + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / strides[i]);
    const padded = autoPad === 'VALID' ? size : size + pads[i] + pads[i + n];
    const round = ceilMode ? Math.ceil : Math.floor;
    return round((padded - effective) / strides[i]) + 1;
  });
}

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

const concat: Handler = (c) => {
  const inputs = c.node.inputs.map((_, i) => c.input(i));
  const rank = inputs[0].shape.length;
  const axis = normAxis(c.int('axis', 0), rank);
  const shape = [...inputs[0].shape];
  shape[axis] = inputs.reduce((sum, t) => sum + t.shape[axis], 0);
  const values = rank === 1 && inputs.every((t) => t.values) ? inputs.flatMap((t) => t.values ?? []) : undefined;
  return [{ shape, values }];
};

const split: Handler = (c) => {
  const x = c.input(0).shape;
  const axis = normAxis(c.int('axis', 0), x.length);
  const outputs = c.node.outputs.length;
  const sizes =
    (c.hasInput(1) ? c.values(1) : c.numbers('split')) ??
    Array.from({ length: outputs }, (_, i) => {
      const chunk = Math.ceil(x[axis] / outputs);
      return Math.min(chunk, x[axis] - i * chunk);
    });
  if (sizes.reduce((a, b) => a + b, 0) !== x[axis]) c.fail(`split sizes [${sizes}] do not sum to dimension ${x[axis]}`);
  return sizes.map((s) => {
    const shape = [...x];
    shape[axis] = s;
    return { shape };
  });
};

const slice: Handler = (c) => {
  const x = c.input(0);
  const rank = x.shape.length;
  const fromInputs = c.opset >= 10;
  const starts = fromInputs ? c.values(1) : (c.numbers('starts') ?? c.fail('missing starts'));
  const ends = fromInputs ? c.values(2) : (c.numbers('ends') ?? c.fail('missing ends'));
  const axes = (fromInputs ? (c.hasInput(3) ? c.values(3) : undefined) : c.numbers('axes')) ?? starts.map((_, i) => i);
  const steps = (fromInputs && c.hasInput(4) ? c.values(4) : undefined) ?? starts.map(() => 1);
  const shape = [...x.shape];
  const ranges = x.shape.map((d) => ({ start: 0, step: 1, count: d }));
  axes.forEach((rawAxis, i) => {
    const axis = normAxis(rawAxis, rank);
    const dim = x.shape[axis];
    const step = steps[i];
    if (step === 0) c.fail('slice step is 0');
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    const resolve = (v: number) => (v < 0 ? v + dim : v);
    const start = step > 0 ? clamp(resolve(starts[i]), 0, dim) : clamp(resolve(starts[i]), -1, dim - 1);
    const end = step > 0 ? clamp(resolve(ends[i]), 0, dim) : clamp(resolve(ends[i]), -1, dim - 1);
    const count = Math.max(0, Math.ceil((end - start) / step));
    shape[axis] = count;
    ranges[axis] = { start, step, count };
  });
  const values =
    rank === 1 && x.values ? Array.from({ length: ranges[0].count }, (_, k) => x.values![ranges[0].start + k * ranges[0].step]) : undefined;
  return [{ shape, values }];
};

const reshape: Handler = (c) => {
  const x = c.input(0);
  const target = c.values(1);
  const allowZero = c.int('allowzero', 0) === 1;
  const shape = target.map((d, i) => (d === 0 && !allowZero ? x.shape[i] : d));
  const unknown = shape.indexOf(-1);
  if (unknown >= 0) shape[unknown] = product(x.shape) / product(shape.filter((_, i) => i !== unknown));
  if (product(shape) !== product(x.shape)) c.fail(`cannot reshape [${x.shape}] to [${target}]`);
  return [{ shape, values: x.values }];
};

const transpose: Handler = (c) => {
  const x = c.input(0).shape;
  const perm = c.numbers('perm') ?? x.map((_, i) => x.length - 1 - i);
  return [{ shape: perm.map((p) => x[p]) }];
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

const flatten: Handler = (c) => {
  const x = c.input(0).shape;
  const axis = normAxis(c.int('axis', 1), x.length);
  return [{ shape: [product(x.slice(0, axis)), product(x.slice(axis))] }];
};

const squeeze: Handler = (c) => {
  const x = c.input(0);
  const axes = (c.hasInput(1) ? c.values(1) : c.numbers('axes'))?.map((a) => normAxis(a, x.shape.length));
  const shape = x.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
  return [{ shape, values: x.values }];
};

const unsqueeze: Handler = (c) => {
  const x = c.input(0);
  const axes = (c.hasInput(1) ? c.values(1) : c.numbers('axes')) ?? c.fail('missing axes');
  const rank = x.shape.length + axes.length;
  const sorted = axes.map((a) => normAxis(a, rank)).sort((a, b) => a - b);
  const shape = [...x.shape];
  for (const a of sorted) shape.splice(a, 0, 1);
  return [{ shape, values: x.values }];
};

const pad: Handler = (c) => {
  const x = c.input(0).shape;
  const pads = (c.opset >= 11 ? c.values(1) : c.numbers('pads')) ?? c.fail('missing pads');
  const axes = c.opset >= 18 && c.hasInput(3) ? c.values(3).map((a) => normAxis(a, x.length)) : x.map((_, i) => i);
  const shape = [...x];
  axes.forEach((axis, i) => (shape[axis] += pads[i] + pads[i + axes.length]));
  return [{ shape }];
};

const shapeOp: Handler = (c) => {
  const x = c.input(0).shape;
  const start = normAxis(c.int('start', 0), x.length);
  const end = c.node.attributes.has('end') ? normAxis(c.int('end', x.length), x.length) : x.length;
  const values = x.slice(start, end);
  return [{ shape: [values.length], values }];
};

const gather: Handler = (c) => {
  const data = c.input(0);
  const indices = c.input(1);
  const axis = normAxis(c.int('axis', 0), data.shape.length);
  const shape = [...data.shape.slice(0, axis), ...indices.shape, ...data.shape.slice(axis + 1)];
  const values =
    data.values && indices.values && data.shape.length === 1
      ? indices.values.map((i) => data.values![i < 0 ? i + data.shape[0] : i])
      : undefined;
  return [{ shape, values }];
};

const reduce: Handler = (c) => {
  const x = c.input(0).shape;
  const axes = (c.hasInput(1) ? c.values(1) : c.numbers('axes'))?.map((a) => normAxis(a, x.length)) ?? x.map((_, i) => i);
  const keep = c.int('keepdims', 1) === 1;
  const shape = keep ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_, i) => !axes.includes(i));
  return [{ shape }];
};

const constantOfShape: Handler = (c) => {
  const shape = c.values(0);
  return [{ shape }];
};

const expand: Handler = (c) => [{ shape: broadcast(c, [c.input(0).shape, c.values(1)]) }];

const tile: Handler = (c) => {
  const repeats = c.values(1);
  return [{ shape: c.input(0).shape.map((d, i) => d * repeats[i]) }];
};

const range: Handler = (c) => {
  const [start, limit, delta] = [c.values(0)[0], c.values(1)[0], c.values(2)[0]];
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  return [{ shape: [n], values: n <= 64 ? Array.from({ length: n }, (_, i) => start + i * delta) : undefined }];
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

const HANDLERS: Record<string, Handler> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  Gemm: gemm,
  MatMul: matmul,
  Concat: concat,
  Split: split,
  Slice: slice,
  Reshape: reshape,
  Transpose: transpose,
  Resize: resize,
  Upsample: resize,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Pad: pad,
  Shape: shapeOp,
  Gather: gather,
  ReduceMean: reduce,
  ReduceMax: reduce,
  ReduceSum: reduce,
  ConstantOfShape: constantOfShape,
  Expand: expand,
  Tile: tile,
  Range: range,
  TopK: topK,
  ArgMax: argReduce,
  ArgMin: argReduce,
  ...Object.fromEntries(UNARY.map((op) => [op, sameShape])),
  ...Object.fromEntries(BINARY.map((op) => [op, binary])),
};

/** Operator types shape inference understands. */
export const SUPPORTED_SHAPE_OPS: readonly string[] = Object.keys(HANDLERS).sort();

/**
 * Infers the shape of every tensor in the graph. `inputShapes` overrides or completes graph input
 * shapes (needed when an input has symbolic dimensions). Nodes must be in topological order (as
 * ONNX requires). Throws an Error naming the node on an unsupported operator or inconsistent shapes.
 */
export function inferShapes(graph: OnnxGraph, inputShapes: Record<string, number[]> = {}): ShapeMap {
  const shapes: ShapeMap = new Map();
  for (const [name, t] of graph.initializers) shapes.set(name, { shape: t.dims, values: t.values });
  for (const input of graph.inputs) {
    const given = inputShapes[input.name];
    const shape = given ?? input.shape;
    if (shape.some((d) => d === undefined || !Number.isInteger(d) || d <= 0)) {
      throw new Error(
        `shape inference: graph input "${input.name}" has shape [${shape.map((d) => d ?? '?')}]; ` +
          'expected positive integer dimensions (pass inputShapes for symbolic dimensions)',
      );
    }
    shapes.set(input.name, { shape: shape as number[] });
  }
  for (const name of Object.keys(inputShapes)) {
    if (!graph.inputs.some((i) => i.name === name)) {
      throw new Error(
        `shape inference: inputShapes names "${name}", which is not a graph input; inputs are [${graph.inputs.map((i) => i.name).join(', ')}]`,
      );
    }
  }
  for (const node of graph.nodes) {
    const handler = HANDLERS[node.op];
    if (!handler) {
      throw new Error(
        `shape inference: node "${node.name}" has operator "${node.op}", which is not supported; supported: ${SUPPORTED_SHAPE_OPS.join(', ')}`,
      );
    }
    const outs = handler(new NodeContext(node, graph.opset, shapes));
    node.outputs.forEach((name, i) => {
      if (name !== '' && outs[i]) shapes.set(name, outs[i]);
    });
  }
  return shapes;
}
