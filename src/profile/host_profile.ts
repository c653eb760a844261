// The `host` profile measured on the spot: this machine's CPU running FP32 models through
// onnxruntime. Starts from profiles/host.yaml (the template) and replaces the throughput, core
// count and bandwidth with timings taken now, each tagged `source: measured ...`.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { predictCost } from './cost_model';
import { loadHardwareProfile, type HardwareProfile } from './hardware_profile';
import { analyzeModel } from './model_analysis';
import {
  CHAIN_NODES,
  CHAIN_SHAPE,
  CONV_PROBES,
  cpuChannelBlock,
  PROBE_ELEMENTS,
  PROBE_MACS,
  probeElements,
  probeMacs,
  SHUFFLE_SHAPE,
  SILU_SHAPE,
  CONCAT_SHAPE,
  timeProbes,
  type ProbeTimes,
} from './host_probes';
import { networkProbeModel, NETWORK_SHAPE, serialProbeModel, SERIAL_SHAPE } from './probe_graphs';
import { medianMs } from './onnx_timing';
import { runsSerially } from './runtime_cost';
import { fitStereo } from './stereo_probe';

export { PROBE_MACS };

export interface HostMeasureOptions {
  /** onnxruntime intra-op threads (default: all cores). */
  threads?: number;
  /** Timed runs of each probe convolution (fastest taken). */
  repeats?: number;
  /** Stereo worker threads to time the SGM matcher with (default 2, the pipeline's default). */
  stereoWorkers?: number;
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
 * Probe time less the cost of a run with one trivial node (feeds, fetches, one dispatch), so
 * rates measure the work alone (never below 10 % of the time).
 */
const workMs = (t: ProbeTimes, probe: keyof ProbeTimes): number => Math.max(t[probe] - t.single, 0.1 * t[probe]);

/** The runtime section and convolution rates from probe times; `measured` tags the sources. */
function runtimeFromProbes(t: ProbeTimes, measured: (what: string) => string) {
  const block = cpuChannelBlock();
  // Sigmoid (4 ops per element) + Mul (1), as VECTOR_OPS_PER_ELEMENT counts them.
  const vectorOpsPerSec = (5 * PROBE_ELEMENTS.silu) / (workMs(t, 'silu') / 1e3);
  const addMs = (PROBE_ELEMENTS.chain / vectorOpsPerSec) * 1e3;
  const dispatchMs = Math.max(0, (t.chain - t.single) / CHAIN_NODES - addMs);
  const copyElementsPerSec = PROBE_ELEMENTS.concat / (workMs(t, 'concat') / 1e3);
  // A block-aligned convolution alone in a graph is wrapped in reorders to and from the blocked
  // layout, copies a layer inside a network does not pay: take them off at the copy rate.
  const rate = (k: keyof typeof CONV_PROBES) => {
    const p = CONV_PROBES[k];
    const reorderMs = p.channels % block.value === 0 ? (probeElements(p) / copyElementsPerSec) * 1e3 : 0;
    return probeMacs(p) / (Math.max(workMs(t, k) - reorderMs, 0.1 * t[k]) / 1e3);
  };
  const dense = rate('dense');
  const f = (ms: number) => `${ms.toFixed(3)} ms`;
  return {
    denseMacsPerSec: dense,
    relativeRate: {
      value: { pointwise: rate('pointwise') / dense, depthwise: rate('depthwise') / dense },
      source: measured(
        `1x1 Conv 96ch 52x52 ${f(t.pointwise)} and 3x3 depthwise Conv 96ch 52x52 ${f(t.depthwise)}, MAC/s relative to the dense probe`,
      ),
    },
    transposeElementsPerSec: {
      value: PROBE_ELEMENTS.transpose / (workMs(t, 'transpose') / 1e3),
      source: measured(`onnxruntime Transpose [${SHUFFLE_SHAPE.join(',')}] perm 0,2,1,3,4 (channel shuffle) fastest ${f(t.transpose)}`),
    },
    runtime: {
      value: {
        channelBlock: block.value,
        unalignedRate: { pointwise: rate('pointwiseUnaligned') / dense, depthwise: rate('depthwiseUnaligned') / dense },
        perNodeUs: dispatchMs * 1e3,
        // From the network and serial probes together (withNetworkDispatch).
        serialNodeUs: 0,
        vectorOpsPerSec,
        copyElementsPerSec,
      },
      source: measured(
        `channel block: ${block.source}; off-block 1x1 Conv 116ch 40x40 ${f(t.pointwiseUnaligned)} and 3x3 depthwise Conv 116ch 20x20 ` +
          `${f(t.depthwiseUnaligned)}; ${CHAIN_NODES} chained Adds on [${CHAIN_SHAPE.join(',')}] ${f(t.chain)} vs 1 Add on 16 elements ${f(t.single)}, less the Adds' arithmetic; SiLU [${SILU_SHAPE.join(',')}] ${f(t.silu)}; ` +
          `Concat of 2 x [${CONCAT_SHAPE.join(',')}] ${f(t.concat)}; rates net of the 1-Add run and, for blocked convolutions, of their reorders`,
      ),
    },
  };
}

/**
 * Measures this host and returns the `host` profile: convolution rates by kind on and off the
 * SIMD channel block, the runtime's dispatch, vector, copy and channel-shuffle rates through
 * onnxruntime (host_probes.ts), copy bandwidth, the clock, and the SGM matcher at six probe cases (both matchers). Takes
 * a few seconds. The NPU section describes onnxruntime on the CPU (every operator supported), so
 * the cost model predicts host-time latencies with the same formulas it uses for the target.
 */
export async function measureHostProfile(opts: HostMeasureOptions = {}): Promise<HardwareProfile> {
  const cores = cpus().length;
  const { threads = cores, repeats = 60, stereoWorkers = 2 } = opts;
  const when = new Date().toISOString();
  const probes = await timeProbes(threads, repeats);
  const measured = (what: string) => `measured ${when}: ${what}`;
  const rt = runtimeFromProbes(probes, measured);
  const bandwidth = measureCopyBandwidthGBs();
  const template = loadHardwareProfile('host');
  const clock = cpuinfoClockGHz();
  const cpu: HardwareProfile['cpu'] = {
    ...template.cpu,
    cores: { value: cores, source: measured('os.cpus().length') },
    gflopsPerCore: { value: (2 * rt.denseMacsPerSec) / 1e9 / threads, source: measured('dense probe convolution rate / threads') },
    ...(clock ? { clockGHz: { value: clock, source: measured('"cpu MHz" in /proc/cpuinfo') } } : {}),
  };
  const withCpu = { ...template, cpu };
  const st = await fitStereo(withCpu, stereoWorkers);
  const stereoProbes = st.probes
    .map((p) => `${p.width}x${p.height}x${p.disparities}${p.coarseToFine ? ' coarse-to-fine' : ''} ${p.ms.toFixed(2)} ms`)
    .join(', ');
  const stereoSource = measured(`least-squares fit to the SGM matcher (${stereoWorkers} workers) at ${stereoProbes}`);
  const profile: HardwareProfile = {
    ...withCpu,
    description: `This host (${cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores), onnxruntime FP32, measured ${when}`,
    npu: {
      ...template.npu,
      peakTops: {
        value: (2 * rt.denseMacsPerSec) / 1e12,
        source: measured(`onnxruntime ${threads}-thread 3x3 Conv 64ch 56x56 (${PROBE_MACS} MACs) fastest ${probes.dense.toFixed(2)} ms`),
      },
      relativeRate: rt.relativeRate,
      transposeElementsPerSec: rt.transposeElementsPerSec,
      runtime: rt.runtime,
    },
    dram: { ...template.dram, bandwidthGBs: { value: bandwidth, source: measured('64 MiB typed-array copy, read+write bytes / time') } },
    stereo: {
      ...template.stereo,
      achievedFraction: { value: st.achievedFraction, source: stereoSource },
      pixelFraction: { value: st.pixelFraction, source: stereoSource },
      perPairOverheadUs: { value: st.perPairOverheadUs, source: stereoSource },
    },
  };
  return withNetworkDispatch(profile, probes);
}

interface DispatchProbe {
  /** Probe time less the session-run cost, ms. */
  ms: number;
  /** Its layers at the probe rates, with no dispatch, ms. */
  layersMs: number;
  nodes: number;
  serialNodes: number;
}

function dispatchProbe(model: Uint8Array, ms: number, noDispatch: HardwareProfile): DispatchProbe {
  const analysis = analyzeModel(model);
  const executed = analysis.layers.filter((l) => !l.fusedActivation);
  return {
    ms,
    layersMs: predictCost(analysis, noDispatch).latencyMs,
    nodes: executed.length,
    serialNodes: executed.filter(runsSerially).length,
  };
}

/**
 * The dispatch terms from the network and serial probes, each time beyond its layers at the probe
 * rates = nodes x perNodeUs + serial nodes x serialNodeUs, solved for both (perNodeUs never
 * below what the chain of Adds measured, neither negative).
 */
function withNetworkDispatch(profile: HardwareProfile, t: ProbeTimes): HardwareProfile {
  const runtime = profile.npu.runtime;
  if (!runtime) return profile;
  const zero = { ...runtime.value, perNodeUs: 0, serialNodeUs: 0 };
  const noDispatch = { ...profile, npu: { ...profile.npu, runtime: { ...runtime, value: zero } } };
  const n = dispatchProbe(networkProbeModel(), t.network - t.single, noDispatch);
  const s = dispatchProbe(serialProbeModel(), t.serial - t.single, noDispatch);
  const [nx, ny] = [n.ms - n.layersMs, s.ms - s.layersMs].map((v) => v * 1e3);
  const det = n.nodes * s.serialNodes - s.nodes * n.serialNodes;
  const solvedNode = det !== 0 ? (nx * s.serialNodes - ny * n.serialNodes) / det : nx / n.nodes;
  const perNodeUs = Math.max(runtime.value.perNodeUs, solvedNode);
  const serialNodeUs = Math.max(0, (ny - s.nodes * perNodeUs) / s.serialNodes);
  const probe = (name: string, p: DispatchProbe, shape: number[], ms: number) =>
    `${name} probe (${p.nodes} nodes, ${p.serialNodes} serial, on [${shape.join(',')}]) ${ms.toFixed(3)} ms, ${p.layersMs.toFixed(3)} ms of it its layers at the probe rates`;
  const source =
    `${runtime.source}; per node and per serial node: ${probe('network', n, NETWORK_SHAPE, t.network)}; ` +
    probe('serial', s, SERIAL_SHAPE, t.serial);
  return { ...profile, npu: { ...profile.npu, runtime: { value: { ...runtime.value, perNodeUs, serialNodeUs }, source } } };
}
