// Worker-thread entry of the SGM pool: runs the units the matcher posts on the frame memory the
// message shares, and replies with the unit's id (and the error text if the unit threw).
import { parentPort } from 'node:worker_threads';
import type { SgmFrame } from './sgm_census';
import { sgmViews } from './sgm_layout';
import { bindSgmSimd } from './sgm_simd';
import { SgmTaskRunner } from './sgm_tasks';
import type { SgmWorkerReply, SgmWorkerRequest } from './sgm_worker_protocol';

const runner = new SgmTaskRunner();
let bound: { generation: number; frame: SgmFrame } | undefined;

parentPort?.on('message', (req: SgmWorkerRequest) => {
  let reply: SgmWorkerReply;
  try {
    if (bound?.generation !== req.generation) {
      if (req.frame === undefined) throw new Error(`no frame sent for generation ${req.generation}`);
      const { memory, module, layout } = req.frame;
      bound = { generation: req.generation, frame: { l: layout, v: sgmViews(memory.buffer, layout), k: bindSgmSimd(module, memory) } };
    }
    runner.run(bound.frame, req.params, req.task);
    reply = { id: req.id };
  } catch (err) {
    reply = { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});
