// The plain ONNX graph the cost model walks (read by onnx_graph.ts, folded by qdq_fold.ts): its own
// file so that the reader and the Q/DQ folding it calls both use it without importing each other.
export type AttributeValue = number | string | number[] | string[];

export interface GraphNode {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: ReadonlyMap<string, AttributeValue>;
}

export interface GraphTensor {
  name: string;
  dims: number[];
  /** Element values, only for tensors of at most MAX_CONSTANT_VALUES elements (shape arguments). */
  values: number[] | undefined;
}

export interface GraphInput {
  name: string;
  /** undefined dimension = symbolic or unknown. */
  shape: Array<number | undefined>;
}

export interface OnnxGraph {
  name: string;
  opset: number;
  inputs: GraphInput[];
  outputs: string[];
  initializers: ReadonlyMap<string, GraphTensor>;
  nodes: GraphNode[];
  /** An INT8 QDQ model, its Q/DQ nodes folded away (qdq_fold.ts). */
  quantized: boolean;
}
