// A QDQ (INT8) model as an NPU compiler sees it: DX-COM, like onnxruntime's QDQ fusion, folds
// DequantizeLinear of a constant into an INT8 weight and a QuantizeLinear -> DequantizeLinear
// pair into the integer tensor between two layers. Folded here the same way, a QDQ graph costs
// the same MAC layers and tensors as its FP32 original, at the profile's INT8 width, instead of
// paying a vector pass per Q/DQ node and reading weights as activations.
import type { GraphNode, GraphTensor } from './onnx_graph_types';

const isQ = (op: string) => op === 'QuantizeLinear';
const isDq = (op: string) => op === 'DequantizeLinear';

export interface FoldedQdq {
  nodes: GraphNode[];
  initializers: Map<string, GraphTensor>;
  /** Graph outputs, renamed where an output was a folded DequantizeLinear's. */
  outputs: string[];
  /** Whether the graph held Q/DQ nodes (an INT8 QDQ model). */
  quantized: boolean;
}

/** Folds the graph's Q/DQ nodes (see file comment); a graph without them comes back unchanged. */
export function foldQdq(nodes: GraphNode[], initializers: Map<string, GraphTensor>, outputs: string[]): FoldedQdq {
  if (!nodes.some((n) => isQ(n.op) || isDq(n.op))) return { nodes, initializers, outputs, quantized: false };
  const alias = new Map<string, string>();
  const quantizedFrom = new Map<string, string>();
  const folded = new Set<GraphNode>();
  for (const n of nodes) {
    const [input] = n.inputs;
    if (isQ(n.op)) {
      quantizedFrom.set(n.outputs[0], input);
    } else if (isDq(n.op)) {
      const weight = initializers.get(input);
      if (weight) {
        // The integer constant is the weight: its dims, no decoded values (not a shape argument).
        initializers.set(n.outputs[0], { name: n.outputs[0], dims: weight.dims, values: undefined });
        folded.add(n);
      } else if (quantizedFrom.has(input)) {
        alias.set(n.outputs[0], quantizedFrom.get(input) as string);
        folded.add(n);
      }
    }
  }
  const rename = (t: string) => alias.get(t) ?? t;
  const kept = nodes.filter((n) => !folded.has(n)).map((n) => ({ ...n, inputs: n.inputs.map(rename) }));
  // A QuantizeLinear nothing reads any more was only there for its DequantizeLinear.
  const read = new Set([...kept.flatMap((n) => n.inputs), ...outputs]);
  return {
    nodes: kept.filter((n) => !isQ(n.op) || n.outputs.some((o) => read.has(o))),
    initializers,
    outputs: outputs.map(rename),
    quantized: true,
  };
}
