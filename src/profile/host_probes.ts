// The micro-benchmarks a host profile is measured from: one small ONNX model per operator class
// the cost model distinguishes, at the sizes the shared detectors run them. onnxruntime on a CPU
// takes different code paths for the same operator: a convolution whose channels fit its SIMD
// channel block (16 with AVX-512, 8 with AVX2) runs a blocked (NCHWc) kernel, any other one a
// plain im2col/GEMM or per-channel loop, which for a depthwise layer is several times slower per
// MAC (NanoDet's 58/116/232-channel ShuffleNet stages). So each kind is probed on both paths.
import { readFileSync } from 'node:fs';
import type { OnnxNode } from '../inference/onnx_graph_builder';
import { networkProbeModel, opModel, serialProbeModel } from './probe_graphs';
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

/** ShuffleNet's channel shuffle at a NanoDet-m stage: [1, 2, 58, 40, 40] -> [1, 58, 2, 40, 40]. */
export const SHUFFLE_SHAPE = [1, 2, 58, 40, 40];
/** YOLOX's SiLU (x * sigmoid(x)) on a stage-2 feature map; onnxruntime fuses the pair into one kernel. */
export const SILU_SHAPE = [1, 64, 52, 52];
/** Concatenating two ShuffleNet branches: 2 x [1, 58, 40, 40] -> [1, 116, 40, 40]. */
export const CONCAT_SHAPE = [1, 58, 40, 40];
/**
 * The dispatch probe: a chain of Adds, each a node with its fixed cost (65,536 elements: below
 * the ~100,000 from which onnxruntime splits an element-wise node, runtime_cost.ts, so each runs
 * on the calling thread; a chain of split Adds measured a larger per-node cost that, charged to
 * every node, over-predicted yolox-nano and fastestdet); the Adds' arithmetic is taken off at the
 * vector rate.
 */
export const CHAIN_NODES = 32;
export const CHAIN_SHAPE = [1, 64, 32, 32];

const elements = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function chainModel(length: number, shape: number[]): Uint8Array {
  const nodes: OnnxNode[] = Array.from({ length }, (_, i) => ({
    op: 'Add',
    inputs: [i === 0 ? 'x' : `t${i}`, 'x'],
    outputs: [i === length - 1 ? 'full' : `t${i + 1}`],
  }));
  return opModel('host_dispatch_probe', shape, nodes);
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

/** Times every probe (fastest of `repeats` interleaved rounds: the least disturbed run). */
export async function timeProbes(threads: number, repeats: number): Promise<ProbeTimes> {
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
  const times = await timeRunsInterleaved(
    names.map((k) => models[k]),
    threads,
    repeats,
  );
  return Object.fromEntries(names.map((k, i) => [k, Math.min(...times[i])])) as unknown as ProbeTimes;
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
