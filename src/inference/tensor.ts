// The tensor value that crosses the backend boundary. Deliberately a plain object (no runtime
// class) so it can be posted to a worker thread, handed to an NPU runtime, or built in a test
// without importing onnxruntime.

export type TensorElementType = 'float32' | 'uint8' | 'int32' | 'int64';

export type TensorData = Float32Array | Uint8Array | Int32Array | BigInt64Array;

export interface TensorLike {
  type: TensorElementType;
  /** Concrete dimensions, outermost first. */
  dims: readonly number[];
  /** Row-major values; length = product of dims. */
  data: TensorData;
}

/** Model input/output metadata. A string dimension is symbolic (e.g. "batch"), resolved per run. */
export interface TensorInfo {
  name: string;
  type: TensorElementType | string;
  shape: ReadonlyArray<number | string>;
}

/** Number of elements a shape holds. */
export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** "[1, 3, 416, 416]"; symbolic dims printed by name. Used in every shape error message. */
export function formatShape(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(', ')}]`;
}

/** Whether concrete dims fit a declared shape (symbolic or negative dims match anything). */
export function shapeMatches(declared: ReadonlyArray<number | string>, dims: readonly number[]): boolean {
  if (declared.length === 0) return true; // unknown rank: nothing to check
  if (declared.length !== dims.length) return false;
  return declared.every((d, i) => typeof d === 'string' || d < 0 || d === dims[i]);
}
