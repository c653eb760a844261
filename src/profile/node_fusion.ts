// Which nodes onnxruntime's CPU graph optimiser fuses, read off the graph: an activation that is
// its convolution's only consumer (Conv+activation fusion, as an NPU compiler also folds it), and
// x * sigmoid(x) pairs (one QuickGelu kernel).
import type { GraphNode, OnnxGraph } from './onnx_graph';

/** Activations onnxruntime's ConvActivationFusion folds into the convolution before them. */
const FUSABLE_ACTIVATIONS = new Set(['Relu', 'LeakyRelu', 'Clip', 'Sigmoid', 'Tanh', 'HardSigmoid']);

/** Nodes that are activations fused into the convolution producing their input. */
export function fusedActivations(graph: OnnxGraph): Set<GraphNode> {
  const consumers = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  for (const o of graph.outputs) consumers.set(o, (consumers.get(o) ?? 0) + 1);
  const convOutputs = new Set(graph.nodes.filter((n) => n.op === 'Conv').map((n) => n.outputs[0]));
  return new Set(
    graph.nodes.filter((n) => FUSABLE_ACTIVATIONS.has(n.op) && convOutputs.has(n.inputs[0]) && consumers.get(n.inputs[0]) === 1),
  );
}

/** The Sigmoid and Mul nodes of x * sigmoid(x) pairs. */
export function siluParts(graph: OnnxGraph): Set<GraphNode> {
  const parts = new Set<GraphNode>();
  const sigmoids = new Map(graph.nodes.filter((n) => n.op === 'Sigmoid').map((n) => [n.outputs[0], n]));
  for (const mul of graph.nodes) {
    if (mul.op !== 'Mul' || mul.inputs.length !== 2) continue;
    const [a, b] = mul.inputs;
    const sig = sigmoids.get(b)?.inputs[0] === a ? sigmoids.get(b) : sigmoids.get(a)?.inputs[0] === b ? sigmoids.get(a) : undefined;
    if (sig) parts.add(sig).add(mul);
  }
  return parts;
}
