// Static shape inference for the common CNN operators, with constant folding of the small integer
// tensors (Shape -> Gather -> Concat -> Reshape chains) that exporters use to compute shapes.
// The cost model needs every tensor's shape to count MACs and bytes; an operator it cannot infer
// is an error naming the node, never a guessed shape. The per-operator handlers live in
// shape_ops_compute.ts and shape_ops_layout.ts; this file maps operators to them.
import type { OnnxGraph } from './onnx_graph';
import { NodeContext, type Handler, type ShapeMap } from './shape_context';
import { COMPUTE_HANDLERS } from './shape_ops_compute';
import { LAYOUT_HANDLERS } from './shape_ops_layout';

export type { ShapeMap, TensorInfo } from './shape_context';

const HANDLERS: Record<string, Handler> = { ...COMPUTE_HANDLERS, ...LAYOUT_HANDLERS };

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
