// Whole-model edits on the decoded ONNX protobuf (onnx-proto): read a model with a clear error,
// read a float initializer's values, and expose intermediate tensors as extra graph outputs so
// onnxruntime reports them (calibration and per-layer comparison both need that).
import { readFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';

/** Decodes `path` as an ONNX ModelProto; throws naming the file and what was expected. */
export function readModelProto(path: string): onnx.ModelProto {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`model "${path}" could not be read: ${(err as Error).message}`);
  }
  try {
    const model = onnx.ModelProto.decode(bytes);
    if (!model.graph?.node?.length) throw new Error('it has no graph nodes');
    return model;
  } catch (err) {
    throw new Error(`model "${path}" is not an ONNX model (.onnx): ${(err as Error).message}`);
  }
}

/** The default-domain opset the model imports (11 when it names none, ONNX's old default). */
export function modelOpset(model: onnx.IModelProto): number {
  const v = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  return v === undefined || v === null ? 11 : Number(v);
}

/** A FLOAT initializer's values (raw little-endian bytes or float_data), or undefined for other types. */
export function floatValues(t: onnx.ITensorProto): Float32Array | undefined {
  if (t.dataType !== onnx.TensorProto.DataType.FLOAT) return undefined;
  if (t.floatData && t.floatData.length > 0) return Float32Array.from(t.floatData);
  const raw = t.rawData ?? new Uint8Array();
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return new Float32Array(copy.buffer);
}

export const dimsOf = (t: onnx.ITensorProto): number[] => (t.dims ?? []).map(Number);

/** Serialised copy of `model` whose graph also outputs `names` (float tensors, shape left to onnxruntime). */
export function withExtraOutputs(model: onnx.IModelProto, names: readonly string[]): Uint8Array {
  const graph = model.graph ?? {};
  const present = new Set([...(graph.output ?? []), ...(graph.input ?? [])].map((o) => o.name));
  const extra = names
    .filter((n) => !present.has(n))
    .map((name) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }));
  return onnx.ModelProto.encode({ ...model, graph: { ...graph, output: [...(graph.output ?? []), ...extra] } }).finish();
}
