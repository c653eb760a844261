// Predicts per-layer and per-model latency, DRAM traffic and energy of an analysed model on a
// hardware profile. Layers run one after another (layer-by-layer NPU execution).
//
// The memory model, stated plainly:
// - Weights live in DRAM and each layer reads its own weights once per inference.
// - A layer's working set is weights + input activations + output activations. What fits in the
//   NPU's on-chip SRAM stays there; the excess (capped at the activation bytes) spills and crosses
//   DRAM once. Graph inputs are read from DRAM and graph outputs written to it.
// - On the NPU every element is `precision` wide (INT8: 1 byte). Operators the NPU does not run
//   (not in `npu.supportedOps`) run on the CPU cores in FP32 (4 bytes/element), and their inputs
//   and outputs cross DRAM in full.
// Latency per layer = max(compute time, memory time) + launch overhead. The NPU compiler is
// assumed to fuse activations, elementwise and layout operators into the stream of the MAC layers
// (Conv, Gemm, MatMul), so only MAC layers pay `perLayerOverheadUs`; every CPU-fallback operator
// pays `cpu.perOpOverheadUs` (the NPU<->CPU handoff).
// NPU compute time = (MACs / relative rate of the layer's kind + vectorOps / 2) / (peak MAC/s x
// utilisation): vector work runs at the MAC array's op rate; pointwise and depthwise layers run at
// the profile's `relativeRate` of a dense convolution (a depthwise layer reduces over one input
// channel, so it keeps few multipliers busy per byte moved). Where the profile gives a Transpose
// rate (a CPU runtime, whose channel shuffles are strided copies), a Transpose adds its output
// elements at that rate. Memory time = DRAM bytes / (peak bandwidth x efficiency).
// Energy = device power x layer latency + DRAM bytes x energy per byte.
// A profile whose NPU section is a CPU runtime (`npu.runtime`, the measured host) replaces the
// compute and launch terms with the runtime's (runtime_cost.ts): channel-block paths, fused
// activations, copy rates of layout operators and a dispatch per executed node.
import { npuBytesPerElement, npuPeakMacsPerSec, type HardwareProfile } from './hardware_profile';
import type { LayerAnalysis, ModelAnalysis } from './model_analysis';
import { runtimeComputeMs, runtimeOverheadMs } from './runtime_cost';

export type Device = 'npu' | 'cpu' | 'none';

export interface LayerCost {
  name: string;
  op: string;
  device: Device;
  computeMs: number;
  memoryMs: number;
  overheadMs: number;
  latencyMs: number;
  /** What bounds the layer: the larger of compute and memory time. */
  bound: 'compute' | 'memory' | 'none';
  macs: number;
  dramBytes: number;
  /** Activation bytes that did not fit in SRAM. */
  spillBytes: number;
  energyMj: number;
}

export interface ModelCost {
  profile: string;
  /** Images per inference (the cameras of a rig run as one batch), 1 unless batched. */
  batch: number;
  layers: LayerCost[];
  totalMacs: number;
  gmacs: number;
  dramBytes: number;
  latencyMs: number;
  energyMj: number;
  /** Distinct operator types that fall back to the CPU. */
  cpuFallbackOps: string[];
}

/** Whether the profile's NPU runs operator `op` ('*' in supportedOps means every operator). */
export function runsOnNpu(profile: HardwareProfile, op: string): boolean {
  const ops = profile.npu.supportedOps.value;
  return ops.includes('*') || ops.includes(op);
}

/** Time to move `bytes` over DRAM at the profile's effective bandwidth, ms. */
function dramMs(bytes: number, p: HardwareProfile): number {
  return (bytes / (p.dram.bandwidthGBs.value * 1e9 * p.dram.efficiency.value)) * 1e3;
}

function npuLayer(l: LayerAnalysis, p: HardwareProfile): LayerCost {
  const bpe = npuBytesPerElement(p);
  const weights = l.weightBytes * bpe;
  const activations = l.activationBytes * bpe;
  const spillBytes = Math.min(activations, Math.max(0, weights + activations - p.npu.sramBytes.value));
  const ioBytes = (l.readsGraphInput ? l.inputBytes * bpe : 0) + (l.writesGraphOutput ? l.outputBytes * bpe : 0);
  const dramBytes = weights + spillBytes + ioBytes;
  const runtime = p.npu.runtime?.value;
  const computeMs = runtime ? runtimeComputeMs(l, p, runtime) : npuComputeMs(l, p);
  // A CPU runtime's rates were measured on tensors of the detectors' sizes, memory traffic
  // included (runtime_cost.ts): no separate memory term.
  const memoryMs = runtime ? 0 : dramMs(dramBytes, p);
  const overheadMs = runtime ? runtimeOverheadMs(l, runtime) : l.macs > 0 ? p.npu.perLayerOverheadUs.value / 1e3 : 0;
  return finish(l, 'npu', { computeMs, memoryMs, overheadMs, dramBytes, spillBytes }, p.npu.activeW.value, p);
}

function npuComputeMs(l: LayerAnalysis, p: HardwareProfile): number {
  const rates = p.npu.relativeRate?.value;
  const relative = rates && (l.macKind === 'pointwise' || l.macKind === 'depthwise') ? rates[l.macKind] : 1;
  // A Transpose the runtime executes as a strided copy costs its elements at the measured rate.
  const transposeRate = l.op === 'Transpose' ? p.npu.transposeElementsPerSec?.value : undefined;
  const copyMs = transposeRate ? (l.outputBytes / transposeRate) * 1e3 : 0;
  return ((l.macs / relative + l.vectorOps / 2) / (npuPeakMacsPerSec(p) * p.npu.utilization.value)) * 1e3 + copyMs;
}

function cpuLayer(l: LayerAnalysis, p: HardwareProfile): LayerCost {
  const dramBytes = (l.weightBytes + l.activationBytes) * 4;
  const flops = 2 * l.macs + l.vectorOps;
  const computeMs = (flops / (p.cpu.cores.value * p.cpu.gflopsPerCore.value * 1e9)) * 1e3;
  const memoryMs = dramMs(dramBytes, p);
  const overheadMs = p.cpu.perOpOverheadUs.value / 1e3;
  return finish(l, 'cpu', { computeMs, memoryMs, overheadMs, dramBytes, spillBytes: 0 }, p.cpu.cores.value * p.cpu.activeWPerCore.value, p);
}

interface LayerTerms {
  computeMs: number;
  memoryMs: number;
  overheadMs: number;
  dramBytes: number;
  spillBytes: number;
}

/** Latency = max(compute, memory) + overhead; energy = power x latency + DRAM bytes x pJ/byte. */
function finish(l: LayerAnalysis, device: Device, t: LayerTerms, powerW: number, p: HardwareProfile): LayerCost {
  const latencyMs = Math.max(t.computeMs, t.memoryMs) + t.overheadMs;
  return {
    name: l.name,
    op: l.op,
    device,
    ...t,
    latencyMs,
    bound: t.computeMs >= t.memoryMs ? 'compute' : 'memory',
    macs: l.macs,
    energyMj: powerW * latencyMs + (t.dramBytes * p.dram.energyPjPerByte.value) / 1e9,
  };
}

/**
 * Cost of one layer on the profile. Layout-only layers cost nothing on an NPU (a CPU runtime
 * still dispatches them).
 */
export function predictLayerCost(l: LayerAnalysis, profile: HardwareProfile): LayerCost {
  if (l.layoutOnly && !profile.npu.runtime) {
    return {
      name: l.name,
      op: l.op,
      device: 'none',
      computeMs: 0,
      memoryMs: 0,
      overheadMs: 0,
      latencyMs: 0,
      bound: 'none',
      macs: 0,
      dramBytes: 0,
      spillBytes: 0,
      energyMj: 0,
    };
  }
  return runsOnNpu(profile, l.op) ? npuLayer(l, profile) : cpuLayer(l, profile);
}

export interface PredictOptions {
  /**
   * Images per inference. A batch of N multiplies MACs, vector work and activation traffic by N
   * but reads each layer's weights and pays its launch overhead once: why batching a rig's
   * cameras can beat running the model N times.
   */
  batch?: number;
}

function batched(l: LayerAnalysis, n: number): LayerAnalysis {
  return {
    ...l,
    macs: l.macs * n,
    vectorOps: l.vectorOps * n,
    inputBytes: l.inputBytes * n,
    outputBytes: l.outputBytes * n,
    activationBytes: l.activationBytes * n,
  };
}

/**
 * Predicts the whole model's cost on `profile` (layers in graph order, run sequentially). Throws
 * a RangeError if `batch` is not a positive integer.
 */
export function predictCost(analysis: ModelAnalysis, profile: HardwareProfile, opts: PredictOptions = {}): ModelCost {
  const { batch = 1 } = opts;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`predictCost: batch = ${batch}; expected a positive integer`);
  const layers = analysis.layers.map((l) => predictLayerCost(batch === 1 ? l : batched(l, batch), profile));
  const sum = (f: (c: LayerCost) => number) => layers.reduce((s, c) => s + f(c), 0);
  return {
    profile: profile.name,
    batch,
    layers,
    totalMacs: analysis.totalMacs * batch,
    gmacs: (analysis.totalMacs * batch) / 1e9,
    dramBytes: sum((c) => c.dramBytes),
    latencyMs: sum((c) => c.latencyMs),
    energyMj: sum((c) => c.energyMj),
    cpuFallbackOps: [...new Set(layers.filter((c) => c.device === 'cpu').map((c) => c.op))].sort(),
  };
}
