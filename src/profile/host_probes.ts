// The micro-benchmarks a host profile is measured from: one small ONNX model per operator class
// the cost model distinguishes, at the sizes the shared detectors run them. onnxruntime on a CPU
// takes different code paths for the same operator: a convolution whose channels fit its SIMD
// channel block (16 with AVX-512, 8 with AVX2) runs a blocked (NCHWc) kernel, any other one a
// plain im2col/GEMM or per-channel loop, which for a depthwise layer is several times slower per
// MAC (NanoDet's 58/116/232-channel ShuffleNet stages). So each kind is probed on both paths.
import { readFileSync } from 'node:fs';
import { buildOnnxModel, type OnnxInitializer, type OnnxNode } from '../inference/onnx_graph_builder';
import { timeRunsInterleaved } from './onnx_timing';

export interface ConvProbe {
  channels: number;
  size: number;
  kernel: number;
  group: number;
}

/** A 3x3 convolution, 64 -> 64 channels on 56x56, stride 1, pad 1: 115,605,504 MACs. */
export const DENSE_PROBE: ConvProbe = { channels: 64, size: 56, kernel: 3, group: 1 };
/** 1x1 and 3x3 depthwise convolutions with block-aligned channels (YOLOX's 64/96/128). */
const POINTWISE_PROBE: ConvProbe = { channels: 96, size: 52, kernel: 1, group: 1 };
const DEPTHWISE_PROBE: ConvProbe = { channels: 96, size: 52, kernel: 3, group: 96 };
/** The same kinds with channels off the block: a ShuffleNet stage (NanoDet-m's 116 channels). */
const POINTWISE_UNALIGNED_PROBE: ConvProbe = { channels: 116, size: 40, kernel: 1, group: 1 };
const DEPTHWISE_UNALIGNED_PROBE: ConvProbe = { channels: 116, size: 20, kernel: 3, group: 116 };

/** Elements of a probe convolution's input plus output (what a reorder around it copies). */
export const probeElements = (p: ConvProbe): number => 2 * p.channels * p.size * p.size;

export const probeMacs = (p: ConvProbe): number => (p.channels * p.channels * p.kernel * p.kernel * p.size * p.size) / p.group;
export const PROBE_MACS = probeMacs(DENSE_PROBE);

function convModel(p: ConvProbe): Uint8Array {
  const { channels: c, size: s, kernel: k, group } = p;
  const pad = (k - 1) / 2;
  const weights = new Float32Array((c * c * k * k) / group).map((_, i) => ((i % 7) - 3) / 100);
  const conv = {
    op: 'Conv',
    inputs: ['x', 'w'],
    outputs: ['full'],
    attributes: { kernel_shape: [k, k], pads: [pad, pad, pad, pad], group },
  };
  return opModel('host_conv_probe', [1, c, s, s], [conv], [{ name: 'w', dims: [c, c / group, k, k], data: weights }]);
}

/**
 * A one-input model of `nodes` from x (shape `input`) to the tensor `full`, whose output y is
 * full's first element: handing a whole tensor back to JavaScript would time a copy the probe is
 * not about.
 */
function opModel(name: string, input: number[], nodes: OnnxNode[], initializers: OnnxInitializer[] = []): Uint8Array {
  // Flattened first: onnxruntime's transpose optimiser would move a Slice ahead of a Transpose
  // and transpose one element.
  return buildOnnxModel({
    name,
    inputs: [{ name: 'x', type: 'float32', shape: input }],
    outputs: [{ name: 'y', type: 'float32', shape: [1, 1] }],
    initializers: [
      ...initializers,
      { name: 'flat', dims: [2], data: BigInt64Array.of(1n, -1n) },
      { name: 'first', dims: [2], data: BigInt64Array.of(0n, 0n) },
      { name: 'one', dims: [2], data: BigInt64Array.of(1n, 1n) },
    ],
    nodes: [
      ...nodes,
      { op: 'Reshape', inputs: ['full', 'flat'], outputs: ['flattened'] },
      { op: 'Slice', inputs: ['flattened', 'first', 'one'], outputs: ['y'] },
    ],
  });
}

/** ShuffleNet's channel shuffle at a NanoDet-m stage: [1, 2, 58, 40, 40] -> [1, 58, 2, 40, 40]. */
export const SHUFFLE_SHAPE = [1, 2, 58, 40, 40];
/** YOLOX's SiLU (x * sigmoid(x)) on a stage-2 feature map; onnxruntime fuses the pair into one kernel. */
export const SILU_SHAPE = [1, 64, 52, 52];
/** Concatenating two ShuffleNet branches: 2 x [1, 58, 40, 40] -> [1, 116, 40, 40]. */
export const CONCAT_SHAPE = [1, 58, 40, 40];
/**
 * The dispatch probe: a chain of Adds on a tensor large enough that onnxruntime splits each node
 * over its thread pool, as it does a detector's layers (waking and joining the threads is most of
 * a node's fixed cost): 147,456 elements, above the ~100,000 from which it splits an element-wise
 * node (runtime_cost.ts); the Adds' arithmetic is taken off at the vector rate.
 */
export const CHAIN_NODES = 32;
export const CHAIN_SHAPE = [1, 64, 48, 48];

const elements = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function chainModel(length: number, shape: number[]): Uint8Array {
  const nodes: OnnxNode[] = Array.from({ length }, (_, i) => ({
    op: 'Add',
    inputs: [i === 0 ? 'x' : `t${i}`, 'x'],
    outputs: [i === length - 1 ? 'full' : `t${i + 1}`],
  }));
  return opModel('host_dispatch_probe', shape, nodes);
}

/** Channels and size of the network probe: YOLOX-nano's stage 2 (32 channels at 52x52). */
const NETWORK_CHANNELS = 32;
export const NETWORK_SHAPE = [1, NETWORK_CHANNELS, 52, 52];
const NETWORK_BLOCKS = 4;

/**
 * A small network in the detectors' pattern, timed whole: per block a 1x1 Conv, SiLU, a 3x3
 * depthwise Conv, SiLU, a Concat with the block's input and a 1x1 Conv back to 32 channels. What
 * it takes beyond the sum of its layers' probe-rate times is what a runtime spends between nodes
 * of a real graph (thread-pool hand-offs, buffer reuse), which a chain of tiny nodes misses.
 */
export function networkProbeModel(): Uint8Array {
  const c = NETWORK_CHANNELS;
  const w = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => (((i * k) % 7) - 3) / 50);
  const conv = (x: string, wName: string, out: string, k: number, group = 1): OnnxNode => ({
    op: 'Conv',
    inputs: [x, wName],
    outputs: [out],
    attributes: { kernel_shape: [k, k], pads: new Array<number>(4).fill((k - 1) / 2), group },
  });
  const silu = (x: string, out: string): OnnxNode[] => [
    { op: 'Sigmoid', inputs: [x], outputs: [`${out}_s`] },
    { op: 'Mul', inputs: [x, `${out}_s`], outputs: [out] },
  ];
  const nodes: OnnxNode[] = [];
  let prev = 'x';
  for (let b = 0; b < NETWORK_BLOCKS; b++) {
    const out = b === NETWORK_BLOCKS - 1 ? 'full' : `b${b}`;
    nodes.push(conv(prev, 'w_pw', `b${b}_pw`, 1), ...silu(`b${b}_pw`, `b${b}_a`));
    nodes.push(conv(`b${b}_a`, 'w_dw', `b${b}_dw`, 3, c), ...silu(`b${b}_dw`, `b${b}_d`));
    nodes.push({ op: 'Concat', inputs: [`b${b}_d`, prev], outputs: [`b${b}_cat`], attributes: { axis: 1 } });
    nodes.push(conv(`b${b}_cat`, 'w_red', out, 1));
    prev = out;
  }
  return opModel('host_network_probe', NETWORK_SHAPE, nodes, [
    { name: 'w_pw', dims: [c, c, 1, 1], data: w(c * c, 1) },
    { name: 'w_dw', dims: [c, 1, 3, 3], data: w(c * 9, 2) },
    { name: 'w_red', dims: [c, 2 * c, 1, 1], data: w(2 * c * c, 3) },
  ]);
}

/** Channels and size of the serial-node probe: off the channel block, so no layout reorders. */
const SERIAL_CHANNELS = 24;
export const SERIAL_SHAPE = [1, SERIAL_CHANNELS, 40, 40];
const SERIAL_BLOCKS = 6;

/**
 * A network in the pattern of NanoDet's heads, timed whole: per block a 1x1 Conv (which the
 * runtime splits over its threads) and four nodes it runs on the calling thread alone (Reshape,
 * a Slice of half the channels, Reshape back, a Concat of the half with itself). Its time beyond
 * its layers and their dispatch is what a serial node costs while the pool spins.
 */
export function serialProbeModel(): Uint8Array {
  const c = SERIAL_CHANNELS;
  const [, , h, w] = SERIAL_SHAPE;
  const nodes: OnnxNode[] = [];
  let prev = 'x';
  for (let b = 0; b < SERIAL_BLOCKS; b++) {
    nodes.push(
      { op: 'Conv', inputs: [prev, 'w'], outputs: [`s${b}_c`], attributes: { kernel_shape: [1, 1] } },
      { op: 'Reshape', inputs: [`s${b}_c`, 'rows'], outputs: [`s${b}_r`] },
      { op: 'Slice', inputs: [`s${b}_r`, 'from', 'half', 'axis'], outputs: [`s${b}_s`] },
      { op: 'Reshape', inputs: [`s${b}_s`, 'image'], outputs: [`s${b}_q`] },
      {
        op: 'Concat',
        inputs: [`s${b}_q`, `s${b}_q`],
        outputs: [b === SERIAL_BLOCKS - 1 ? 'full' : `s${b}`],
        attributes: { axis: 1 },
      },
    );
    prev = b === SERIAL_BLOCKS - 1 ? 'full' : `s${b}`;
  }
  return opModel('host_serial_probe', SERIAL_SHAPE, nodes, [
    { name: 'w', dims: [c, c, 1, 1], data: Float32Array.from({ length: c * c }, (_, i) => ((i % 5) - 2) / 40) },
    { name: 'rows', dims: [3], data: BigInt64Array.of(1n, BigInt(c), BigInt(h * w)) },
    { name: 'from', dims: [1], data: BigInt64Array.of(0n) },
    { name: 'half', dims: [1], data: BigInt64Array.of(BigInt(c / 2)) },
    { name: 'axis', dims: [1], data: BigInt64Array.of(1n) },
    { name: 'image', dims: [4], data: BigInt64Array.of(1n, BigInt(c / 2), BigInt(h), BigInt(w)) },
  ]);
}

export interface ProbeTimes {
  /** Fastest run of each probe, ms. */
  dense: number;
  pointwise: number;
  depthwise: number;
  pointwiseUnaligned: number;
  depthwiseUnaligned: number;
  transpose: number;
  silu: number;
  concat: number;
  chain: number;
  /** One Add on 16 elements: the cost of a session run itself (feeds, fetches, one trivial node). */
  single: number;
  network: number;
  serial: number;
}

export const CONV_PROBES = {
  dense: DENSE_PROBE,
  pointwise: POINTWISE_PROBE,
  depthwise: DEPTHWISE_PROBE,
  pointwiseUnaligned: POINTWISE_UNALIGNED_PROBE,
  depthwiseUnaligned: DEPTHWISE_UNALIGNED_PROBE,
} as const;

/**
 * Times every probe (fastest of `repeats` interleaved rounds: the least disturbed run), and the
 * `alongside` models in the same rounds (all their times), so that a bench comparing predictions
 * from the probes with those models' timings compares runs under the same load.
 */
export async function timeProbes(
  threads: number,
  repeats: number,
  alongside: ReadonlyArray<string | Uint8Array> = [],
): Promise<{ probes: ProbeTimes; alongside: number[][] }> {
  const models: Record<keyof ProbeTimes, Uint8Array> = {
    dense: convModel(DENSE_PROBE),
    pointwise: convModel(POINTWISE_PROBE),
    depthwise: convModel(DEPTHWISE_PROBE),
    pointwiseUnaligned: convModel(POINTWISE_UNALIGNED_PROBE),
    depthwiseUnaligned: convModel(DEPTHWISE_UNALIGNED_PROBE),
    transpose: opModel('host_transpose_probe', SHUFFLE_SHAPE, [
      { op: 'Transpose', inputs: ['x'], outputs: ['full'], attributes: { perm: [0, 2, 1, 3, 4] } },
    ]),
    silu: opModel('host_silu_probe', SILU_SHAPE, [
      { op: 'Sigmoid', inputs: ['x'], outputs: ['s'] },
      { op: 'Mul', inputs: ['x', 's'], outputs: ['full'] },
    ]),
    concat: opModel('host_concat_probe', CONCAT_SHAPE, [{ op: 'Concat', inputs: ['x', 'x'], outputs: ['full'], attributes: { axis: 1 } }]),
    chain: chainModel(CHAIN_NODES, CHAIN_SHAPE),
    single: chainModel(1, [1, 16]),
    network: networkProbeModel(),
    serial: serialProbeModel(),
  };
  const names = Object.keys(models) as Array<keyof ProbeTimes>;
  const times = await timeRunsInterleaved([...names.map((k) => models[k]), ...alongside], threads, repeats);
  const probes = Object.fromEntries(names.map((k, i) => [k, Math.min(...times[i])])) as unknown as ProbeTimes;
  return { probes, alongside: times.slice(names.length) };
}

/** Elements of the probes' outputs, for turning times into rates. */
export const PROBE_ELEMENTS = {
  transpose: elements(SHUFFLE_SHAPE),
  silu: elements(SILU_SHAPE),
  concat: 2 * elements(CONCAT_SHAPE),
  chain: elements(CHAIN_SHAPE),
};

/**
 * The SIMD channel block of onnxruntime's blocked convolution kernels on this CPU (MLAS: 16
 * floats with AVX-512F, 8 with AVX/AVX2 or NEON), from the flags /proc/cpuinfo lists.
 */
export function cpuChannelBlock(): { value: number; source: string } {
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '';
    if (/\bavx512f\b/.test(flags)) return { value: 16, source: 'avx512f in /proc/cpuinfo flags: MLAS NCHWc block of 16 floats' };
    return { value: 8, source: 'no avx512f in /proc/cpuinfo flags: MLAS NCHWc block of 8 floats' };
  } catch {
    return { value: 8, source: 'no /proc/cpuinfo: MLAS NCHWc block of 8 floats (AVX2 / NEON)' };
  }
}
