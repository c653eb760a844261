// onnxruntime-node implementation of InferenceBackend. The session runs on a dedicated worker
// thread (see ort_session_worker.ts) because onnxruntime-node's run is synchronous.
import { existsSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { listSupportedBackends } from 'onnxruntime-node';
import {
  DEFAULT_BACKEND_OPTIONS,
  jobFromPromise,
  validateFeeds,
  type BackendOptions,
  type InferenceBackend,
  type InferenceJob,
  type TensorMap,
} from './backend';
import { elementCount, type TensorInfo, type TensorLike } from './tensor';
import type { WorkerReply, WorkerRequest } from './ort_worker_protocol';

interface Pending {
  resolve: (out: TensorMap) => void;
  reject: (err: Error) => void;
}

/** Providers from `wanted` that this onnxruntime build can use; warns about each one it drops. */
export function usableExecutionProviders(wanted: readonly string[]): string[] {
  const available = new Set(listSupportedBackends().map((b) => b.name));
  const usable = wanted.filter((ep) => {
    if (available.has(ep)) return true;
    process.emitWarning(
      `execution provider "${ep}" is not available in this onnxruntime-node build (available: ${[...available].join(', ')}); skipping it`,
      'InferenceBackendWarning',
    );
    return false;
  });
  return usable.length > 0 ? usable : ['cpu'];
}

export class OnnxRuntimeBackend implements InferenceBackend {
  #worker: Worker | undefined;
  #inputs: TensorInfo[] = [];
  #outputs: TensorInfo[] = [];
  #label = '<no model>';
  #nextId = 0;
  #pending = new Map<number, Pending>();
  #onLoaded: ((msg: WorkerReply) => void) | undefined;

  get label(): string {
    return this.#label;
  }

  /** Loads the model on a new worker. Rejects with the path named for a missing file or a model
   * onnxruntime cannot read. If a non-CPU provider fails to initialise, warns and retries on CPU. */
  async load(model: string | Uint8Array, opts: Partial<BackendOptions> = {}): Promise<void> {
    if (this.#worker !== undefined) throw new Error(`OnnxRuntimeBackend: already loaded "${this.#label}"; create a new backend`);
    const options = { ...DEFAULT_BACKEND_OPTIONS, ...opts };
    this.#label = options.label ?? (typeof model === 'string' ? model : '<in-memory model>');
    if (typeof model === 'string') {
      if (!existsSync(model)) throw new Error(`model file not found: "${model}"`);
      if (!statSync(model).isFile()) throw new Error(`model path "${model}" is not a file`);
    }
    const providers = usableExecutionProviders(options.executionProviders);
    this.#startWorker();
    try {
      await this.#loadOnWorker(model, options, providers);
    } catch (err) {
      if (providers.every((p) => p === 'cpu')) throw this.#loadError(err);
      process.emitWarning(
        `model "${this.#label}": execution providers [${providers.join(', ')}] failed (${(err as Error).message}); falling back to cpu`,
        'InferenceBackendWarning',
      );
      await this.#loadOnWorker(model, options, ['cpu']).catch((e: unknown) => {
        throw this.#loadError(e);
      });
    }
  }

  inputs(): readonly TensorInfo[] {
    return this.#inputs;
  }

  outputs(): readonly TensorInfo[] {
    return this.#outputs;
  }

  async warmup(n: number): Promise<void> {
    const feeds: TensorMap = {};
    for (const info of this.#inputs) {
      const dims = info.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
      feeds[info.name] = zeroTensor(info, dims);
    }
    for (let i = 0; i < n; i++) await this.run(feeds);
  }

  /** Validates and posts the feeds (copied, so the caller may reuse its buffers at once). */
  submit(feeds: TensorMap): InferenceJob {
    const worker = this.#worker;
    if (worker === undefined) throw new Error(`OnnxRuntimeBackend: submit before load (or after dispose) for "${this.#label}"`);
    validateFeeds(this.#label, this.#inputs, feeds);
    const id = this.#nextId++;
    const promise = new Promise<TensorMap>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    const req: WorkerRequest = { kind: 'run', id, feeds };
    worker.ref();
    worker.postMessage(req);
    return jobFromPromise(promise);
  }

  run(feeds: TensorMap): Promise<TensorMap> {
    return this.submit(feeds).wait();
  }

  async dispose(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    this.#failAll(new Error(`model "${this.#label}": backend disposed`));
    await worker.terminate();
  }

  #startWorker(): void {
    // Under tsx (tests, benches) this file is .ts and the worker needs the tsx loader too.
    const ext = extname(__filename);
    const worker = new Worker(join(__dirname, `ort_session_worker${ext}`), {
      execArgv: ext === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [],
    });
    worker.on('message', (msg: WorkerReply) => this.#onMessage(msg));
    worker.on('error', (err) => {
      this.#onLoaded?.({ kind: 'error', id: -1, message: `inference worker failed: ${err.message}` });
      this.#failAll(new Error(`model "${this.#label}": inference worker failed: ${err.message}`));
    });
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return; // disposed on purpose
      this.#worker = undefined;
      this.#onLoaded?.({ kind: 'error', id: -1, message: `inference worker exited with code ${code}` });
      this.#failAll(new Error(`model "${this.#label}": inference worker exited with code ${code}`));
    });
    // Jobs are the only reason to keep the process alive; an idle backend must not.
    worker.unref();
    this.#worker = worker;
  }

  #loadOnWorker(model: string | Uint8Array, options: BackendOptions, providers: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#onLoaded = (msg) => {
        this.#onLoaded = undefined;
        this.#worker?.unref();
        if (msg.kind === 'loaded') {
          this.#inputs = msg.inputs;
          this.#outputs = msg.outputs;
          resolve();
        } else if (msg.kind === 'error') {
          reject(new Error(msg.message));
        }
      };
      const req: WorkerRequest = {
        kind: 'load',
        model,
        options: {
          intraOpNumThreads: options.intraOpThreads,
          // Warnings (e.g. initializers listed as graph inputs in older exports) are not actionable here.
          logSeverityLevel: 3,
          graphOptimizationLevel: options.graphOptimizationLevel,
          executionProviders: providers,
        },
      };
      this.#worker!.ref();
      this.#worker!.postMessage(req);
    });
  }

  #loadError(err: unknown): Error {
    return new Error(`cannot load model "${this.#label}": ${(err as Error).message}`);
  }

  #onMessage(msg: WorkerReply): void {
    if (msg.kind === 'loaded' || (msg.kind === 'error' && msg.id === -1)) {
      this.#onLoaded?.(msg);
      return;
    }
    if (msg.kind !== 'result' && msg.kind !== 'error') return;
    const pending = this.#pending.get(msg.id);
    if (pending === undefined) return;
    this.#pending.delete(msg.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    if (msg.kind === 'result') pending.resolve(msg.outputs);
    else pending.reject(new Error(`model "${this.#label}": inference failed: ${msg.message}`));
  }

  #failAll(err: Error): void {
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}

function zeroTensor(info: TensorInfo, dims: number[]): TensorLike {
  const n = elementCount(dims);
  switch (info.type) {
    case 'float32':
      return { type: 'float32', dims, data: new Float32Array(n) };
    case 'uint8':
      return { type: 'uint8', dims, data: new Uint8Array(n) };
    case 'int32':
      return { type: 'int32', dims, data: new Int32Array(n) };
    case 'int64':
      return { type: 'int64', dims, data: new BigInt64Array(n) };
    default:
      throw new Error(`OnnxRuntimeBackend: cannot warm up input "${info.name}" of type ${info.type}`);
  }
}
