// A fixed set of worker threads that run SGM units over a shared frame buffer. Units of one
// phase are queued and handed to whichever worker is free; run() resolves when all are done.
// Workers are unref'd while idle so an idle matcher never keeps the process alive.
import { Worker } from 'node:worker_threads';
import { extname, join } from 'node:path';
import type { SgmParams, SgmTask } from './sgm_tasks';
import type { SgmWorkerReply, SgmWorkerRequest } from './sgm_worker_protocol';

/** What identifies a frame to the workers: its generation, memory, layout and SIMD module. */
export type SgmSharedFrame = { generation: number } & NonNullable<SgmWorkerRequest['frame']>;

/** A queued unit, before the pool knows which worker (and so whether it needs the frame) gets it. */
type Queued = { id: number; frame: SgmSharedFrame; params: SgmParams; task: SgmTask };

interface Pending {
  resolve: () => void;
  reject: (err: Error) => void;
}

export class SgmWorkerPool {
  #workers: Worker[] = [];
  #idle: Worker[] = [];
  #queue: Queued[] = [];
  /** The generation each worker has bound. */
  #bound = new Map<Worker, number>();
  #pending = new Map<number, Pending>();
  #busy = new Map<Worker, number>();
  #nextId = 1;
  #failure: Error | undefined;

  /** Starts `size` workers (size >= 1). */
  constructor(size: number) {
    // Under tsx (tests, benches) this file is .ts and the worker needs the tsx loader too.
    const ext = extname(__filename);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(join(__dirname, `sgm_worker${ext}`), {
        execArgv: ext === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [],
      });
      worker.on('message', (msg: SgmWorkerReply) => this.#onReply(worker, msg));
      worker.on('error', (err) => this.#failAll(new Error(`StereoMatcher: SGM worker failed: ${err.message}`)));
      worker.unref();
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  /** Runs every unit on `frame` (in any order, concurrently); resolves when all have finished. */
  run(frame: SgmSharedFrame, params: SgmParams, tasks: SgmTask[]): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#workers.length === 0) return Promise.reject(new Error('StereoMatcher: compute after dispose'));
    const done = tasks.map(
      (task) =>
        new Promise<void>((resolve, reject) => {
          const id = this.#nextId++;
          this.#pending.set(id, { resolve, reject });
          this.#queue.push({ id, frame, params, task });
        }),
    );
    this.#dispatch();
    return Promise.all(done).then(() => undefined);
  }

  /** Stops the workers; pending units are rejected. */
  async dispose(): Promise<void> {
    const workers = this.#workers;
    this.#workers = [];
    this.#idle = [];
    this.#failAll(new Error('StereoMatcher: disposed while computing'));
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const worker = this.#idle.pop() as Worker;
      const { id, frame, params, task } = this.#queue.shift() as Queued;
      const { generation, memory, module, layout } = frame;
      const req: SgmWorkerRequest = { id, generation, params, task };
      if (this.#bound.get(worker) !== generation) {
        req.frame = { memory, module, layout };
        this.#bound.set(worker, generation);
      }
      this.#busy.set(worker, id);
      worker.ref();
      worker.postMessage(req);
    }
  }

  #onReply(worker: Worker, msg: SgmWorkerReply): void {
    this.#busy.delete(worker);
    worker.unref();
    this.#idle.push(worker);
    const p = this.#pending.get(msg.id);
    this.#pending.delete(msg.id);
    if (p !== undefined) {
      if (msg.error === undefined) p.resolve();
      else p.reject(new Error(`StereoMatcher: SGM unit failed: ${msg.error}`));
    }
    this.#dispatch();
  }

  #failAll(err: Error): void {
    this.#failure ??= this.#workers.length > 0 ? err : undefined;
    this.#queue = [];
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}
