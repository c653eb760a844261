// Choosing the layers to keep in FP32 from the sensitivity table: a layer is ranked by the SQNR
// it loses itself (its worst feeding MAC layer's SQNR minus its own), not by what it inherits;
// and `sensitive:N` on a real QDQ model keeps N layers in FP32 and moves the output closer to FP32.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { buildOnnxModel } from '../../src/inference/onnx_graph_builder';
import type { Feed } from '../../src/quantize/activation_ranges';
import { sqnrDb } from '../../src/quantize/qdq_math';
import { quantizeModel } from '../../src/quantize/quantize_model';
import { sensitivityDrops, splitSensitive } from '../../src/quantize/sensitive_layers';

// x -> a (3x3) -> relu -> b (1x1) -> concat(b, a') where a' = relu(a) -> c (1x1) -> y
function chain(): Uint8Array {
  const w = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.3 + k) * (k === 1 ? 3 : 0.5));
  return buildOnnxModel({
    name: 'chain',
    opset: 13,
    inputs: [{ name: 'x', type: 'float32', shape: [1, 2, 8, 8] }],
    outputs: [{ name: 'y', type: 'float32', shape: [1, 2, 8, 8] }],
    initializers: [
      { name: 'Wa', dims: [4, 2, 3, 3], data: w(72, 1) },
      { name: 'Wb', dims: [4, 4, 1, 1], data: w(16, 2) },
      { name: 'Wc', dims: [2, 8, 1, 1], data: w(16, 3) },
    ],
    nodes: [
      { op: 'Conv', name: 'a', inputs: ['x', 'Wa'], outputs: ['ya'], attributes: { pads: [1, 1, 1, 1] } },
      { op: 'Relu', name: 'ra', inputs: ['ya'], outputs: ['za'] },
      { op: 'Conv', name: 'b', inputs: ['za', 'Wb'], outputs: ['yb'] },
      { op: 'Concat', name: 'cat', inputs: ['yb', 'za'], outputs: ['cab'], attributes: { axis: 1 } },
      { op: 'Conv', name: 'c', inputs: ['cab', 'Wc'], outputs: ['y'] },
    ],
  });
}

describe('quantize: sensitivity-driven mixed precision', () => {
  it('ranks layers by the SQNR they lose themselves, through non-MAC nodes and concatenations', () => {
    const model = onnx.ModelProto.decode(chain());
    const drops = sensitivityDrops(model, [
      { node: 'a', op: 'Conv', output: 'ya', sqnrDb: 40 },
      { node: 'b', op: 'Conv', output: 'yb', sqnrDb: 38 },
      { node: 'c', op: 'Conv', output: 'y', sqnrDb: 20 },
    ]);
    // c is fed by b (38) and, through the concat, by a (40): its drop counts from the worse one;
    // a reads the graph input and is held against the most faithful layer (itself).
    assert.deepEqual(drops, [
      { node: 'c', dropDb: 18 },
      { node: 'b', dropDb: 2 },
      { node: 'a', dropDb: 0 },
    ]);
  });

  it('parses sensitive:N among named layers and refuses a bad count', () => {
    assert.deepEqual(splitSensitive(['first', 'sensitive:3', 'Conv_9']), { count: 3, named: ['first', 'Conv_9'] });
    assert.throws(() => splitSensitive(['sensitive:x']), /--keep-float "sensitive:x": expected sensitive:N with N a positive integer/);
  });

  it('keeps the N most sensitive layers of a real QDQ model in FP32', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sensitive-'));
    const fp32 = join(dir, 'chain.onnx');
    writeFileSync(fp32, chain());
    const feeds: Feed[] = [0, 1, 2, 3].map((s) => ({
      x: { dims: [1, 2, 8, 8], data: Float32Array.from({ length: 128 }, (_, i) => Math.sin(i * 0.7 + s) * (i % 17 === 0 ? 20 : 1)) },
    }));
    const opts = { method: 'minmax' as const, percentile: 100 };
    const all = await quantizeModel(fp32, join(dir, 'all.onnx'), feeds, opts);
    const mixed = await quantizeModel(fp32, join(dir, 'mixed.onnx'), feeds, opts, ['sensitive:1']);
    assert.deepEqual(all.keptFloat, []);
    assert.equal(mixed.sensitive.length, 1);
    assert.deepEqual(mixed.keptFloat, [mixed.sensitive[0].node]);
    assert.ok(mixed.quantizedWeights === all.quantizedWeights - 1);
    const run = async (file: string) => {
      const s = await ort.InferenceSession.create(file);
      try {
        return (await s.run({ x: new ort.Tensor('float32', feeds[0].x.data, [1, 2, 8, 8]) })).y.data as Float32Array;
      } finally {
        await s.release();
      }
    };
    const ref = await run(fp32);
    const [a, m] = [sqnrDb(ref, await run(join(dir, 'all.onnx'))), sqnrDb(ref, await run(join(dir, 'mixed.onnx')))];
    assert.ok(m > a, `SQNR all-INT8 ${a.toFixed(1)} dB, with ${mixed.keptFloat[0]} in FP32 ${m.toFixed(1)} dB`);
  });
});
