// Worker-thread entry of frame_stream.ts: renders the frames it is asked for and sends them
// back with their pixel buffers transferred (not copied).
import { parentPort, workerData } from 'node:worker_threads';
import type { Scene } from './scene_schema';
import { SceneSimulator } from './scene_simulator';

export interface RenderWorkerData {
  scene: Scene;
}

if (!parentPort) throw new Error('render_worker.ts must run as a worker thread (see frame_stream.ts)');
const port = parentPort;
const sim = new SceneSimulator((workerData as RenderWorkerData).scene);
port.on('message', (index: number) => {
  try {
    const frame = sim.renderFrame(index);
    const buffers = [...frame.images.values()].map((r) => r.data.buffer as ArrayBuffer);
    buffers.push(...[...frame.depth.values()].map((d) => d.buffer as ArrayBuffer));
    port.postMessage({ index, frame }, buffers);
  } catch (err) {
    port.postMessage({ index, error: (err as Error).message });
  }
});
