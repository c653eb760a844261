// Messages between the SGM worker pool and its workers. The frame lives in a shared
// WebAssembly memory, so posting it shares the bytes rather than copying them; the compiled
// SIMD module is posted too, so workers never assemble it themselves.
import type { SgmLayout } from './sgm_layout';
import type { SgmParams, SgmTask } from './sgm_tasks';
import type { WasmMemory, WasmModule } from './wasm_api';

export interface SgmWorkerRequest {
  id: number;
  /** Changes whenever the matcher allocates a new frame memory; workers rebind on a change. */
  generation: number;
  /**
   * The frame, sent only with a worker's first unit of a generation: deserialising a memory and
   * a module in every message cost the workers system time on every frame.
   */
  frame?: { memory: WasmMemory; module: WasmModule; layout: SgmLayout };
  params: SgmParams;
  task: SgmTask;
}

export interface SgmWorkerReply {
  id: number;
  /** Set when the unit threw; the message of the error. */
  error?: string;
}
