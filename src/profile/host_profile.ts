// The `host` profile measured on the spot: this machine's CPU running FP32 models through
// onnxruntime. Starts from profiles/host.yaml (the template) and replaces the throughput, core
// count and bandwidth with timings taken now, each tagged `source: measured ...`.
import { cpus } from 'node:os';
import * as ort from 'onnxruntime-node';
import { buildOnnxModel } from '../inference/onnx_graph_builder';
import { loadHardwareProfile, type HardwareProfile } from './hardware_profile';
import type { LatencyMeasurement } from './timing_report';

export interface HostMeasureOptions {
  /** onnxruntime intra-op threads (default: all cores). */
  threads?: number;
  /** Timed runs of the probe convolution (median taken). */
  repeats?: number;
}

/** A 3x3 convolution, 64 -> 64 channels on 56x56, stride 1, pad 1: 115,605,504 MACs. */
const PROBE = { channels: 64, size: 56, kernel: 3 };
export const PROBE_MACS = PROBE.channels * PROBE.channels * PROBE.kernel * PROBE.kernel * PROBE.size * PROBE.size;

function probeModel(): Uint8Array {
  const { channels: c, size: s, kernel: k } = PROBE;
  const weights = new Float32Array(c * c * k * k).map((_, i) => ((i % 7) - 3) / 100);
  return buildOnnxModel({
    name: 'host_probe',
    inputs: [{ name: 'x', type: 'float32', shape: [1, c, s, s] }],
    outputs: [{ name: 'y', type: 'float32', shape: [1, c, s, s] }],
    initializers: [{ name: 'w', dims: [c, c, k, k], data: weights }],
    nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attributes: { kernel_shape: [k, k], pads: [1, 1, 1, 1] } }],
  });
}

function medianMs(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall times (ms) of `repeats` runs of a model on zero-filled inputs, after 3 warm-up runs. */
async function timeRuns(model: string | Uint8Array, threads: number, repeats: number): Promise<number[]> {
  // logSeverityLevel 3: old exporters' "initializer in graph inputs" warnings are noise here.
  const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 };
  const session =
    typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      const meta = session.inputMetadata.find((m) => m.name === name);
      const dims = meta && meta.isTensor ? meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1)) : [];
      feeds[name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
    }
    const times: number[] = [];
    for (let i = 0; i < repeats + 3; i++) {
      const t0 = process.hrtime.bigint();
      await session.run(feeds);
      if (i >= 3) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return times;
  } finally {
    await session.release();
  }
}

/**
 * Measures a float32-input model's latency on this host with onnxruntime (mean and standard
 * deviation of `repeats` runs), in the form `calibrate` takes.
 */
export async function measureOnnxLatency(modelPath: string, opts: HostMeasureOptions = {}): Promise<LatencyMeasurement> {
  const { threads = cpus().length, repeats = 10 } = opts;
  const times = await timeRuns(modelPath, threads, repeats);
  const meanMs = times.reduce((a, b) => a + b, 0) / times.length;
  const stdMs = Math.sqrt(times.reduce((s, t) => s + (t - meanMs) ** 2, 0) / Math.max(1, times.length - 1));
  return { model: modelPath, meanMs, stdMs };
}

/** Copy bandwidth of a 64 MiB buffer (read + write counted), GB/s, median of 5. */
function measureCopyBandwidthGBs(): number {
  const src = new Float64Array(8 * 1024 * 1024).fill(1);
  const dst = new Float64Array(src.length);
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = process.hrtime.bigint();
    dst.set(src);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return (2 * src.byteLength) / (medianMs(times.slice(1)) / 1e3) / 1e9;
}

/**
 * Measures this host and returns the `host` profile. Takes about a second. The NPU section
 * describes onnxruntime on the CPU (every operator supported), so the cost model predicts
 * host-time latencies with the same formulas it uses for the target.
 */
export async function measureHostProfile(opts: HostMeasureOptions = {}): Promise<HardwareProfile> {
  const cores = cpus().length;
  const { threads = cores, repeats = 15 } = opts;
  const ms = medianMs(await timeRuns(probeModel(), threads, repeats));
  const macsPerSec = PROBE_MACS / (ms / 1e3);
  const bandwidth = measureCopyBandwidthGBs();
  const when = new Date().toISOString();
  const template = loadHardwareProfile('host');
  const measured = (what: string) => `measured ${when}: ${what}`;
  return {
    ...template,
    description: `This host (${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores), onnxruntime FP32, measured ${when}`,
    npu: {
      ...template.npu,
      peakTops: { value: (2 * macsPerSec) / 1e12, source: measured(`onnxruntime ${threads}-thread 3x3 Conv 64ch 56x56 (${PROBE_MACS} MACs) median ${ms.toFixed(2)} ms`) },
    },
    dram: { ...template.dram, bandwidthGBs: { value: bandwidth, source: measured('64 MiB typed-array copy, read+write bytes / time') } },
    cpu: {
      ...template.cpu,
      cores: { value: cores, source: measured('os.cpus().length') },
      gflopsPerCore: { value: (2 * macsPerSec) / 1e9 / threads, source: measured('probe convolution rate / threads') },
    },
  };
}
