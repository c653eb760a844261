// Reads an ONNX model (protobuf, decoded by onnx-proto) into a plain graph the cost model can walk:
// nodes with decoded attributes, initializers with their dims (and values when small enough to be
// shape arguments), and the true graph inputs. protobufjs hands int64 fields back as Long objects;
// everything here is converted to plain numbers once, so no Long leaks past this file.
import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { foldQdq } from './qdq_fold';

export type { AttributeValue, GraphInput, GraphNode, GraphTensor, OnnxGraph } from './onnx_graph_types';
import type { AttributeValue, GraphNode, GraphTensor, OnnxGraph } from './onnx_graph_types';

/** Constants larger than this are weights, not shape arguments; their values are not decoded. */
const MAX_CONSTANT_VALUES = 64;

type LongLike = number | { toNumber(): number } | null | undefined;
const num = (v: LongLike): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

function tensorValues(t: onnx.ITensorProto, count: number): number[] | undefined {
  if (count > MAX_CONSTANT_VALUES) return undefined;
  const T = onnx.TensorProto.DataType;
  if (t.int64Data && t.int64Data.length > 0) return t.int64Data.map((v) => num(v as LongLike));
  if (t.int32Data && t.int32Data.length > 0) return [...t.int32Data];
  if (t.floatData && t.floatData.length > 0) return [...t.floatData];
  if (t.doubleData && t.doubleData.length > 0) return [...t.doubleData];
  const raw = t.rawData;
  if (!raw || raw.length === 0) return count === 0 ? [] : undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  switch (t.dataType) {
    case T.INT64:
      for (let i = 0; i < count; i++) out.push(Number(view.getBigInt64(i * 8, true)));
      return out;
    case T.INT32:
      for (let i = 0; i < count; i++) out.push(view.getInt32(i * 4, true));
      return out;
    case T.FLOAT:
      for (let i = 0; i < count; i++) out.push(view.getFloat32(i * 4, true));
      return out;
    case T.DOUBLE:
      for (let i = 0; i < count; i++) out.push(view.getFloat64(i * 8, true));
      return out;
    case T.UINT8:
    case T.BOOL:
      return [...raw.subarray(0, count)];
    default:
      return undefined;
  }
}

function toTensor(t: onnx.ITensorProto): GraphTensor {
  const dims = (t.dims ?? []).map((d) => num(d as LongLike));
  const count = dims.reduce((a, b) => a * b, 1);
  return { name: t.name ?? '', dims, values: tensorValues(t, count) };
}

function attributeValue(a: onnx.IAttributeProto): AttributeValue | undefined {
  const A = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case A.INT:
      return num(a.i as LongLike);
    case A.FLOAT:
      return a.f ?? 0;
    case A.STRING:
      return new TextDecoder().decode(a.s ?? new Uint8Array());
    case A.INTS:
      return (a.ints ?? []).map((v) => num(v as LongLike));
    case A.FLOATS:
      return [...(a.floats ?? [])];
    case A.STRINGS:
      return (a.strings ?? []).map((s) => new TextDecoder().decode(s));
    default:
      return undefined; // TENSOR / GRAPH attributes are handled by the ops that take them
  }
}

/** The tensor a Constant node holds: `value` (a tensor) or value_int(s) / value_float(s) (opset 12+). */
function constantNodeTensor(name: string, n: onnx.INodeProto, attributes: ReadonlyMap<string, AttributeValue>, label: string): GraphTensor {
  const tensor = (n.attribute ?? []).find((a) => a.name === 'value')?.t;
  if (tensor) return { ...toTensor(tensor), name };
  for (const key of ['value_int', 'value_float', 'value_ints', 'value_floats']) {
    const v = attributes.get(key);
    if (typeof v === 'number') return { name, dims: [], values: [v] };
    if (Array.isArray(v))
      return { name, dims: [v.length], values: (v as number[]).length <= MAX_CONSTANT_VALUES ? (v as number[]) : undefined };
  }
  throw new Error(`ONNX model ${label}: Constant node "${n.name ?? name}" has no value attribute this reader understands`);
}

/**
 * Decodes an ONNX model from a file path or bytes. Throws an Error naming the model if it is not a
 * protobuf ModelProto with a graph. `Constant` nodes are turned into initializers so shape
 * inference sees one kind of constant.
 */
export function readOnnxGraph(model: string | Uint8Array): OnnxGraph {
  const label = typeof model === 'string' ? `"${model}"` : `(${model.byteLength} bytes)`;
  let bytes: Uint8Array;
  try {
    bytes = typeof model === 'string' ? readFileSync(model) : model;
  } catch (err) {
    throw new Error(`ONNX model ${label} could not be read: ${(err as Error).message}`);
  }
  let proto: onnx.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new Error(`ONNX model ${label} could not be decoded (${(err as Error).message}); expected an ONNX model file (.onnx)`);
  }
  const g = proto.graph;
  if (!g || !g.node) throw new Error(`ONNX model ${label} has no graph; expected a ModelProto`);
  const opset = num((proto.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version as LongLike) || 13;

  const initializers = new Map<string, GraphTensor>();
  for (const t of g.initializer ?? []) initializers.set(t.name ?? '', toTensor(t));

  const nodes: GraphNode[] = [];
  for (const [index, n] of g.node.entries()) {
    const op = n.opType ?? '';
    const outputs = [...(n.output ?? [])];
    const attributes = new Map<string, AttributeValue>();
    for (const a of n.attribute ?? []) {
      const v = attributeValue(a);
      if (v !== undefined && a.name) attributes.set(a.name, v);
    }
    if (op === 'Constant' && outputs.length === 1) {
      initializers.set(outputs[0], constantNodeTensor(outputs[0], n, attributes, label));
      continue;
    }
    nodes.push({ op, name: n.name || `${op}_${index}`, inputs: [...(n.input ?? [])], outputs, attributes });
  }

  // Old exporters (IR < 4) list every initializer as a graph input too; only the rest are inputs.
  const inputs = (g.input ?? [])
    .filter((i) => !initializers.has(i.name ?? ''))
    .map((i) => ({
      name: i.name ?? '',
      shape: (i.type?.tensorType?.shape?.dim ?? []).map((d) => {
        const v = num(d.dimValue as LongLike);
        return d.dimParam || v <= 0 ? undefined : v;
      }),
    }));
  const qdq = foldQdq(
    nodes,
    initializers,
    (g.output ?? []).map((o) => o.name ?? ''),
  );
  return {
    name: g.name ?? '',
    opset,
    inputs,
    outputs: qdq.outputs,
    initializers: qdq.initializers,
    nodes: qdq.nodes,
    quantized: qdq.quantized,
  };
}
