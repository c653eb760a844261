// Builds small ONNX models in code: preprocessing graphs run by onnxruntime, and the tiny
// detector/depth models the tests and the weight-free default use. Serialises with onnx-proto
// (the ONNX protobuf schema compiled for protobufjs), so the bytes are a real .onnx file.
import { onnx } from 'onnx-proto';

export type OnnxElementType = 'float32' | 'int64' | 'uint8' | 'int32';

const ELEMENT_TYPE: Record<OnnxElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
};

/** A graph input or output. A string dimension is symbolic (e.g. "batch"). */
export interface OnnxValueInfo {
  name: string;
  type: OnnxElementType;
  shape: Array<number | string>;
}

/** A constant tensor stored in the model. */
export interface OnnxInitializer {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array | Int32Array | Uint8Array;
}

export type OnnxAttribute = number | string | number[] | Float32Array;

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integers, floats, strings, or lists of them. A number with a fraction is stored as float;
   * use `{ float: x }` semantics by passing a Float32Array of length 1 to force a float list. */
  attributes?: Record<string, OnnxAttribute>;
  name?: string;
}

export interface OnnxGraphSpec {
  name: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers?: OnnxInitializer[];
  nodes: OnnxNode[];
  /** Default opset 13: broad onnxruntime support, and Resize/Pad take tensor inputs. */
  opset?: number;
  /** Float attributes by node-attribute key "opIndex.attr" are inferred from the value; names
   * listed here are always stored as floats even when integral (e.g. alpha = 1). */
  floatAttributes?: string[];
}

function valueInfo(v: OnnxValueInfo): onnx.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPE[v.type],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function initializer(t: OnnxInitializer): onnx.ITensorProto {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) {
    throw new RangeError(
      `onnx_graph_builder: initializer "${t.name}" has ${t.data.length} values; dims [${t.dims.join(', ')}] need ${count}`,
    );
  }
  const base = { name: t.name, dims: t.dims };
  if (t.data instanceof Float32Array) return { ...base, dataType: ELEMENT_TYPE.float32, floatData: Array.from(t.data) };
  if (t.data instanceof BigInt64Array) {
    return { ...base, dataType: ELEMENT_TYPE.int64, int64Data: Array.from(t.data, (v) => Number(v)) };
  }
  if (t.data instanceof Int32Array) return { ...base, dataType: ELEMENT_TYPE.int32, int32Data: Array.from(t.data) };
  return { ...base, dataType: ELEMENT_TYPE.uint8, rawData: t.data };
}

function attribute(name: string, value: OnnxAttribute, forceFloat: boolean): onnx.IAttributeProto {
  const A = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(value) };
  if (value instanceof Float32Array) return { name, type: A.FLOATS, floats: Array.from(value) };
  if (Array.isArray(value)) {
    const floats = forceFloat || value.some((v) => !Number.isInteger(v));
    return floats ? { name, type: A.FLOATS, floats: value } : { name, type: A.INTS, ints: value };
  }
  if (forceFloat || !Number.isInteger(value)) return { name, type: A.FLOAT, f: value };
  return { name, type: A.INT, i: value };
}

/** Serialises a graph spec to .onnx bytes. Throws if a node reads a value nothing defines. */
export function buildOnnxModel(spec: OnnxGraphSpec): Uint8Array {
  const defined = new Set<string>([...spec.inputs.map((i) => i.name), ...(spec.initializers ?? []).map((i) => i.name)]);
  for (const [index, node] of spec.nodes.entries()) {
    for (const input of node.inputs) {
      if (input !== '' && !defined.has(input)) {
        throw new Error(
          `onnx_graph_builder: graph "${spec.name}" node ${index} (${node.op}) reads "${input}", ` +
            'which no earlier node, input or initializer defines',
        );
      }
    }
    node.outputs.forEach((o) => defined.add(o));
  }
  const floatAttributes = new Set(spec.floatAttributes ?? []);
  const model: onnx.IModelProto = {
    irVersion: 7,
    producerName: 'dx_perception',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: spec.name,
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: (spec.initializers ?? []).map(initializer),
      node: spec.nodes.map((n, i) => ({
        opType: n.op,
        name: n.name ?? `${n.op}_${i}`,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attribute(k, v, floatAttributes.has(k))),
      })),
    },
  };
  return onnx.ModelProto.encode(model).finish();
}
