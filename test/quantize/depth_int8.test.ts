// INT8 of the bundled side-camera depth model, as the NPU would run it: calibrated on training
// views, checked on held-out views through the pipeline's own adapter and scale recovery, so the
// depth error change FP32 -> INT8 is measured, not assumed.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonoDepthAdapter, BUNDLED_MONO_DEPTH_MODEL, resolveModelPath } from '../../src/depth/mono_depth';
import { analyzeModel } from '../../src/profile/model_analysis';
import { imageFeeds } from '../../src/quantize/calibration_images';
import { quantizeModel } from '../../src/quantize/quantize_model';
import { HELD_OUT_PHOTOS, photoPool, renderView, TRAIN_PHOTOS } from '../../training/depth_layouts';
import { heldOutDepthError } from '../support/held_out_depth';
import { requireData } from '../support/data_dir';

describe('quantize: INT8 of the bundled depth model', function () {
  this.timeout(300_000);

  it('keeps held-out depth error within 0.03 abs-rel of FP32, and is costed as INT8', async function () {
    requireData(this, ...[...TRAIN_PHOTOS, ...HELD_OUT_PHOTOS].map((f) => `data/images/${f}`));
    const fp32 = resolveModelPath(BUNDLED_MONO_DEPTH_MODEL);
    const out = join(mkdtempSync(join(tmpdir(), 'depth-int8-')), 'mono_depth_int8.onnx');
    const adapter = await MonoDepthAdapter.load(fp32, { output: 'metric_inverse' }, 'depth.learned_model_path', 1);
    const { inputName, preprocess } = adapter;
    await adapter.dispose();
    const pool = photoPool('train');
    const tiles = new Map<number, Float32Array>();
    const views = Array.from({ length: 24 }, (_, i) => renderView('train', 5000 + i, pool, tiles).image);
    const summary = await quantizeModel(fp32, out, imageFeeds(views, inputName, preprocess), { method: 'percentile', percentile: 99.99 });
    assert.equal(summary.calibrationInputs, 24);
    assert.ok(summary.quantizedWeights > 5, `${summary.quantizedWeights} weights`);
    assert.equal(analyzeModel(out).quantized, true);
    const [a, b] = [await heldOutDepthError(fp32, 1000, 8), await heldOutDepthError(out, 1000, 8)];
    const figures = `FP32 abs-rel ${a.absRel.toFixed(3)} delta<1.25 ${(100 * a.delta125).toFixed(1)} %; INT8 abs-rel ${b.absRel.toFixed(3)} delta<1.25 ${(100 * b.delta125).toFixed(1)} %`;
    assert.ok(b.absRel - a.absRel < 0.03, figures);
    assert.ok(b.absRel !== a.absRel, `INT8 must differ from FP32 somewhere: ${figures}`);
  });
});
