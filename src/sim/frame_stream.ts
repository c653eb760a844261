// Rendering a scene's frames in order, on worker threads when that pays: each frame is
// independent (counter-based randomness), so workers take frames round-robin and the stream
// reorders them. The main thread stays free to serialise and write what comes back.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RenderWorkerData } from './render_worker';
import type { Scene } from './scene_schema';
import { SceneSimulator, type SimFrame } from './scene_simulator';
import { StampSchedule } from './stamps';

export interface FrameStreamOptions {
  /** Worker threads; 0 renders on the calling thread (yielding to the event loop between frames). */
  workers?: number;
  /** First frame index and number of frames (defaults: the whole scene). */
  first?: number;
  count?: number;
}

type WorkerReply = { index: number; frame: SimFrame } | { index: number; error: string };

/**
 * Yields frames first..first+count-1 in index order. At most 2 frames per worker are in flight,
 * so memory stays bounded however slow the consumer is. Workers end when the stream does.
 */
export async function* streamFrames(scene: Scene, opts: FrameStreamOptions = {}): AsyncGenerator<SimFrame> {
  const frameCount = new StampSchedule(scene).frameCount;
  const { workers = Math.min(2, availableParallelism()), first = 0, count = frameCount - first } = opts;
  if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || first + count > frameCount) {
    throw new RangeError(`streamFrames(${scene.name}): frames [${first}, ${first + count}) are outside the scene's [0, ${frameCount})`);
  }
  if (workers <= 0) {
    const sim = new SceneSimulator(scene);
    for (let i = first; i < first + count; i++) {
      yield sim.renderFrame(i);
      await new Promise((r) => setImmediate(r));
    }
    return;
  }
  const pool = Array.from({ length: workers }, () => spawnWorker({ scene }));
  const pending = new Map<number, Promise<SimFrame>>();
  const request = (index: number) => {
    const worker = pool[(index - first) % workers];
    const promise = new Promise<SimFrame>((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        if (reply.index !== index) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        if ('error' in reply) reject(new Error(`streamFrames(${scene.name}): frame ${index}: ${reply.error}`));
        else resolve(reply.frame);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage(index);
    });
    // Marked handled now; the rejection still reaches the await below in order.
    promise.catch(() => undefined);
    pending.set(index, promise);
  };
  const end = first + count;
  let next = first;
  try {
    while (next < end && next < first + 2 * workers) request(next++);
    for (let i = first; i < end; i++) {
      const frame = await pending.get(i)!;
      pending.delete(i);
      if (next < end) request(next++);
      yield frame;
    }
  } finally {
    // Settle what is still in flight before terminating, so no rejection goes unhandled.
    await Promise.allSettled(pending.values());
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

function spawnWorker(data: RenderWorkerData): Worker {
  // Under tsx (tests, benchmarks) the worker is TypeScript and needs tsx's loader too.
  const ts = __filename.endsWith('.ts');
  return new Worker(join(__dirname, ts ? 'render_worker.ts' : 'render_worker.js'), {
    workerData: data,
    // Resolved here, so the worker finds tsx whatever the working directory.
    execArgv: ts ? ['--require', require.resolve('tsx/cjs')] : [],
  });
}
