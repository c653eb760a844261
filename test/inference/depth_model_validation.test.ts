// A model configured as depth.learned_model_path must produce a depth map: detectors (candidate
// lists such as YOLOX's [1, 3549, 85], or FastestDet's [1, 85, 22, 22] grid) are refused with an
// error naming the key, the file and the shape that was expected; real depth layouts load.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MonoDepthAdapter } from '../../src/depth/mono_depth';
import { validateDepthModel } from '../../src/inference/depth_model_validation';
import { parseConfig } from '../../src/config/config';
import { PerceptionPipeline } from '../../src/core/perception_pipeline';
import { dataPath, requireData } from '../support/data_dir';
import { constantDetectorModel } from './synthetic_models';

const KEY = 'depth.learned_model_path';

function modelFile(name: string, bytes: Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'depth-model-')), `${name}.onnx`);
  writeFileSync(path, bytes);
  return path;
}

/** A synthetic graph whose one output has `outDims` after the batch (values are irrelevant here). */
function synthetic(name: string, outDims: number[], input = { width: 192, height: 144 }): string {
  const n = outDims.reduce((a, b) => a * b, 1);
  return modelFile(name, constantDetectorModel(name, { ...input, batch: 1 }, outDims, new Float32Array(n).fill(0.5)));
}

async function loadError(path: string): Promise<string> {
  try {
    const adapter = await MonoDepthAdapter.load(path, { output: 'relative_inverse' }, KEY, 1);
    await adapter.dispose();
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail(`"${path}" was accepted as a depth model`);
}

describe('inference/depth model validation', function () {
  this.timeout(60_000);

  it('refuses a detector candidate list, naming the key, the file and the expected map', async () => {
    const path = synthetic('yolox_like', [3549, 85], { width: 416, height: 416 });
    const message = await loadError(path);
    assert.ok(message.startsWith(`${KEY} = "${path}": output "output" has shape [1, 3549, 85]`), message);
    assert.match(message, /expected a float32 depth map \[1, 1, H, W\], \[1, H, W\] or \[H, W\] with the input's aspect ratio/);
    assert.match(message, /set it as detection\.model_path instead/);
  });

  it('refuses a multi-channel grid (FastestDet-like [1, 85, 22, 22]) and a map of another aspect ratio', async () => {
    assert.match(
      await loadError(synthetic('grid', [85, 22, 22], { width: 352, height: 352 })),
      /has shape \[1, 85, 22, 22\].*one channel, this has \[1, 85\]/,
    );
    assert.match(
      await loadError(synthetic('tall', [1, 144, 48])),
      /has shape \[1, 1, 144, 48\].*144 x 48 is not the shape of a 144 x 192 input/,
    );
    assert.match(await loadError(synthetic('coarse', [1, 6, 8])), /coarser than 1\/16/);
  });

  it('accepts depth maps at full or reduced resolution in every supported layout', async () => {
    for (const dims of [
      [1, 72, 96],
      [72, 96],
      [1, 144, 192],
    ]) {
      const adapter = await MonoDepthAdapter.load(synthetic('depth', dims), { output: 'relative_inverse' }, KEY, 1);
      assert.equal(adapter.inputWidth, 192);
      await adapter.dispose();
    }
    const symbolic = validateDepthModel(
      [{ name: 'image', type: 'float32', shape: ['n', 3, 'h', 'w'] }],
      [{ name: 'depth', type: 'float32', shape: ['n', 1, 'h', 'w'] }],
      'm',
    );
    assert.deepEqual(symbolic, { inputName: 'image', outputName: 'depth', inputWidth: undefined, inputHeight: undefined });
  });

  it('refuses the shared YOLOX detector as depth, from the pipeline configuration', async function () {
    requireData(this, 'models/yolox_nano_416.onnx');
    const path = dataPath('models/yolox_nano_416.onnx');
    const config = parseConfig({ depth: { learned_model_path: path } });
    await assert.rejects(PerceptionPipeline.create(config), (err: Error) => {
      assert.ok(
        err.message.startsWith(`${KEY} = "${path}": output "output" has shape [1, 3549, 85]; expected a float32 depth map`),
        err.message,
      );
      return true;
    });
  });
});
