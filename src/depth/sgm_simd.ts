// Assembles the SGM SIMD kernels (sgm_simd_wat.ts) once per process and binds them to a frame's
// shared memory. The compiled module is posted to worker threads, which instantiate it over the
// same memory, so the text is assembled only on the main thread.
import wabtInit from 'wabt';
import { SGM_SIMD_WAT } from './sgm_simd_wat';
import { wasm } from './wasm_api';
import type { WasmMemory, WasmModule } from './wasm_api';

/** The kernels, bound to one memory. Pointers are byte offsets into that memory. */
export interface SgmSimd {
  costRow(cl: number, crr: number, out: number, w: number, nd: number, minD: number, maxCost: number, ls: number, rs: number): void;
  passRow(
    c: number,
    s: number,
    t: number,
    vprev: number,
    vcur: number,
    vmin: number,
    hA: number,
    hB: number,
    zero: number,
    w: number,
    nd: number,
    p1: number,
    p2: number,
    backward: number,
    firstRow: number,
    slotBytes: number,
  ): void;
  selectRow(
    t: number,
    nd: number,
    u: number,
    w: number,
    minD: number,
    tex: number,
    disp: number,
    valid: number,
    rcost: number,
    rdisp: number,
    best: number,
    subpixel: number,
    maxDiff: number,
    win: number,
  ): void;
  hpassRow(c: number, t: number, hA: number, hB: number, zero: number, w: number, nd: number, p1: number, p2: number, win: number): void;
  textureRow(img: number, w: number, h: number, y: number, out: number, thr: number): number;
  censusRow(img: number, w: number, y: number, out: number, reverse: number, ps: number): void;
  filterSpeckles(disp: number, valid: number, seen: number, queue: number, w: number, h: number, windowSize: number, range: number): void;
}

let compiled: Promise<WasmModule> | undefined;

/** The compiled SIMD module (assembled on first call; later calls share the promise). */
export function sgmSimdModule(): Promise<WasmModule> {
  compiled ??= (async () => {
    const wabt = await wabtInit();
    const parsed = wabt.parseWat('sgm_simd.wat', SGM_SIMD_WAT, { simd: true, threads: true, bulk_memory: true });
    try {
      // wasm.compile validates the binary, with the engine's own feature set.
      return await wasm.compile(parsed.toBinary({}).buffer);
    } finally {
      parsed.destroy();
    }
  })();
  return compiled;
}

/** Instantiates `module` over `memory` (synchronous: the module is already compiled). */
export function bindSgmSimd(module: WasmModule, memory: WasmMemory): SgmSimd {
  const instance = new wasm.Instance(module, { env: { mem: memory } });
  return instance.exports as unknown as SgmSimd;
}
