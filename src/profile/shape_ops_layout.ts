// Shape handlers of the operators that move or describe data: concatenation, splitting,
// slicing, reshaping and transposing, padding, gathering, and the Shape/Range/ConstantOfShape
// arithmetic exporters use to compute shapes (folded to constants where small).
import { broadcast, normAxis, product, type Handler } from './shape_context';

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

/** Shape handlers of the data-moving operators, by ONNX operator type. */
export const LAYOUT_HANDLERS: Record<string, Handler> = {
  Concat: concat,
  Split: split,
  Slice: slice,
  Reshape: reshape,
  Transpose: transpose,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Pad: pad,
  Shape: shapeOp,
  Gather: gather,
  ConstantOfShape: constantOfShape,
  Expand: expand,
  Tile: tile,
  Range: range,
};
