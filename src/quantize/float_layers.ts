// Which layers a quantisation keeps in floating point, as DX-COM lets a user do for the few
// layers INT8 hurts most: named nodes, plus two shorthands, `first` (the MAC layer that reads
// the image, whose input range is the whole pixel range) and `heads` (the MAC layers whose
// output reaches a graph output without passing another MAC layer: box and class regressors,
// where an error is a lost or moved detection rather than a slightly different feature).
import type { onnx } from 'onnx-proto';

export const MAC_OPS = new Set(['Conv', 'MatMul', 'Gemm']);

export const nodeName = (n: onnx.INodeProto, i: number): string => n.name || `${n.opType}_${i}`;

/** Index of the node producing each tensor of `graph`. */
export function producers(graph: onnx.IGraphProto): Map<string, number> {
  const producer = new Map<string, number>();
  (graph.node ?? []).forEach((n, i) => (n.output ?? []).forEach((o) => producer.set(o, i)));
  return producer;
}

/**
 * Names of the MAC nodes reached walking up from the producers of `tensors` through non-MAC
 * nodes only (a MAC node ends the walk).
 */
export function macsUpstream(graph: onnx.IGraphProto, producer: ReadonlyMap<string, number>, tensors: readonly string[]): Set<string> {
  const nodes = graph.node ?? [];
  const found = new Set<string>();
  const seen = new Set<number>();
  const stack = tensors.map((t) => producer.get(t)).filter((i): i is number => i !== undefined);
  while (stack.length > 0) {
    const i = stack.pop() as number;
    if (seen.has(i)) continue;
    seen.add(i);
    const n = nodes[i];
    if (MAC_OPS.has(n.opType ?? '')) {
      found.add(nodeName(n, i));
      continue;
    }
    for (const input of n.input ?? []) {
      const p = producer.get(input);
      if (p !== undefined) stack.push(p);
    }
  }
  return found;
}

/** Names of the MAC nodes whose output reaches a graph output through non-MAC nodes only. */
function headNodes(graph: onnx.IGraphProto): Set<string> {
  return macsUpstream(
    graph,
    producers(graph),
    (graph.output ?? []).map((o) => o.name ?? ''),
  );
}

/**
 * The node names `keep` selects (`first`, `heads` or node names). Throws naming an entry that is
 * no MAC node of the model, with a few names it does have.
 */
export function resolveFloatLayers(model: onnx.IModelProto, keep: readonly string[]): Set<string> {
  const graph = model.graph ?? {};
  const macs = (graph.node ?? []).map((n, i) => ({ n, name: nodeName(n, i) })).filter(({ n }) => MAC_OPS.has(n.opType ?? ''));
  const names = new Set(macs.map((m) => m.name));
  const out = new Set<string>();
  for (const k of keep) {
    if (k === 'first') {
      if (macs.length > 0) out.add(macs[0].name);
    } else if (k === 'heads') {
      for (const h of headNodes(graph)) out.add(h);
    } else if (names.has(k)) {
      out.add(k);
    } else {
      const some = macs
        .slice(0, 3)
        .map((m) => m.name)
        .join(', ');
      throw new Error(
        `--keep-float "${k}" is not a Conv/MatMul/Gemm node of the model; expected first, heads or node names such as ${some}`,
      );
    }
  }
  return out;
}
