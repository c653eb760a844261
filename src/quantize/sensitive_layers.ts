// Mixed precision from the sensitivity table, the way DX-COM users choose layers to keep at
// higher precision: the layers where INT8 itself loses the most. A layer's output SQNR also
// carries the error of everything upstream, so a layer is ranked by its SQNR drop: the worst
// SQNR among the MAC layers feeding it (through non-MAC nodes) minus its own. A layer reading
// the graph input is held against the network's most faithful layer: its input quantiser loses
// something too, and against a clean input every first layer would rank first.
import type { onnx } from 'onnx-proto';
import { MAC_OPS, macsUpstream, nodeName, producers } from './float_layers';
import type { LayerSensitivity } from './layer_sensitivity';

/** `keepFloat` entries of this form ask for the N most sensitive layers. */
export const SENSITIVE_PREFIX = 'sensitive:';

/** MAC node name -> the MAC nodes whose outputs reach its first input through non-MAC nodes only. */
function feedingMacs(graph: onnx.IGraphProto): Map<string, string[]> {
  const producer = producers(graph);
  const feeding = new Map<string, string[]>();
  (graph.node ?? []).forEach((n, i) => {
    if (MAC_OPS.has(n.opType ?? '')) feeding.set(nodeName(n, i), [...macsUpstream(graph, producer, [(n.input ?? [])[0] ?? ''])]);
  });
  return feeding;
}

/** Each layer's SQNR drop (dB) from its worst feeding layer, most sensitive first. */
export function sensitivityDrops(model: onnx.IModelProto, layers: readonly LayerSensitivity[]): Array<{ node: string; dropDb: number }> {
  const feeding = feedingMacs(model.graph ?? {});
  const sqnr = new Map(layers.map((l) => [l.node, l.sqnrDb]));
  const best = Math.max(...layers.map((l) => l.sqnrDb));
  return layers
    .map((l) => {
      const inputs = (feeding.get(l.node) ?? []).map((f) => sqnr.get(f) ?? best);
      return { node: l.node, dropDb: (inputs.length > 0 ? Math.min(...inputs) : best) - l.sqnrDb };
    })
    .sort((a, b) => b.dropDb - a.dropDb);
}

/**
 * The count N of a `sensitive:N` entry in `keepFloat` (0 when there is none) and the other
 * entries. Throws naming the entry when N is not a positive integer.
 */
export function splitSensitive(keepFloat: readonly string[]): { count: number; named: string[] } {
  let count = 0;
  const named: string[] = [];
  for (const k of keepFloat) {
    if (!k.startsWith(SENSITIVE_PREFIX)) {
      named.push(k);
      continue;
    }
    const n = Number(k.slice(SENSITIVE_PREFIX.length));
    if (!Number.isInteger(n) || n < 1) throw new Error(`--keep-float "${k}": expected ${SENSITIVE_PREFIX}N with N a positive integer`);
    count = Math.max(count, n);
  }
  return { count, named };
}
