// The bundled side-camera depth model (models/mono_depth_side.onnx, trained by training/):
// small, NPU-friendly, the configuration's default, and accurate on held-out views (layouts,
// tile textures, colours and photos it was not trained on), through the pipeline's own path.
import { strict as assert } from 'node:assert';
import { statSync } from 'node:fs';
import { runProfileCommand } from '../../src/cli/profile_command';
import { MonoDepthAdapter, BUNDLED_MONO_DEPTH_MODEL, resolveModelPath } from '../../src/depth/mono_depth';
import { metricDepthFromMap } from '../../src/depth/scale_recovery';
import type { Pinhole } from '../../src/geometry/pinhole';
import { parseConfig } from '../../src/pipeline/config';
import { analyzeModel } from '../../src/profile/model_analysis';
import { readOnnxGraph } from '../../src/profile/onnx_graph';
import { photoPool, renderView, VIEW_CAMERA } from '../../training/depth_layouts';

/** Operators an NPU compiler maps directly (the brief of training/train_mono_depth.py). */
const NPU_OPERATORS = new Set(['Conv', 'Relu', 'Clip', 'Add', 'Concat', 'Resize', 'ConvTranspose']);
/** Held-out accuracy it must keep (training/README.md has the full measurement). */
const MAX_ABS_REL = 0.3;
const MIN_DELTA_125 = 0.65;

describe('depth/bundled mono depth model', function () {
  this.timeout(120_000);
  const path = resolveModelPath(BUNDLED_MONO_DEPTH_MODEL);

  it('is the default of depth.learned_model_path, resolved inside the package', () => {
    assert.equal(parseConfig({}).depth.learned_model_path, BUNDLED_MONO_DEPTH_MODEL);
    assert.match(path, /models\/mono_depth_side\.onnx$/);
    assert.ok(!path.includes('shared'), path);
  });

  it('is small, static and uses only NPU-friendly operators at opset <= 13', () => {
    assert.ok(statSync(path).size < 4e6, `${statSync(path).size} bytes`);
    const graph = readOnnxGraph(path);
    assert.ok(graph.opset <= 13, `opset ${graph.opset}`);
    const analysis = analyzeModel(path);
    const ops = new Set(analysis.layers.map((l) => l.op));
    assert.deepEqual([...ops].filter((op) => !NPU_OPERATORS.has(op)), [], `operators ${[...ops].join(', ')}`);
    assert.deepEqual(analysis.inputs[0].shape, [1, 3, 144, 192]);
    assert.ok(analysis.totalWeightBytes > 1e5 && analysis.totalWeightBytes < 1e6, `${analysis.totalWeightBytes} weights`);
  });

  it('is costed from its graph in the dx-v3 frame budget: one inference per camera outside the stereo pair', async () => {
    const { budget } = await runProfileCommand(path, { layers: 1 });
    const learned = budget.stages.find((st) => st.name === 'learned_depth');
    const perImage = analyzeModel(path).totalMacs / 1e9;
    assert.ok(learned, budget.stages.map((st) => st.name).join());
    assert.match(learned.note, /GMACs on NPU \(ONNX cost model\)/);
    assert.ok(learned.note.startsWith((2 * perImage).toFixed(3)), `${learned.note}; ${perImage} GMACs per image`);
  });

  it('is accurate on held-out views after ground-plane scale recovery', async () => {
    const adapter = await MonoDepthAdapter.load(BUNDLED_MONO_DEPTH_MODEL, { output: 'metric_inverse' }, 'depth.learned_model_path', 2);
    const k: Pinhole = { fx: VIEW_CAMERA.fx, fy: VIEW_CAMERA.fy, cx: VIEW_CAMERA.cx, cy: VIEW_CAMERA.cy, width: VIEW_CAMERA.width, height: VIEW_CAMERA.height };
    const pool = photoPool('eval');
    const tiles = new Map<number, Float32Array>();
    let absRel = 0;
    let inDelta = 0;
    let n = 0;
    try {
      // Views 0..299 are the README's measurement; these are others of the same held-out split.
      for (let i = 1000; i < 1012; i++) {
        const view = renderView('eval', i, pool, tiles);
        const depth = metricDepthFromMap(await adapter.predict(view.image), k, view.baseFromCamera, 12);
        for (let p = 0; p < depth.length; p += 7) {
          const t = view.depth[p];
          if (!(t < 12)) continue;
          const d = depth[p] > 0 ? depth[p] : Infinity;
          absRel += Math.min(1, Math.abs(d - t) / t);
          if (Math.max(d / t, t / d) < 1.25) inDelta++;
          n++;
        }
      }
    } finally {
      await adapter.dispose();
    }
    assert.ok(n > 10_000, `${n} pixels`);
    assert.ok(absRel / n < MAX_ABS_REL, `abs-rel ${(absRel / n).toFixed(3)}`);
    assert.ok(inDelta / n > MIN_DELTA_125, `delta < 1.25: ${((100 * inDelta) / n).toFixed(1)} %`);
  });
});
