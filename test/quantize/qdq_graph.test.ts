// The QDQ rewrite against onnxruntime's own arithmetic: our TypeScript quantize/dequantize and a
// direct convolution on the fake-quantised values must equal what onnxruntime computes for the
// QDQ graph, at opset 13 (standard Q/DQ) and opset 11 (com.microsoft Q/DQ).
import { strict as assert } from 'node:assert';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { buildOnnxModel } from '../../src/inference/onnx_graph_builder';
import { calibrateRanges, type Feed } from '../../src/quantize/activation_ranges';
import {
  activationParams,
  dequantizeValue,
  quantizeBias,
  quantizeValue,
  quantizeWeightsPerChannel,
  roundHalfEven,
  sqnrDb,
} from '../../src/quantize/qdq_math';
import { planQuantization, rewriteToQdq } from '../../src/quantize/qdq_rewrite';
import { resolveFloatLayers } from '../../src/quantize/float_layers';
import { analyzeModel } from '../../src/profile/model_analysis';
import { predictCost } from '../../src/profile/cost_model';
import { loadHardwareProfile } from '../../src/profile/hardware_profile';

const W1 = Float32Array.from({ length: 3 * 2 * 9 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 3)));
const B1 = Float32Array.of(0.1, -0.2, 0.05);
const W2 = Float32Array.from({ length: 3 * 9 }, (_, i) => Math.cos(i * 0.9) * 0.5);

function convModel(opset: number): onnx.ModelProto {
  return onnx.ModelProto.decode(
    buildOnnxModel({
      name: 'qdq_conv',
      opset,
      inputs: [{ name: 'x', type: 'float32', shape: [1, 2, 6, 6] }],
      outputs: [{ name: 'y', type: 'float32', shape: [1, 3, 6, 6] }],
      initializers: [
        { name: 'W1', dims: [3, 2, 3, 3], data: W1 },
        { name: 'B1', dims: [3], data: B1 },
        { name: 'W2', dims: [3, 1, 3, 3], data: W2 },
      ],
      nodes: [
        { op: 'Conv', name: 'conv', inputs: ['x', 'W1', 'B1'], outputs: ['c'], attributes: { pads: [1, 1, 1, 1] } },
        { op: 'Relu', name: 'relu', inputs: ['c'], outputs: ['r'] },
        { op: 'Conv', name: 'dw', inputs: ['r', 'W2'], outputs: ['y'], attributes: { pads: [1, 1, 1, 1], group: 3 } },
      ],
    }),
  );
}

/** Direct NCHW 3x3 convolution, pad 1, batch 1, `group` groups. */
function conv3x3(
  x: Float32Array,
  cin: number,
  w: Float32Array,
  cout: number,
  b: Float32Array | undefined,
  group: number,
  n = 6,
): Float64Array {
  const out = new Float64Array(cout * n * n);
  const perGroup = cin / group;
  for (let o = 0; o < cout; o++) {
    const g = Math.floor(o / (cout / group));
    for (let yy = 0; yy < n; yy++)
      for (let xx = 0; xx < n; xx++) {
        let s = b ? b[o] : 0;
        for (let ci = 0; ci < perGroup; ci++)
          for (let ky = 0; ky < 3; ky++)
            for (let kx = 0; kx < 3; kx++) {
              const iy = yy + ky - 1;
              const ix = xx + kx - 1;
              if (iy < 0 || ix < 0 || iy >= n || ix >= n) continue;
              s += x[(g * perGroup + ci) * n * n + iy * n + ix] * w[((o * perGroup + ci) * 3 + ky) * 3 + kx];
            }
        out[o * n * n + yy * n + xx] = s;
      }
  }
  return out;
}

const fakeQuantActivation = (v: Float32Array, min: number, max: number) => {
  const p = activationParams(min, max);
  return v.map((x) => dequantizeValue(quantizeValue(x, p, 0, 255), p));
};
const fakeQuantWeights = (w: Float32Array, dims: number[]) => {
  const q = quantizeWeightsPerChannel(w, dims, 0);
  const inner = w.length / dims[0];
  return Float32Array.from(q.values, (v, i) => v * q.scales[Math.floor(i / inner)]);
};

/** The bias as the int32 DequantizeLinear gives it back: at activation scale x weight scale. */
const fakeQuantBias = (b: Float32Array, w: Float32Array, dims: number[], range: { min: number; max: number }) => {
  const sa = activationParams(range.min, range.max).scale;
  const scales = quantizeWeightsPerChannel(w, dims, 0).scales.map((s) => s * sa);
  return Float32Array.from(quantizeBias(b, scales), (q, c) => q * scales[c]);
};

const input = (seed: number) => Float32Array.from({ length: 72 }, (_, i) => Math.sin(i * 0.37 + seed) * 3 + 1);
const feeds: Feed[] = [0, 1, 2, 3].map((s) => ({ x: { dims: [1, 2, 6, 6], data: input(s) } }));

async function run(model: onnx.IModelProto, x: Float32Array, outputs: string[]): Promise<Record<string, Float32Array>> {
  const graph = {
    ...model.graph,
    output: [
      ...(model.graph?.output ?? []),
      ...outputs.filter((o) => o !== 'y').map((name) => ({ name, type: { tensorType: { elemType: 1 } } })),
    ],
  };
  const s = await ort.InferenceSession.create(onnx.ModelProto.encode({ ...model, graph }).finish(), { graphOptimizationLevel: 'disabled' });
  try {
    const r = await s.run({ x: new ort.Tensor('float32', x, [1, 2, 6, 6]) }, outputs);
    return Object.fromEntries(outputs.map((o) => [o, r[o].data as Float32Array]));
  } finally {
    await s.release();
  }
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('quantize: QDQ graph vs onnxruntime', () => {
  it('QuantizeLinear rounds half to even and saturates as onnxruntime does', async () => {
    const values = Float32Array.of(0.5, 1.5, 2.5, -0.5, -1.5, 3.49, 300, -300, 127.5, 0);
    const model = buildOnnxModel({
      name: 'q',
      opset: 13,
      inputs: [{ name: 'x', type: 'float32', shape: [values.length] }],
      outputs: [{ name: 'q', type: 'uint8', shape: [values.length] }],
      initializers: [
        { name: 's', dims: [], data: Float32Array.of(1) },
        { name: 'z', dims: [], data: Uint8Array.of(128) },
      ],
      nodes: [{ op: 'QuantizeLinear', inputs: ['x', 's', 'z'], outputs: ['q'] }],
    });
    const s = await ort.InferenceSession.create(model);
    const got = (await s.run({ x: new ort.Tensor('float32', values, [values.length]) })).q.data as Uint8Array;
    await s.release();
    assert.deepEqual(
      [...got],
      [...values].map((v) => quantizeValue(v, { scale: 1, zeroPoint: 128 }, 0, 255)),
    );
    assert.deepEqual([0.5, 1.5, 2.5, -2.5].map(roundHalfEven), [0, 2, 2, -2]);
  });

  for (const opset of [13, 11]) {
    it(`opset ${opset}: each layer equals our fake-quantised convolution, and the model stays near FP32`, async () => {
      const fp32 = convModel(opset);
      const plan = planQuantization(fp32);
      assert.deepEqual(plan.activations, ['x', 'r']);
      assert.deepEqual(
        [...plan.weights.values()],
        [
          ['W1', 0],
          ['W2', 0],
        ],
      );
      const ranges = await calibrateRanges(fp32, plan.activations, feeds, { method: 'minmax', percentile: 100 });
      const int8 = rewriteToQdq(fp32, plan, ranges);
      const ops = (int8.graph?.node ?? []).map((n) => `${n.domain || ''}${n.domain ? ':' : ''}${n.opType}`);
      // x, r, W1, W2 and conv's bias B1 (int32); the depthwise conv has none.
      assert.equal(ops.filter((o) => o.endsWith('DequantizeLinear')).length, 5);
      if (opset < 13)
        assert.ok(
          ops.every((o) => !o.endsWith('QuantizeLinear') || o.startsWith('com.microsoft:')),
          ops.join(' '),
        );

      const x = input(7); // not a calibration input: values outside the range saturate
      const q = await run(int8, x, ['c', 'r', 'y']);
      const [xr, rr] = [ranges.get('x'), ranges.get('r')].map((r) => r as { min: number; max: number });
      const b1 = fakeQuantBias(B1, W1, [3, 2, 3, 3], xr);
      assert.ok(maxAbs(b1, B1) > 0, 'the int32 bias differs from the float one, so the check below sees which one ran');
      const c = conv3x3(fakeQuantActivation(x, xr.min, xr.max), 2, fakeQuantWeights(W1, [3, 2, 3, 3]), 3, b1, 1);
      assert.ok(maxAbs(q.c, c) < 1e-4, `conv: max |ort - ts| = ${maxAbs(q.c, c)}`);
      const y = conv3x3(fakeQuantActivation(q.r, rr.min, rr.max), 3, fakeQuantWeights(W2, [3, 1, 3, 3]), 3, undefined, 3);
      assert.ok(maxAbs(q.y, y) < 1e-4, `depthwise conv: max |ort - ts| = ${maxAbs(q.y, y)}`);

      const ref = await run(fp32, x, ['y']);
      const db = sqnrDb(ref.y, q.y);
      assert.ok(db > 25 && Number.isFinite(db), `INT8 output SQNR vs FP32 ${db.toFixed(1)} dB, expected > 25 dB`);
    });
  }

  it('the cost model costs the QDQ graph as the FP32 layers it compiles to, and knows it is INT8', async () => {
    const fp32 = convModel(11);
    const plan = planQuantization(fp32);
    const int8 = rewriteToQdq(fp32, plan, await calibrateRanges(fp32, plan.activations, feeds, { method: 'minmax', percentile: 100 }));
    const [a, b] = [fp32, int8].map((m) => analyzeModel(onnx.ModelProto.encode(m).finish()));
    assert.equal(a.quantized, false);
    assert.equal(b.quantized, true);
    assert.deepEqual(
      b.layers.map((l) => [l.op, l.macs, l.macKind, l.inputBytes, l.outputBytes]),
      a.layers.map((l) => [l.op, l.macs, l.macKind, l.inputBytes, l.outputBytes]),
    );
    assert.equal(b.totalWeightBytes, a.totalWeightBytes);
    const profile = loadHardwareProfile('dx-v3');
    assert.equal(predictCost(b, profile).latencyMs, predictCost(a, profile).latencyMs);
  });

  it('leaves --keep-float layers FP32: "first" and "heads" name the image-reading and output-writing MAC layers', async () => {
    const fp32 = convModel(13);
    assert.deepEqual([...resolveFloatLayers(fp32, ['first'])], ['conv']);
    assert.deepEqual([...resolveFloatLayers(fp32, ['heads'])], ['dw']);
    assert.throws(() => resolveFloatLayers(fp32, ['conv9']), /--keep-float "conv9" is not a Conv\/MatMul\/Gemm node.*conv, dw/);
    const plan = planQuantization(fp32, resolveFloatLayers(fp32, ['heads']));
    assert.deepEqual(plan.activations, ['x']);
    const int8 = rewriteToQdq(fp32, plan, await calibrateRanges(fp32, plan.activations, feeds, { method: 'minmax', percentile: 100 }));
    const dw = (int8.graph?.node ?? []).find((n) => n.name === 'dw');
    assert.deepEqual(dw?.input, ['r', 'W2']);
    const x = input(3);
    const [q, ref] = [await run(int8, x, ['y']), await run(fp32, x, ['y'])];
    assert.ok(sqnrDb(ref.y, q.y) > 25);
  });

  it('refuses a model that is already quantised, naming what to pass instead', async () => {
    const fp32 = convModel(13);
    const plan = planQuantization(fp32);
    const int8 = rewriteToQdq(fp32, plan, await calibrateRanges(fp32, plan.activations, feeds, { method: 'percentile', percentile: 99 }));
    assert.throws(() => planQuantization(int8), /already contains QuantizeLinear.*FP32 original/);
  });
});
