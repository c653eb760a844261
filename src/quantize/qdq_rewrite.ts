// Rewrites an FP32 ONNX model into a QDQ graph: each Conv/MatMul/Gemm reads its activation
// through QuantizeLinear -> DequantizeLinear (per-tensor uint8, from calibrated ranges) and its
// weight through DequantizeLinear of an int8 initializer (per-channel symmetric). Everything
// else stays FP32, as an NPU compiler (DX-COM) or onnxruntime's QDQ fusion expects: they fuse
// DQ -> Conv -> Q into integer kernels. Per-channel DequantizeLinear needs opset 13; older
// models keep their opset and use onnxruntime's com.microsoft Q/DQ, which take the same axis.
import { onnx } from 'onnx-proto';
import { MAC_OPS as QUANTIZABLE, nodeName } from './float_layers';
import { dimsOf, floatValues, modelOpset } from './onnx_model_edit';
import { activationParams, quantizeBias, quantizeWeightsPerChannel } from './qdq_math';
import type { TensorRange } from './activation_ranges';

const MS_DOMAIN = 'com.microsoft';

export interface QuantizePlan {
  /** Activation tensors to calibrate, in graph order. */
  activations: string[];
  /** Node name -> [weight initializer, channel axis], for nodes whose weight is a constant. */
  weights: Map<string, [string, number]>;
  /** MAC nodes left FP32 on request. */
  keptFloat: ReadonlySet<string>;
}

function weightAxis(n: onnx.INodeProto, rank: number): number | undefined {
  if (n.opType === 'Conv') return 0;
  if (rank < 2) return undefined;
  if (n.opType === 'Gemm') return (n.attribute ?? []).some((a) => a.name === 'transB' && Number(a.i) === 1) ? 0 : 1;
  return rank - 1; // MatMul: [.., K, N], one scale per output feature N
}

/**
 * Which tensors the rewrite quantises; the MAC nodes named in `keepFloat` stay FP32. Throws if
 * the model already holds Q/DQ nodes.
 */
export function planQuantization(model: onnx.IModelProto, keepFloat: ReadonlySet<string> = new Set()): QuantizePlan {
  const graph = model.graph ?? {};
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  if ((graph.node ?? []).some((n) => n.opType === 'QuantizeLinear' || n.opType === 'DequantizeLinear')) {
    throw new Error('the model already contains QuantizeLinear/DequantizeLinear nodes; quantize its FP32 original');
  }
  const activations: string[] = [];
  const weights = new Map<string, [string, number]>();
  const seen = new Set<string>();
  (graph.node ?? []).forEach((n, i) => {
    if (!QUANTIZABLE.has(n.opType ?? '') || keepFloat.has(nodeName(n, i))) return;
    const [a, b] = n.input ?? [];
    const w = inits.get(b);
    const axis = w && floatValues(w) ? weightAxis(n, dimsOf(w).length) : undefined;
    if (w && axis === undefined) return; // a constant we cannot quantise per channel: leave FP32
    const acts = n.opType === 'Conv' || w ? [a] : [a, b];
    for (const t of acts) {
      if (inits.has(t) || seen.has(t)) continue;
      seen.add(t);
      activations.push(t);
    }
    if (w && axis !== undefined) weights.set(nodeName(n, i), [b, axis]);
  });
  return { activations, weights, keptFloat: keepFloat };
}

function scalarInit(name: string, dataType: number, dims: number[], raw: Uint8Array): onnx.ITensorProto {
  return { name, dataType, dims, rawData: raw };
}
const f32Bytes = (v: Float32Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
const T = onnx.TensorProto.DataType;

/** The QDQ model for `plan` with activation `ranges` (one per plan.activations entry). */
export function rewriteToQdq(model: onnx.IModelProto, plan: QuantizePlan, ranges: ReadonlyMap<string, TensorRange>): onnx.ModelProto {
  const graph = model.graph ?? {};
  const domain = modelOpset(model) >= 13 ? '' : MS_DOMAIN;
  const inits = new Map((graph.initializer ?? []).map((t) => [t.name ?? '', t]));
  const added: onnx.ITensorProto[] = [];
  const quantizedWeights = new Set<string>();
  const emitted = new Set<string>();
  const nodes: onnx.INodeProto[] = [];
  const dq = (input: string, scale: string, zp: string, out: string, axis?: number): onnx.INodeProto => ({
    opType: 'DequantizeLinear',
    domain,
    name: `${out}_DequantizeLinear`,
    input: [input, scale, zp],
    output: [out],
    attribute: axis === undefined ? [] : [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: axis }],
  });

  const activation = (t: string): string => {
    const out = `${t}_DequantizeLinear_Output`;
    if (emitted.has(out)) return out;
    const r = ranges.get(t);
    if (!r) throw new Error(`no calibration range for tensor "${t}"`);
    const p = activationParams(r.min, r.max);
    added.push(scalarInit(`${t}_scale`, T.FLOAT, [], f32Bytes(Float32Array.of(p.scale))));
    added.push(scalarInit(`${t}_zero_point`, T.UINT8, [], Uint8Array.of(p.zeroPoint)));
    nodes.push({
      opType: 'QuantizeLinear',
      domain,
      name: `${t}_QuantizeLinear`,
      input: [t, `${t}_scale`, `${t}_zero_point`],
      output: [`${t}_QuantizeLinear_Output`],
    });
    nodes.push(dq(`${t}_QuantizeLinear_Output`, `${t}_scale`, `${t}_zero_point`, out));
    emitted.add(out);
    return out;
  };

  const weightScales = new Map<string, Float32Array>();
  const weight = (w: string, axis: number): string => {
    const out = `${w}_DequantizeLinear_Output`;
    if (emitted.has(out)) return out;
    const t = inits.get(w) as onnx.ITensorProto;
    const dims = dimsOf(t);
    const q = quantizeWeightsPerChannel(floatValues(t) as Float32Array, dims, axis);
    weightScales.set(w, q.scales);
    added.push(scalarInit(`${w}_quantized`, T.INT8, dims, new Uint8Array(q.values.buffer)));
    added.push(scalarInit(`${w}_scale`, T.FLOAT, [q.scales.length], f32Bytes(q.scales)));
    added.push(scalarInit(`${w}_zero_point`, T.INT8, [q.scales.length], new Uint8Array(q.scales.length)));
    nodes.push(dq(`${w}_quantized`, `${w}_scale`, `${w}_zero_point`, out, axis));
    quantizedWeights.add(w);
    emitted.add(out);
    return out;
  };

  // A float bias of a quantised Conv/Gemm becomes int32 at scale activation x weight scale, as
  // integer kernels accumulate it. Left FP32, onnxruntime's own bias quantisation inserts a
  // DequantizeLinear with an axis that opset < 13 does not define, and the model fails to load.
  const bias = (n: onnx.INodeProto, i: number, b: string, act: string, w: string): string => {
    const t = inits.get(b);
    const values = t && floatValues(t);
    const ws = weightScales.get(w);
    const r = ranges.get(act);
    if (!values || !ws || !r || values.length !== ws.length) return b;
    const sa = activationParams(r.min, r.max).scale;
    const name = `${nodeName(n, i)}_bias`;
    const scales = ws.map((s) => s * sa);
    const q = quantizeBias(values, scales);
    added.push(scalarInit(`${name}_quantized`, T.INT32, [q.length], new Uint8Array(q.buffer)));
    added.push(scalarInit(`${name}_scale`, T.FLOAT, [q.length], f32Bytes(scales)));
    added.push(scalarInit(`${name}_zero_point`, T.INT32, [q.length], new Uint8Array(4 * q.length)));
    nodes.push(dq(`${name}_quantized`, `${name}_scale`, `${name}_zero_point`, `${name}_DequantizeLinear_Output`, 0));
    quantizedWeights.add(b);
    return `${name}_DequantizeLinear_Output`;
  };

  const activationSet = new Set(plan.activations);
  (graph.node ?? []).forEach((n, i) => {
    const planned = plan.weights.get(nodeName(n, i));
    if (!QUANTIZABLE.has(n.opType ?? '') || plan.keptFloat.has(nodeName(n, i)) || (!planned && inits.has((n.input ?? [])[1]))) {
      nodes.push(n);
      return;
    }
    const raw = n.input ?? [];
    const input = raw.map((name, k) => {
      if (k === 1 && planned) return weight(planned[0], planned[1]);
      if (k === 2 && planned && name && activationSet.has(raw[0])) return bias(n, i, name, raw[0], planned[0]);
      return k < 2 && activationSet.has(name) ? activation(name) : name;
    });
    nodes.push({ ...n, input });
  });

  // A weight another (unquantised) node still reads keeps its FP32 initializer.
  const stillRead = new Set(nodes.flatMap((n) => n.input ?? []));
  const dropped = (name: string | null | undefined) => quantizedWeights.has(name ?? '') && !stillRead.has(name ?? '');
  const initializer = [...(graph.initializer ?? []).filter((t) => !dropped(t.name)), ...added];
  // Old exporters (IR < 4) also list initializers as graph inputs: a dropped weight must go there too.
  const input = (graph.input ?? []).filter((i) => !dropped(i.name));
  const opsetImport = [...(model.opsetImport ?? [])];
  if (domain === MS_DOMAIN && !opsetImport.some((o) => o.domain === MS_DOMAIN)) opsetImport.push({ domain: MS_DOMAIN, version: 1 });
  return onnx.ModelProto.create({
    ...model,
    opsetImport,
    producerName: 'dx_perception quantize',
    graph: { ...graph, input, node: nodes, initializer, valueInfo: [] },
  });
}
