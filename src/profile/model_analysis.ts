// Per-node work of an ONNX model, independent of any hardware: MACs, other arithmetic, and the
// element counts of weights and activations each node touches.
//
// Counting conventions (the ones behind published "GFLOPs = 2 x GMACs" figures, e.g. thop):
// - Conv: output elements x (input channels / group) x kernel area. Bias adds are not MACs.
// - ConvTranspose: input elements x (output channels / group) x kernel area.
// - Gemm / MatMul: output elements x inner dimension.
// - Every other operator has 0 MACs; its arithmetic is `vectorOps` (ops per output element from
//   VECTOR_OPS_PER_ELEMENT, or kernel area for pooling), which the cost model runs on the vector
//   path. Layout-only operators (Reshape, Flatten, Squeeze, Unsqueeze, Identity) move no data.
// - Nodes whose outputs are all static constants (Shape -> Gather -> Concat chains) are folded
//   at compile time and are not layers.
import { readOnnxGraph, type GraphNode, type OnnxGraph } from './onnx_graph';
import { fusedActivations, siluParts } from './node_fusion';
import { inferShapes, type ShapeMap, type TensorInfo } from './shape_inference';

export interface LayerAnalysis {
  name: string;
  op: string;
  outputShape: number[];
  macs: number;
  /** Non-MAC arithmetic (activations, elementwise, pooling), in operations. */
  vectorOps: number;
  /** Weight (initializer) elements read, i.e. bytes at 1 byte per element (INT8). */
  weightBytes: number;
  /** Input activation elements read (bytes at INT8). */
  inputBytes: number;
  /** Output activation elements written (bytes at INT8). */
  outputBytes: number;
  /** inputBytes + outputBytes. */
  activationBytes: number;
  /** Reads a graph input (camera tensor from DRAM) / writes a graph output (to DRAM). */
  readsGraphInput: boolean;
  writesGraphOutput: boolean;
  /** Only reinterprets the tensor (no data moved, no time on any device). */
  layoutOnly: boolean;
  /**
   * The kind of MAC layer, which engines run at very different rates: dense (k x k, group 1),
   * pointwise (1x1 convolutions, Gemm, MatMul: a plain matrix product) or depthwise (one input
   * channel per group: few MACs per byte). Undefined for layers without MACs.
   */
  macKind?: MacKind;
  /**
   * Input and output channels of a convolution (input = weight channels x group). A CPU runtime's
   * fast convolution path needs them in multiples of its SIMD channel block (see cost_model.ts).
   */
  channels?: { in: number; out: number };
  /**
   * An activation applied to a convolution's output as it is written: the convolution's only
   * consumer, of a kind onnxruntime's Conv+activation fusion (and an NPU compiler) folds into it.
   */
  fusedActivation: boolean;
  /**
   * A Sigmoid and the Mul of its input by it (SiLU): onnxruntime fuses the pair into one
   * element-wise kernel (QuickGelu) that it splits over its threads at any size.
   */
  siluPart?: boolean;
}

export type MacKind = 'dense' | 'pointwise' | 'depthwise';

export interface ModelAnalysis {
  graphName: string;
  inputs: Array<{ name: string; shape: number[] }>;
  outputs: Array<{ name: string; shape: number[] }>;
  layers: LayerAnalysis[];
  totalMacs: number;
  totalWeightBytes: number;
  /** Nodes folded to constants at compile time (not in `layers`). */
  foldedNodes: number;
  /** An INT8 QDQ model (from `dx-perception quantize`): its Q/DQ nodes folded into the MAC layers. */
  quantized: boolean;
}

export interface AnalyzeOptions {
  /** Shapes for graph inputs with symbolic dimensions, or to analyse another resolution. */
  inputShapes?: Record<string, number[]>;
}

const LAYOUT_ONLY = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout']);

/** Arithmetic ops per output element of elementwise operators (rough, documented costs). */
const VECTOR_OPS_PER_ELEMENT: Record<string, number> = {
  Relu: 1,
  LeakyRelu: 2,
  PRelu: 2,
  Clip: 2,
  Add: 1,
  Sub: 1,
  Mul: 1,
  Div: 1,
  Max: 1,
  Min: 1,
  Neg: 1,
  Abs: 1,
  Sigmoid: 4,
  HardSigmoid: 3,
  HardSwish: 4,
  Tanh: 4,
  Exp: 4,
  Log: 4,
  Sqrt: 4,
  Erf: 6,
  Gelu: 8,
  Mish: 8,
  Softplus: 6,
  Elu: 4,
  Selu: 5,
  Pow: 4,
  Reciprocal: 1,
  BatchNormalization: 2,
  InstanceNormalization: 4,
  Softmax: 5,
  LogSoftmax: 6,
  Resize: 4,
  Upsample: 4,
  Cast: 1,
  Where: 1,
  Equal: 1,
  Less: 1,
  Greater: 1,
};

/** Which input indices of an operator are shape/index arguments, not weights or activations. */
const ARGUMENT_INPUTS: Record<string, number[]> = {
  Reshape: [1],
  Slice: [1, 2, 3, 4],
  Resize: [1, 2, 3],
  Upsample: [1],
  Pad: [1, 2, 3],
  Split: [1],
  Squeeze: [1],
  Unsqueeze: [1],
  Gather: [1],
  Expand: [1],
  Tile: [1],
  ReduceMean: [1],
  ReduceMax: [1],
  ReduceSum: [1],
  ConstantOfShape: [0],
  TopK: [1],
  Range: [0, 1, 2],
};

const elements = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function countMacs(node: GraphNode, shapeOf: (name: string) => TensorInfo): number {
  const out = shapeOf(node.outputs[0]).shape;
  switch (node.op) {
    case 'Conv': {
      const w = shapeOf(node.inputs[1]).shape;
      return elements(out) * w[1] * elements(w.slice(2));
    }
    case 'ConvTranspose': {
      const x = shapeOf(node.inputs[0]).shape;
      const w = shapeOf(node.inputs[1]).shape;
      return elements(x) * w[1] * elements(w.slice(2));
    }
    case 'Gemm': {
      const a = shapeOf(node.inputs[0]).shape;
      const inner = node.attributes.get('transA') === 1 ? a[0] : a[1];
      return elements(out) * inner;
    }
    case 'MatMul': {
      const a = shapeOf(node.inputs[0]).shape;
      return elements(out) * a[a.length - 1];
    }
    default:
      return 0;
  }
}

function macKindOf(node: GraphNode, shapeOf: (name: string) => TensorInfo): MacKind | undefined {
  if (node.op === 'Gemm' || node.op === 'MatMul') return 'pointwise';
  if (node.op !== 'Conv' && node.op !== 'ConvTranspose') return undefined;
  const w = shapeOf(node.inputs[1]).shape;
  if (w[1] === 1 && Number(node.attributes.get('group') ?? 1) > 1) return 'depthwise';
  return elements(w.slice(2)) === 1 ? 'pointwise' : 'dense';
}

function channelsOf(node: GraphNode, shapeOf: (name: string) => TensorInfo): { in: number; out: number } | undefined {
  if (node.op !== 'Conv') return undefined;
  const w = shapeOf(node.inputs[1]).shape;
  return { in: w[1] * Number(node.attributes.get('group') ?? 1), out: w[0] };
}

function countVectorOps(node: GraphNode, shapeOf: (name: string) => TensorInfo): number {
  const out = elements(shapeOf(node.outputs[0]).shape);
  switch (node.op) {
    case 'MaxPool':
    case 'AveragePool': {
      const k = node.attributes.get('kernel_shape');
      return out * (Array.isArray(k) ? elements(k as number[]) : 1);
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool':
    case 'ReduceMean':
    case 'ReduceMax':
    case 'ReduceSum':
      return elements(shapeOf(node.inputs[0]).shape);
    default:
      return out * (VECTOR_OPS_PER_ELEMENT[node.op] ?? 0);
  }
}

function analyzeNode(
  graph: OnnxGraph,
  node: GraphNode,
  shapes: ShapeMap,
  graphInputs: Set<string>,
  graphOutputs: Set<string>,
  fused: boolean,
): LayerAnalysis {
  const shapeOf = (name: string): TensorInfo => {
    const info = shapes.get(name);
    if (!info) throw new Error(`analyzeModel: node "${node.name}" (${node.op}) uses "${name}", whose shape is unknown`);
    return info;
  };
  const argumentInputs = ARGUMENT_INPUTS[node.op] ?? [];
  let weightBytes = 0;
  let inputBytes = 0;
  node.inputs.forEach((name, i) => {
    if (name === '' || argumentInputs.includes(i)) return;
    const info = shapeOf(name);
    if (graph.initializers.has(name)) weightBytes += elements(info.shape);
    else if (!info.values) inputBytes += elements(info.shape);
  });
  const outputBytes = node.outputs.filter((o) => o !== '').reduce((sum, o) => sum + elements(shapeOf(o).shape), 0);
  const layoutOnly = LAYOUT_ONLY.has(node.op);
  return {
    name: node.name,
    op: node.op,
    outputShape: shapeOf(node.outputs[0]).shape,
    macs: countMacs(node, shapeOf),
    vectorOps: layoutOnly ? 0 : countVectorOps(node, shapeOf),
    weightBytes,
    inputBytes: layoutOnly ? 0 : inputBytes,
    outputBytes: layoutOnly ? 0 : outputBytes,
    activationBytes: layoutOnly ? 0 : inputBytes + outputBytes,
    readsGraphInput: node.inputs.some((i) => graphInputs.has(i)),
    writesGraphOutput: node.outputs.some((o) => graphOutputs.has(o)),
    layoutOnly,
    macKind: macKindOf(node, shapeOf),
    channels: channelsOf(node, shapeOf),
    fusedActivation: fused,
  };
}

/**
 * Reads an ONNX model (path or bytes), infers every tensor's shape and counts each node's work.
 * Throws an Error naming the node when a shape cannot be inferred (see shape_inference.ts).
 */
export function analyzeModel(model: string | Uint8Array, opts: AnalyzeOptions = {}): ModelAnalysis {
  const graph = readOnnxGraph(model);
  const shapes = inferShapes(graph, opts.inputShapes ?? {});
  const graphInputs = new Set(graph.inputs.map((i) => i.name));
  const graphOutputs = new Set(graph.outputs);
  const fused = fusedActivations(graph);
  const silu = siluParts(graph);
  const layers: LayerAnalysis[] = [];
  let foldedNodes = 0;
  for (const node of graph.nodes) {
    const folded = node.outputs.every((o) => o === '' || shapes.get(o)?.values !== undefined);
    if (folded && !node.outputs.some((o) => graphOutputs.has(o))) {
      foldedNodes++;
      continue;
    }
    const layer = analyzeNode(graph, node, shapes, graphInputs, graphOutputs, fused.has(node));
    layers.push(silu.has(node) ? { ...layer, siluPart: true } : layer);
  }
  const shapeOf = (name: string) => shapes.get(name)?.shape ?? [];
  return {
    graphName: graph.name,
    inputs: graph.inputs.map((i) => ({ name: i.name, shape: shapeOf(i.name) })),
    outputs: graph.outputs.map((name) => ({ name, shape: shapeOf(name) })),
    layers,
    totalMacs: layers.reduce((s, l) => s + l.macs, 0),
    totalWeightBytes: layers.reduce((s, l) => s + l.weightBytes, 0),
    foldedNodes,
    quantized: graph.quantized,
  };
}
