// Compiles the SGM SIMD kernels once per process and binds them to a frame's shared memory. The
// kernels are written as WebAssembly text (sgm_simd_wat.ts) and assembled at build time into
// sgm_simd.wasm (`npm run build-wasm`, scripts/build_wasm.ts), which is committed; a test fails
// when it is not what the current text assembles to. The compiled module is posted to worker
// threads, which instantiate it over the same memory, so only the main thread compiles it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  refineCostRow(
    cl: number,
    ls: number,
    crr: number,
    rs: number,
    cdisp: number,
    cvalid: number,
    cw: number,
    up: number,
    dn: number,
    out: number,
    bases: number,
    w: number,
    minD: number,
    maxD: number,
  ): void;
  refineBoxRow(input: number, bases: number, out: number, w: number): void;
  refineSelectRow(
    r0: number,
    b0: number,
    r1: number,
    b1: number,
    r2: number,
    b2: number,
    r3: number,
    b3: number,
    r4: number,
    b4: number,
    w: number,
    minD: number,
    maxD: number,
    subpixel: number,
    disp: number,
    valid: number,
  ): void;
}

/** The committed binary, in the source tree (the compiled dist/depth/ has none of its own and reads this one). */
export const SGM_SIMD_WASM_PATH = join(__dirname, '..', '..', 'src', 'depth', 'sgm_simd.wasm');

let compiled: Promise<WasmModule> | undefined;

/** The compiled SIMD module (compiled on first call; later calls share the promise). */
export function sgmSimdModule(): Promise<WasmModule> {
  compiled ??= (async () => {
    if (!existsSync(SGM_SIMD_WASM_PATH)) {
      throw new Error(`StereoMatcher: the SGM kernels ${SGM_SIMD_WASM_PATH} are missing; run \`npm run build-wasm\``);
    }
    // wasm.compile validates the binary, with the engine's own feature set.
    return wasm.compile(readFileSync(SGM_SIMD_WASM_PATH));
  })();
  return compiled;
}

/** Instantiates `module` over `memory` (synchronous: the module is already compiled). */
export function bindSgmSimd(module: WasmModule, memory: WasmMemory): SgmSimd {
  const instance = new wasm.Instance(module, { env: { mem: memory } });
  return instance.exports as unknown as SgmSimd;
}
