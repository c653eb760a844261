// Worker-thread host for one onnxruntime session. onnxruntime-node's `run` executes
// synchronously on the calling thread, so the session lives here and the main thread only
// posts feeds and receives outputs: inference never blocks the event loop.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { TensorInfo, TensorLike } from './tensor';
import type { WorkerReply, WorkerRequest } from './ort_worker_protocol';

let session: ort.InferenceSession | undefined;

function metadata(list: readonly ort.InferenceSession.ValueMetadata[]): TensorInfo[] {
  return list.map((m) =>
    m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

function reply(msg: WorkerReply, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(msg, transfer);
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.kind) {
    case 'load': {
      try {
        const options = req.options as ort.InferenceSession.SessionOptions;
        session =
          typeof req.model === 'string'
            ? await ort.InferenceSession.create(req.model, options)
            : await ort.InferenceSession.create(req.model, options);
        reply({ kind: 'loaded', inputs: metadata(session.inputMetadata), outputs: metadata(session.outputMetadata) });
      } catch (err) {
        reply({ kind: 'error', id: -1, message: (err as Error).message });
      }
      return;
    }
    case 'run': {
      try {
        if (session === undefined) throw new Error('no model loaded');
        const feeds: Record<string, ort.Tensor> = {};
        for (const [name, t] of Object.entries(req.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
        const result = await session.run(feeds);
        const outputs: Record<string, TensorLike> = {};
        const transfer: ArrayBuffer[] = [];
        for (const [name, v] of Object.entries(result)) {
          const data = v.data as TensorLike['data'];
          outputs[name] = { type: v.type as TensorLike['type'], dims: [...v.dims], data };
          if (data.buffer instanceof ArrayBuffer && !transfer.includes(data.buffer)) transfer.push(data.buffer);
        }
        reply({ kind: 'result', id: req.id, outputs }, transfer);
      } catch (err) {
        reply({ kind: 'error', id: req.id, message: (err as Error).message });
      }
      return;
    }
    case 'dispose':
      await session?.release();
      session = undefined;
      reply({ kind: 'disposed' });
      return;
  }
}

parentPort!.on('message', (req: WorkerRequest) => {
  void handle(req);
});
