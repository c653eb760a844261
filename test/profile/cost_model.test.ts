// The ONNX cost model: MAC counts against hand computation and the published YOLOX-nano figure,
// shapes against onnxruntime, and the memory/latency/fallback model against its stated formulas.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildOnnxModel } from '../../src/inference/onnx_graph_builder';
import { predictCost } from '../../src/profile/cost_model';
import { loadHardwareProfile, type HardwareProfile } from '../../src/profile/hardware_profile';
import { analyzeModel } from '../../src/profile/model_analysis';
import { readOnnxGraph } from '../../src/profile/onnx_graph';
import { inferShapes } from '../../src/profile/shape_inference';
import { dataPath, requireData } from '../support/data_dir';
import { EXACT_MODEL, fallbackModel, SHAPES_MODEL } from './small_models';

const MODELS_DIR = dataPath('models');
const SHARED_MODELS = existsSync(MODELS_DIR)
  ? readdirSync(MODELS_DIR)
      .filter((f) => f.endsWith('.onnx'))
      .sort()
  : [];

/** Output shapes onnxruntime actually produces for zero inputs. */
async function ortOutputShapes(model: string | Uint8Array): Promise<Record<string, number[]>> {
  const opts = { logSeverityLevel: 3 as const };
  const session =
    typeof model === 'string' ? await ort.InferenceSession.create(model, opts) : await ort.InferenceSession.create(model, opts);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const meta of session.inputMetadata) {
      if (!meta.isTensor) continue;
      const dims = meta.shape.map((d) => (typeof d === 'number' ? d : 1));
      feeds[meta.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
    }
    const out = await session.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, [...t.dims]]));
  } finally {
    await session.release();
  }
}

describe('ONNX cost model: counting', () => {
  it('counts YOLOX-nano at 416x416 within 5% of the published 0.54 GMACs (1.08 GFLOPs)', function () {
    requireData(this, 'models');
    const a = analyzeModel(join(MODELS_DIR, 'yolox_nano_416.onnx'));
    const relative = Math.abs(a.totalMacs - 0.54e9) / 0.54e9;
    assert.ok(relative < 0.05, `counted ${(a.totalMacs / 1e9).toFixed(4)} GMACs, ${(relative * 100).toFixed(1)}% from 0.54`);
  });

  it('counts a built model exactly, layer by layer', () => {
    const a = analyzeModel(EXACT_MODEL.bytes());
    const macsByLayer = Object.fromEntries(a.layers.filter((l) => l.macs > 0).map((l) => [l.name, l.macs]));
    assert.deepEqual(macsByLayer, EXACT_MODEL.macs);
    assert.equal(a.totalMacs, EXACT_MODEL.totalMacs);
    assert.equal(a.totalWeightBytes, EXACT_MODEL.weightElements);
    const conv1 = a.layers.find((l) => l.name === 'conv1');
    assert.deepEqual([conv1?.inputBytes, conv1?.outputBytes, conv1?.weightBytes], [3 * 32 * 32, 8 * 16 * 16, 216 + 8]);
    assert.equal(a.layers.find((l) => l.op === 'Reshape')?.layoutOnly, true);
  });

  it('infers the same shapes as onnxruntime on the built models', async () => {
    for (const model of [EXACT_MODEL, SHAPES_MODEL]) {
      const bytes = model.bytes();
      const shapes = inferShapes(readOnnxGraph(bytes));
      const actual = await ortOutputShapes(bytes);
      for (const [name, expected] of Object.entries(model.shapes)) {
        assert.deepEqual(actual[name], expected, `onnxruntime disagrees with the hand-derived shape of "${name}"`);
        assert.deepEqual(shapes.get(name)?.shape, expected, `inferred shape of "${name}"`);
      }
    }
  });

  it('infers the output shapes onnxruntime produces for every shared model', async function () {
    requireData(this, 'models');
    for (const file of SHARED_MODELS) {
      const path = join(MODELS_DIR, file);
      const a = analyzeModel(path);
      const actual = await ortOutputShapes(path);
      for (const out of a.outputs) assert.deepEqual(out.shape, actual[out.name], `${file}: output ${out.name}`);
    }
  });

  it('analyses another resolution through inputShapes, and names what cannot be re-shaped', function () {
    requireData(this, 'models');
    const at32 = analyzeModel(fallbackModel(), { inputShapes: { x: [1, 8, 32, 32] } });
    assert.deepEqual(at32.outputs[0].shape, [1, 8, 32, 32]);
    const path = join(MODELS_DIR, 'nanodet_m_416.onnx');
    assert.throws(
      () => analyzeModel(path, { inputShapes: { image: [1, 3, 320, 320] } }),
      /"image", which is not a graph input; inputs are \[input\.1\]/,
    );
    // This export bakes its 416x416 feature-map sizes into Reshape constants.
    assert.throws(
      () => analyzeModel(path, { inputShapes: { 'input.1': [1, 3, 320, 320] } }),
      /node "Reshape_13" \(Reshape\): cannot reshape \[1,116,40,40\] to \[1,2,58,52,52\]/,
    );
  });

  it('names the node and operator it cannot infer, and the file it cannot decode', () => {
    assert.throws(() => analyzeModel(new Uint8Array([1, 2, 3, 4, 5])), /could not be decoded|has no graph/);
  });
});

describe('ONNX cost model: latency, memory and energy', () => {
  const dxv3 = loadHardwareProfile('dx-v3');
  const withSram = (p: HardwareProfile, bytes: number): HardwareProfile => ({
    ...p,
    npu: { ...p.npu, sramBytes: { value: bytes, assumption: 'test' } },
  });

  it('costs a layer as max(compute, memory) + overhead with the stated formulas', () => {
    const cost = predictCost(analyzeModel(EXACT_MODEL.bytes()), dxv3);
    const conv1 = cost.layers.find((l) => l.name === 'conv1');
    assert.ok(conv1);
    // INT8: weights 224 B, reads the graph input (3072 B) and writes a graph output (2048 B); all fits in SRAM.
    const dram = 224 + 3072 + 2048;
    const computeMs = (55_296 / ((13e12 / 2) * 0.35)) * 1e3;
    const memoryMs = (dram / (25.6e9 * 0.6)) * 1e3;
    assert.equal(conv1.dramBytes, dram);
    assert.equal(conv1.spillBytes, 0);
    assert.ok(Math.abs(conv1.computeMs - computeMs) < 1e-12);
    assert.ok(Math.abs(conv1.memoryMs - memoryMs) < 1e-12);
    assert.ok(Math.abs(conv1.latencyMs - (Math.max(computeMs, memoryMs) + 0.005)) < 1e-12);
    assert.ok(Math.abs(conv1.energyMj - (2.6 * conv1.latencyMs + (dram * 25) / 1e9)) < 1e-12);
    assert.equal(
      cost.latencyMs,
      cost.layers.reduce((s, l) => s + l.latencyMs, 0),
    );
  });

  it('spills what exceeds on-chip SRAM to DRAM', function () {
    requireData(this, 'models');
    const conv1 = predictCost(analyzeModel(EXACT_MODEL.bytes()), withSram(dxv3, 1000)).layers.find((l) => l.name === 'conv1');
    // working set 224 + 3072 + 2048 = 5344 B; 4344 B over a 1000 B SRAM.
    assert.equal(conv1?.spillBytes, 4344);
    assert.equal(conv1?.dramBytes, 224 + 4344 + 3072 + 2048);
    const big = predictCost(analyzeModel(join(MODELS_DIR, 'yolox_nano_416.onnx')), withSram(dxv3, 64 * 1024));
    const roomy = predictCost(analyzeModel(join(MODELS_DIR, 'yolox_nano_416.onnx')), dxv3);
    assert.ok(big.dramBytes > roomy.dramBytes && big.latencyMs > roomy.latencyMs);
  });

  it('runs operators the NPU lacks on the CPU in FP32, with the handoff overhead', () => {
    const cost = predictCost(analyzeModel(fallbackModel()), dxv3);
    assert.deepEqual(cost.cpuFallbackOps, ['Erf']);
    const erf = cost.layers[0];
    assert.equal(erf.device, 'cpu');
    assert.equal(erf.dramBytes, 2 * 2048 * 4); // FP32 input + output
    const flops = 2048 * 6;
    assert.ok(Math.abs(erf.computeMs - (flops / (4 * 8e9)) * 1e3) < 1e-12);
    assert.ok(erf.latencyMs >= 0.05);
    assert.equal(cost.layers[1].device, 'npu');
  });

  it("costs a Transpose at the profile's strided-copy rate where it gives one (a CPU runtime), else as a layout move", () => {
    const model = buildOnnxModel({
      name: 'shuffle',
      inputs: [{ name: 'x', type: 'float32', shape: [1, 2, 8, 4, 4] }],
      outputs: [{ name: 'y', type: 'float32', shape: [1, 8, 2, 4, 4] }],
      nodes: [{ op: 'Transpose', inputs: ['x'], outputs: ['y'], attributes: { perm: [0, 2, 1, 3, 4] } }],
    });
    const host = loadHardwareProfile('host');
    const rate = host.npu.transposeElementsPerSec?.value ?? NaN;
    const [withRate] = predictCost(analyzeModel(model), host).layers;
    const { transposeElementsPerSec: _dropped, ...npu } = host.npu;
    const [without] = predictCost(analyzeModel(model), { ...host, npu }).layers;
    assert.ok(
      Math.abs(withRate.computeMs - without.computeMs - (256 / rate) * 1e3) < 1e-12,
      `${withRate.computeMs} vs ${without.computeMs}`,
    );
    assert.equal(loadHardwareProfile('dx-v3').npu.transposeElementsPerSec, undefined);
  });

  it('batches images: N x the work, weights and launch overhead once', function () {
    requireData(this, 'models');
    const a = analyzeModel(join(MODELS_DIR, 'yolox_nano_416.onnx'));
    const one = predictCost(a, dxv3);
    const four = predictCost(a, dxv3, { batch: 4 });
    assert.equal(four.totalMacs, 4 * one.totalMacs);
    assert.ok(four.latencyMs < 4 * one.latencyMs && four.latencyMs > one.latencyMs);
    // With SRAM large enough that nothing spills, DRAM traffic is weights once + graph I/O per image.
    const roomy = withSram(dxv3, 1e9);
    const w = a.totalWeightBytes; // INT8
    const io1 = predictCost(a, roomy).dramBytes - w;
    assert.equal(predictCost(a, roomy, { batch: 4 }).dramBytes, w + 4 * io1);
    assert.throws(() => predictCost(a, dxv3, { batch: 0 }), /batch = 0; expected a positive integer/);
  });

  it('predicts every shared model on every shipped profile with finite, positive totals', function () {
    requireData(this, 'models');
    for (const name of ['dx-v3', 'dx-m1', 'host']) {
      const p = loadHardwareProfile(name);
      for (const file of SHARED_MODELS) {
        const c = predictCost(analyzeModel(join(MODELS_DIR, file)), p);
        assert.ok(c.latencyMs > 0 && Number.isFinite(c.latencyMs) && c.energyMj > 0 && c.dramBytes > 0, `${name} ${file}`);
      }
    }
  });
});
