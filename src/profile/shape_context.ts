// The shared machinery of static shape inference: what is known of a tensor, what a per-operator
// handler sees of its node (inputs, attributes, opset), and the broadcasting and sliding-window
// formulas several handlers use.
import type { AttributeValue, GraphNode } from './onnx_graph';

export interface TensorInfo {
  shape: number[];
  /** Element values when statically known (constants and folded shape arithmetic). */
  values?: number[];
}

export type ShapeMap = Map<string, TensorInfo>;

/** What a handler sees of one node: its inputs' shapes, its attributes, the model's opset. */
export class NodeContext {
  constructor(
    readonly node: GraphNode,
    readonly opset: number,
    private readonly shapes: ShapeMap,
  ) {}

  /** Input i's info; throws if the input is absent or has no known shape. */
  input(i: number): TensorInfo {
    const name = this.node.inputs[i];
    const info = name ? this.shapes.get(name) : undefined;
    if (!info) this.fail(`input ${i} ("${name ?? ''}") has no known shape`);
    return info;
  }

  hasInput(i: number): boolean {
    const name = this.node.inputs[i];
    return name !== undefined && name !== '';
  }

  /** Constant values of input i (for shape arguments); throws if they are not static. */
  values(i: number): number[] {
    const v = this.input(i).values;
    if (!v) this.fail(`input ${i} ("${this.node.inputs[i]}") is not a static constant`);
    return v;
  }

  int(name: string, fallback: number): number {
    const v = this.node.attributes.get(name);
    return typeof v === 'number' ? v : fallback;
  }

  numbers(name: string): number[] | undefined {
    const v: AttributeValue | undefined = this.node.attributes.get(name);
    return Array.isArray(v) ? (v as number[]) : undefined;
  }

  str(name: string, fallback: string): string {
    const v = this.node.attributes.get(name);
    return typeof v === 'string' ? v : fallback;
  }

  fail(what: string): never {
    throw new Error(`shape inference: node "${this.node.name}" (${this.node.op}): ${what}`);
  }
}

export type Handler = (c: NodeContext) => TensorInfo[];

export const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);
export const normAxis = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

export function broadcast(c: NodeContext, shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v !== 1 && d !== 1 && v !== d) c.fail(`cannot broadcast shapes ${shapes.map((x) => `[${x}]`).join(' and ')}`);
      if (v !== 1) d = v;
    }
    out.push(d);
  }
  return out;
}

/** Output spatial sizes of a sliding window (Conv, pooling), per the ONNX formulas. */
export function windowOutput(c: NodeContext, spatialIn: number[], kernel: number[], ceilMode = false): number[] {
  const n = spatialIn.length;
  const strides = c.numbers('strides') ?? new Array<number>(n).fill(1);
  const dilations = c.numbers('dilations') ?? new Array<number>(n).fill(1);
  const pads = c.numbers('pads') ?? new Array<number>(2 * n).fill(0);
  const autoPad = c.str('auto_pad', 'NOTSET');
  return spatialIn.map((size, i) => {
    const effective = dilations[i] * (kernel[i] - 1) + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(size / strides[i]);
    const padded = autoPad === 'VALID' ? size : size + pads[i] + pads[i + n];
    const round = ceilMode ? Math.ceil : Math.floor;
    return round((padded - effective) / strides[i]) + 1;
  });
}
