// The inference backend contract. Callers only ever `submit` (or `run`) feeds and await
// results, so a runtime that executes elsewhere - onnxruntime on a worker thread today, an NPU
// such as DEEPX DX-RT (submit-and-wait / submit-with-callback) later - fits behind it unchanged.
import { formatShape, shapeMatches, type TensorInfo, type TensorLike } from './tensor';

export type TensorMap = Record<string, TensorLike>;

/** One submitted inference. Mirrors DX-RT's RunAsync + Wait / callback pair. */
export interface InferenceJob {
  /** Resolves with the outputs, or rejects with the run's error. May be awaited more than once. */
  wait(): Promise<TensorMap>;
  /** Registers a completion callback (called once, on the event loop) instead of awaiting. */
  onDone(callback: (err: Error | null, outputs?: TensorMap) => void): void;
}

/** Options common to every backend; each backend documents which it honours. */
export interface BackendOptions {
  /** Threads one operator may use (onnxruntime intra-op pool). 0 = runtime default. */
  intraOpThreads: number;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  /** Ordered preference, e.g. ['cuda', 'cpu']. Absent providers are skipped with a warning. */
  executionProviders: string[];
  /** Name used in error messages (defaults to the model path, or "<in-memory model>"). */
  label?: string;
}

export const DEFAULT_BACKEND_OPTIONS: BackendOptions = {
  intraOpThreads: 0,
  graphOptimizationLevel: 'all',
  executionProviders: ['cpu'],
};

export interface InferenceBackend {
  /** Loads a model from a path or bytes. Must be called (and awaited) once before anything else. */
  load(model: string | Uint8Array, opts?: Partial<BackendOptions>): Promise<void>;
  inputs(): readonly TensorInfo[];
  outputs(): readonly TensorInfo[];
  /** The label used in this backend's error messages. */
  readonly label: string;
  /** Runs `n` inferences on zero inputs of the declared shape (symbolic dims = 1). */
  warmup(n: number): Promise<void>;
  /** Queues one inference; the event loop is never blocked while it executes. Feeds are
   * validated against `inputs()` synchronously (throws naming model, tensor and shape). The
   * caller must not modify feed buffers until the job is done (they may be transferred). */
  submit(feeds: TensorMap): InferenceJob;
  /** submit(feeds).wait(). */
  run(feeds: TensorMap): Promise<TensorMap>;
  /** Releases the runtime; pending jobs reject. Idempotent. */
  dispose(): Promise<void>;
}

/** Throws if `feeds` do not name exactly the model's inputs with fitting shapes and types. */
export function validateFeeds(label: string, inputs: readonly TensorInfo[], feeds: TensorMap): void {
  for (const info of inputs) {
    const t = feeds[info.name];
    if (t === undefined) {
      throw new Error(`model "${label}": missing input tensor "${info.name}" (expected ${info.type} ${formatShape(info.shape)})`);
    }
    if (!shapeMatches(info.shape, t.dims)) {
      throw new Error(
        `model "${label}": input tensor "${info.name}" has shape ${formatShape(t.dims)}; expected ${formatShape(info.shape)}`,
      );
    }
    if (t.type !== info.type) {
      throw new Error(`model "${label}": input tensor "${info.name}" has type ${t.type}; expected ${info.type}`);
    }
  }
  for (const name of Object.keys(feeds)) {
    if (!inputs.some((i) => i.name === name)) {
      throw new Error(
        `model "${label}": unknown input tensor "${name}"; the model's inputs are ${inputs.map((i) => `"${i.name}"`).join(', ')}`,
      );
    }
  }
}

/** An InferenceJob over a promise; what promise-based backends return from `submit`. */
export function jobFromPromise(promise: Promise<TensorMap>): InferenceJob {
  // Attach a no-op handler so a job nobody waits on does not raise an unhandled rejection.
  promise.catch(() => undefined);
  return {
    wait: () => promise,
    onDone: (callback) => {
      promise.then(
        (out) => callback(null, out),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  };
}
