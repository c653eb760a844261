// Assembles the SGM kernels' WebAssembly text (src/depth/sgm_simd_wat.ts) into the binary the
// matcher loads at run time (src/depth/sgm_simd.wasm, committed), so that no start of the node,
// a replay or a test pays for assembling it, and wabt is only a development dependency.
// `npm run build-wasm` rewrites the binary after a change to the text; a test
// (test/depth/sgm_wasm_build.test.ts) fails while the committed binary is not what the
// current text assembles to.
import { writeFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { SGM_SIMD_WASM_PATH } from '../src/depth/sgm_simd';
import { SGM_SIMD_WAT } from '../src/depth/sgm_simd_wat';

/** The binary the current WebAssembly text assembles to (the same bytes on every run). */
export async function assembleSgmSimd(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat('sgm_simd.wat', SGM_SIMD_WAT, { simd: true, threads: true, bulk_memory: true });
  try {
    return parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
}

if (require.main === module) {
  assembleSgmSimd().then(
    (bytes) => {
      writeFileSync(SGM_SIMD_WASM_PATH, bytes);
      console.log(`build-wasm: wrote ${SGM_SIMD_WASM_PATH} (${bytes.length} bytes)`);
    },
    (err: unknown) => {
      console.error(`build-wasm: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
