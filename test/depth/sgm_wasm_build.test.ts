// The matcher loads its SIMD kernels from the committed src/depth/sgm_simd.wasm; the WebAssembly
// text they come from is src/depth/sgm_simd_wat.ts. This fails while the two disagree, i.e.
// after a change to the text without `npm run build-wasm`.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { assembleSgmSimd } from '../../scripts/build_wasm';
import { SGM_SIMD_WASM_PATH } from '../../src/depth/sgm_simd';

describe('depth/sgm_simd.wasm', () => {
  it('is the binary the current WebAssembly text assembles to', async () => {
    const assembled = Buffer.from(await assembleSgmSimd());
    const committed = readFileSync(SGM_SIMD_WASM_PATH);
    assert.ok(
      assembled.equals(committed),
      `${SGM_SIMD_WASM_PATH} (${committed.length} bytes) is not what sgm_simd_wat.ts assembles to (${assembled.length} bytes); run \`npm run build-wasm\``,
    );
  });
});
