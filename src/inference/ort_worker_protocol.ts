// Messages between OnnxRuntimeBackend (main thread) and ort_session_worker (its worker thread).
import type { TensorInfo, TensorLike } from './tensor';

export type WorkerRequest =
  | { kind: 'load'; model: string | Uint8Array; options: Record<string, unknown> }
  | { kind: 'run'; id: number; feeds: Record<string, TensorLike> }
  | { kind: 'dispose' };

export type WorkerReply =
  | { kind: 'loaded'; inputs: TensorInfo[]; outputs: TensorInfo[] }
  | { kind: 'result'; id: number; outputs: Record<string, TensorLike> }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'disposed' };
