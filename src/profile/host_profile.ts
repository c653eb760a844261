// The `host` profile measured on the spot: this machine's CPU running FP32 models through
// onnxruntime. Starts from profiles/host.yaml (the template) and replaces the throughput, core
// count and bandwidth with timings taken now, each tagged `source: measured ...`.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as ort from 'onnxruntime-node';
import { buildOnnxModel } from '../inference/onnx_graph_builder';
import { loadHardwareProfile, type HardwareProfile } from './hardware_profile';
import { fitStereo } from './stereo_probe';
import type { LatencyMeasurement } from './timing_report';

export interface HostMeasureOptions {
  /** onnxruntime intra-op threads (default: all cores). */
  threads?: number;
  /** Timed runs of each probe convolution (fastest taken). */
  repeats?: number;
  /** Stereo worker threads to time the SGM matcher with (default 2, the pipeline's default). */
  stereoWorkers?: number;
}

interface ConvProbe {
  channels: number;
  size: number;
  kernel: number;
  group: number;
}

/** A 3x3 convolution, 64 -> 64 channels on 56x56, stride 1, pad 1: 115,605,504 MACs. */
const PROBE: ConvProbe = { channels: 64, size: 56, kernel: 3, group: 1 };
/** The detectors' other MAC layers: a 1x1 convolution and a 3x3 depthwise one, at a detector's sizes. */
const POINTWISE_PROBE: ConvProbe = { channels: 96, size: 52, kernel: 1, group: 1 };
const DEPTHWISE_PROBE: ConvProbe = { channels: 96, size: 52, kernel: 3, group: 96 };

const probeMacs = (p: ConvProbe) => (p.channels * p.channels * p.kernel * p.kernel * p.size * p.size) / p.group;
export const PROBE_MACS = probeMacs(PROBE);

function probeModel(p: ConvProbe): Uint8Array {
  const { channels: c, size: s, kernel: k, group } = p;
  const pad = (k - 1) / 2;
  const weights = new Float32Array((c * c * k * k) / group).map((_, i) => ((i % 7) - 3) / 100);
  return buildOnnxModel({
    name: 'host_probe',
    inputs: [{ name: 'x', type: 'float32', shape: [1, c, s, s] }],
    outputs: [{ name: 'y', type: 'float32', shape: [1, c, s, s] }],
    initializers: [{ name: 'w', dims: [c, c / group, k, k], data: weights }],
    nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], attributes: { kernel_shape: [k, k], pads: [pad, pad, pad, pad], group } }],
  });
}

/** ShuffleNet's channel shuffle at a NanoDet-m stage: [1, 2, 58, 40, 40] -> [1, 58, 2, 40, 40]. */
const SHUFFLE_SHAPE = [1, 2, 58, 40, 40];

function shuffleModel(): Uint8Array {
  const [n, g, c, h, w] = SHUFFLE_SHAPE;
  return buildOnnxModel({
    name: 'host_transpose_probe',
    inputs: [{ name: 'x', type: 'float32', shape: SHUFFLE_SHAPE }],
    outputs: [{ name: 'y', type: 'float32', shape: [n, c, g, h, w] }],
    nodes: [{ op: 'Transpose', inputs: ['x'], outputs: ['y'], attributes: { perm: [0, 2, 1, 3, 4] } }],
  });
}

/** MAC/s of each probe convolution on this host (fastest of `repeats` interleaved rounds: the least disturbed). */
async function probeMacsPerSec(probes: ConvProbe[], threads: number, repeats: number): Promise<Array<{ macsPerSec: number; ms: number }>> {
  const times = await timeRunsInterleaved(probes.map(probeModel), threads, repeats);
  return probes.map((p, i) => {
    const ms = Math.min(...times[i]);
    return { macsPerSec: probeMacs(p) / (ms / 1e3), ms };
  });
}

/** The clock /proc/cpuinfo reports (Linux), GHz, or undefined elsewhere. */
function cpuinfoClockGHz(): number | undefined {
  try {
    const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? Number(m[1]) / 1e3 : undefined;
  } catch {
    return undefined;
  }
}

function medianMs(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function openSession(
  model: string | Uint8Array,
  threads: number,
): Promise<{ session: ort.InferenceSession; feeds: Record<string, ort.Tensor> }> {
  // logSeverityLevel 3: old exporters' "initializer in graph inputs" warnings are noise here.
  const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 };
  const session =
    typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    const meta = session.inputMetadata.find((m) => m.name === name);
    const dims = meta && meta.isTensor ? meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1)) : [];
    feeds[name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
  }
  return { session, feeds };
}

/**
 * Wall times (ms) of `repeats` rounds over float32-input models on zero-filled inputs, after 3
 * warm-up rounds; one list per model. Models take turns within each round, so a burst of load
 * from other processes on a shared machine hits them all alike rather than one model's runs.
 */
export async function timeRunsInterleaved(models: Array<string | Uint8Array>, threads: number, repeats: number): Promise<number[][]> {
  const sessions = [];
  for (const m of models) sessions.push(await openSession(m, threads));
  try {
    const times: number[][] = models.map(() => []);
    for (let i = 0; i < repeats + 3; i++) {
      for (const [k, { session, feeds }] of sessions.entries()) {
        const t0 = process.hrtime.bigint();
        await session.run(feeds);
        if (i >= 3) times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
    return times;
  } finally {
    for (const { session } of sessions) await session.release();
  }
}

async function timeRuns(model: string | Uint8Array, threads: number, repeats: number): Promise<number[]> {
  return (await timeRunsInterleaved([model], threads, repeats))[0];
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
 * Measures this host and returns the `host` profile: dense, pointwise and depthwise convolution
 * rates and the channel-shuffle Transpose rate through onnxruntime, copy bandwidth, the clock, and the SGM matcher at four sizes. Takes
 * a few seconds. The NPU section describes onnxruntime on the CPU (every operator supported), so
 * the cost model predicts host-time latencies with the same formulas it uses for the target.
 */
export async function measureHostProfile(opts: HostMeasureOptions = {}): Promise<HardwareProfile> {
  const cores = cpus().length;
  const { threads = cores, repeats = 60, stereoWorkers = 2 } = opts;
  const [dense, pointwise, depthwise] = await probeMacsPerSec([PROBE, POINTWISE_PROBE, DEPTHWISE_PROBE], threads, repeats);
  const transposeMs = Math.min(...(await timeRunsInterleaved([shuffleModel()], threads, repeats))[0]);
  const shuffleElements = SHUFFLE_SHAPE.reduce((a, b) => a * b, 1);
  const bandwidth = measureCopyBandwidthGBs();
  const when = new Date().toISOString();
  const template = loadHardwareProfile('host');
  const measured = (what: string) => `measured ${when}: ${what}`;
  const clock = cpuinfoClockGHz();
  const cpu: HardwareProfile['cpu'] = {
    ...template.cpu,
    cores: { value: cores, source: measured('os.cpus().length') },
    gflopsPerCore: { value: (2 * dense.macsPerSec) / 1e9 / threads, source: measured('dense probe convolution rate / threads') },
    ...(clock ? { clockGHz: { value: clock, source: measured('"cpu MHz" in /proc/cpuinfo') } } : {}),
  };
  const withCpu = { ...template, cpu };
  const st = await fitStereo(withCpu, stereoWorkers);
  const probes = st.probes.map((p) => `${p.width}x${p.height}x${p.disparities} ${p.ms.toFixed(2)} ms`).join(', ');
  const stereoSource = measured(`least-squares fit to the SGM matcher (${stereoWorkers} workers) at ${probes}`);
  return {
    ...withCpu,
    description: `This host (${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores), onnxruntime FP32, measured ${when}`,
    npu: {
      ...template.npu,
      peakTops: {
        value: (2 * dense.macsPerSec) / 1e12,
        source: measured(`onnxruntime ${threads}-thread 3x3 Conv 64ch 56x56 (${PROBE_MACS} MACs) fastest ${dense.ms.toFixed(2)} ms`),
      },
      relativeRate: {
        value: { pointwise: pointwise.macsPerSec / dense.macsPerSec, depthwise: depthwise.macsPerSec / dense.macsPerSec },
        source: measured(
          `1x1 Conv 96ch 52x52 ${pointwise.ms.toFixed(3)} ms and 3x3 depthwise Conv 96ch 52x52 ${depthwise.ms.toFixed(3)} ms, MAC/s relative to the dense probe`,
        ),
      },
      transposeElementsPerSec: {
        value: shuffleElements / (transposeMs / 1e3),
        source: measured(
          `onnxruntime Transpose [${SHUFFLE_SHAPE.join(',')}] perm 0,2,1,3,4 (channel shuffle) fastest ${transposeMs.toFixed(3)} ms`,
        ),
      },
    },
    dram: { ...template.dram, bandwidthGBs: { value: bandwidth, source: measured('64 MiB typed-array copy, read+write bytes / time') } },
    stereo: {
      ...template.stereo,
      achievedFraction: { value: st.achievedFraction, source: stereoSource },
      pixelFraction: { value: st.pixelFraction, source: stereoSource },
      perPairOverheadUs: { value: st.perPairOverheadUs, source: stereoSource },
    },
  };
}
