// The CPU-runtime terms of the cost model (a profile with `npu.runtime`, the measured host):
// depthwise layers on and off the SIMD channel block at their own rates, an activation fused
// into its convolution costing nothing, a Reshape costing its dispatch, every formula exactly;
// and the measured host profile carrying every term with its source.
import { strict as assert } from 'node:assert';
import { buildOnnxModel } from '../../src/inference/onnx_graph_builder';
import { predictCost } from '../../src/profile/cost_model';
import { loadHardwareProfile, parseHardwareProfile, type HardwareProfile } from '../../src/profile/hardware_profile';
import { analyzeModel } from '../../src/profile/model_analysis';
import { blockAligned, runsSerially } from '../../src/profile/runtime_cost';

// x [1,24,16,16] -> dw 3x3 (24 ch, off a 16 block) -> Relu (fused) -> 1x1 24->32 -> dw 3x3 (32 ch, on the block)
// -> Sigmoid (not fused: the dw output also feeds Mul) -> Mul -> Reshape
function model(): Uint8Array {
  const w = (n: number) => new Float32Array(n).fill(0.01);
  return buildOnnxModel({
    name: 'runtime',
    inputs: [{ name: 'x', type: 'float32', shape: [1, 24, 16, 16] }],
    outputs: [{ name: 'y', type: 'float32', shape: [1, 8192] }],
    initializers: [
      { name: 'w1', dims: [24, 1, 3, 3], data: w(216) },
      { name: 'w2', dims: [32, 24, 1, 1], data: w(768) },
      { name: 'w3', dims: [32, 1, 3, 3], data: w(288) },
      { name: 'shape', dims: [2], data: BigInt64Array.of(1n, 8192n) },
    ],
    nodes: [
      { op: 'Conv', name: 'dw24', inputs: ['x', 'w1'], outputs: ['a'], attributes: { pads: [1, 1, 1, 1], group: 24 } },
      { op: 'Relu', name: 'relu', inputs: ['a'], outputs: ['b'] },
      { op: 'Conv', name: 'pw', inputs: ['b', 'w2'], outputs: ['c'] },
      { op: 'Conv', name: 'dw32', inputs: ['c', 'w3'], outputs: ['d'], attributes: { pads: [1, 1, 1, 1], group: 32 } },
      { op: 'Sigmoid', name: 'sig', inputs: ['d'], outputs: ['e'] },
      { op: 'Mul', name: 'mul', inputs: ['d', 'e'], outputs: ['f'] },
      { op: 'Reshape', name: 'flat', inputs: ['f', 'shape'], outputs: ['y'] },
    ],
  });
}

const RUNTIME = {
  channelBlock: 16,
  unalignedRate: { pointwise: 0.5, depthwise: 0.05 },
  perNodeUs: 4,
  serialNodeUs: 3,
  vectorOpsPerSec: 2e10,
  copyElementsPerSec: 4e9,
};

function runtimeProfile(): HardwareProfile {
  const host = loadHardwareProfile('host');
  return {
    ...host,
    npu: {
      ...host.npu,
      peakTops: { value: 0.2, assumption: 'test' },
      relativeRate: { value: { pointwise: 1, depthwise: 0.25 }, assumption: 'test' },
      runtime: { value: RUNTIME, assumption: 'test' },
    },
  };
}

describe('cost model on a CPU runtime (npu.runtime)', () => {
  it('costs each layer by its path, fusion and dispatch, exactly', () => {
    const a = analyzeModel(model());
    const cost = predictCost(a, runtimeProfile());
    const by = Object.fromEntries(cost.layers.map((l) => [l.name, l]));
    const macRate = 0.1e12; // 0.2 TOPS = 1e11 MAC/s, utilisation 1
    const near = (x: number, y: number, what: string) => assert.ok(Math.abs(x - y) < 1e-12, `${what}: ${x} vs ${y}`);
    near(by.dw24.computeMs, ((24 * 9 * 256) / (0.05 * macRate)) * 1e3, 'dw24 off the block');
    near(by.dw32.computeMs, ((32 * 9 * 256) / (0.25 * macRate)) * 1e3, 'dw32 on the block');
    near(by.pw.computeMs, ((32 * 24 * 256) / (0.5 * macRate)) * 1e3, 'pw: 24 input channels miss the block');
    assert.equal(by.relu.latencyMs, 0, 'Relu is fused into dw24');
    near(
      by.sig.latencyMs,
      ((4 * 8192) / 2e10) * 1e3 + 0.004,
      'Sigmoid at the vector rate + dispatch (half of a SiLU: split over the pool)',
    );
    near(by.flat.latencyMs, 0.004 + 0.003, 'Reshape: its dispatch only, run serially');
    near(by.dw32.overheadMs, 0.004, 'a convolution is split over the pool: no serial-node term');
    for (const l of cost.layers) assert.equal(l.memoryMs, 0);
    assert.deepEqual(
      a.layers.map((l) => l.fusedActivation),
      [false, true, false, false, false, false, false],
    );
  });

  it('tells the nodes onnxruntime runs on the calling thread alone from those it splits over its pool', () => {
    assert.deepEqual(
      analyzeModel(model())
        .layers.filter((l) => !l.fusedActivation)
        .map((l) => [l.name, runsSerially(l)]),
      [
        ['dw24', false],
        ['pw', false],
        ['dw32', false],
        ['sig', false],
        ['mul', false],
        ['flat', true],
      ],
    );
    // x * sigmoid(x) runs as one QuickGelu kernel, split at any size; Concats either side of the size from which its per-node profile shows it split (180,000 elements).
    const concat = (channels: number) =>
      analyzeModel(
        buildOnnxModel({
          name: 'concat',
          inputs: [{ name: 'x', type: 'float32', shape: [1, channels, 40, 40] }],
          outputs: [{ name: 'y', type: 'float32', shape: [1, 2 * channels, 40, 40] }],
          nodes: [{ op: 'Concat', inputs: ['x', 'x'], outputs: ['y'], attributes: { axis: 1 } }],
        }),
      ).layers[0];
    assert.equal(runsSerially(concat(54)), true, '172,800 elements');
    assert.equal(runsSerially(concat(58)), false, '185,600 elements');
  });

  it('reads a host profile measured before the serial-node term with the term at 0', () => {
    const { serialNodeUs, ...before } = RUNTIME;
    assert.equal(serialNodeUs, 3);
    const p = runtimeProfile();
    const parsed = parseHardwareProfile({ ...p, npu: { ...p.npu, runtime: { value: before, source: 'measured earlier' } } }, 'host.yaml');
    assert.equal(parsed.npu.runtime?.value.serialNodeUs, 0);
  });

  it('tells block-aligned convolutions from the others', () => {
    const layers = analyzeModel(model()).layers;
    assert.deepEqual(
      layers.filter((l) => l.channels).map((l) => [l.name, blockAligned(l, 16), blockAligned(l, 8)]),
      [
        ['dw24', false, true],
        ['pw', false, true],
        ['dw32', true, true],
      ],
    );
  });

  it('leaves an NPU profile, which has no runtime section, costed as before', () => {
    const dxv3 = loadHardwareProfile('dx-v3');
    assert.equal(dxv3.npu.runtime, undefined);
    const cost = predictCost(analyzeModel(model()), dxv3);
    assert.equal(cost.layers.find((l) => l.name === 'flat')?.latencyMs, 0);
    assert.ok((cost.layers.find((l) => l.name === 'relu')?.computeMs ?? 0) > 0, 'the NPU model still counts the activation work');
  });
});
