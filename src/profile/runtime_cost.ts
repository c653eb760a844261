// Layer compute time on a CPU runtime standing in for the NPU (a profile with `npu.runtime`:
// onnxruntime on this host). Three things an NPU model leaves out decide a CPU runtime's time,
// found by comparing onnxruntime's per-node profile with the per-layer prediction:
// - Convolutions whose channels miss the SIMD channel block run on a plain kernel; for depthwise
//   layers that is several times slower per MAC (NanoDet-m's 58/116/232-channel stages), so a
//   layer runs at the aligned (`relativeRate`) or the unaligned (`runtime.unalignedRate`) rate.
// - An activation that is its convolution's only consumer is fused into it and costs nothing;
//   any other element-wise work (YOLOX's SiLU, pooling) runs at the measured vector rate.
// - Layout operators move data: a Transpose at the strided-copy rate, Concat/Slice/Split/Gather/
//   Pad at the contiguous-copy rate; and every executed node, Reshape included, pays a dispatch.
// - A node onnxruntime runs on the calling thread alone (views, slices, small copies and
//   element-wise ops: its per-node profile lists no thread-pool blocks for them) pays a further
//   `serialNodeUs`: meanwhile the pool's workers spin for the next parallel node, and on a
//   machine whose cores are shared that spinning takes the core the serial node needs. NanoDet's
//   heads are 86 such nodes of 188 (Reshape, Slice, small Concat), YOLOX 36 of 266, which is why a
//   contended host ran NanoDet-m at twice its summed kernel times and YOLOX at about its own.
import { npuPeakMacsPerSec, type HardwareProfile } from './hardware_profile';
import type { LayerAnalysis } from './model_analysis';

export type RuntimeTerms = NonNullable<HardwareProfile['npu']['runtime']>['value'];

const COPY_OPS = new Set(['Concat', 'Slice', 'Split', 'Gather', 'Pad', 'Tile', 'Expand']);
/** Operators onnxruntime never splits over its thread pool. */
const SERIAL_OPS = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Slice', 'Gather', 'Upsample', 'Shape', 'Identity']);
/** Operators it always splits (convolutions aside): pooling, resizing, transposes. */
const PARALLEL_OPS = new Set(['MaxPool', 'AveragePool', 'GlobalAveragePool', 'Resize', 'Transpose']);
/**
 * Output elements from which it splits a Concat/Split, and any other element-wise operator,
 * over its threads: read off its per-node profile of the shared detectors (serial Concats up to
 * 173,056 elements, parallel from 185,600; serial Adds up to 86,528, parallel Sigmoid from 128,000).
 */
const PARALLEL_COPY_ELEMENTS = 180_000;
const PARALLEL_ELEMENTWISE_ELEMENTS = 100_000;

/** Whether the runtime runs `l` on the calling thread alone (no thread-pool blocks). */
export function runsSerially(l: LayerAnalysis): boolean {
  if (l.macs > 0 || l.siluPart || PARALLEL_OPS.has(l.op)) return false;
  if (l.layoutOnly || SERIAL_OPS.has(l.op)) return true;
  return l.outputBytes < (l.op === 'Concat' || l.op === 'Split' ? PARALLEL_COPY_ELEMENTS : PARALLEL_ELEMENTWISE_ELEMENTS);
}

/**
 * Whether a convolution suits the blocked kernels of a runtime with channel block `block`: a
 * depthwise layer's channels are a multiple of it; any other layer's output channels are, and its
 * input channels too unless fewer than one block (a stem reading the image as NCHW).
 */
export function blockAligned(l: LayerAnalysis, block: number): boolean {
  const c = l.channels;
  if (!c) return true;
  if (l.macKind === 'depthwise') return c.in % block === 0;
  return c.out % block === 0 && (c.in % block === 0 || c.in < block);
}

/** MAC rate of `l` relative to the dense probe on the runtime. */
function relativeMacRate(l: LayerAnalysis, p: HardwareProfile, r: RuntimeTerms): number {
  const kind = l.macKind ?? 'dense';
  if (kind === 'dense') return 1;
  if (!blockAligned(l, r.channelBlock)) return r.unalignedRate[kind];
  return p.npu.relativeRate?.value[kind] ?? 1;
}

/** Compute time of layer `l` on the runtime, ms (dispatch excluded). */
export function runtimeComputeMs(l: LayerAnalysis, p: HardwareProfile, r: RuntimeTerms): number {
  if (l.fusedActivation || l.layoutOnly) return 0;
  const vectorMs = (l.vectorOps / r.vectorOpsPerSec) * 1e3;
  if (l.macs > 0) return (l.macs / relativeMacRate(l, p, r) / (npuPeakMacsPerSec(p) * p.npu.utilization.value)) * 1e3 + vectorMs;
  const transposeRate = p.npu.transposeElementsPerSec?.value;
  if (l.op === 'Transpose' && transposeRate) return (l.outputBytes / transposeRate) * 1e3;
  if (COPY_OPS.has(l.op)) return (l.outputBytes / r.copyElementsPerSec) * 1e3;
  return vectorMs;
}

/**
 * Dispatch overhead of `l` on the runtime, ms: every executed node, plus the serial-node term for
 * one the runtime runs on the calling thread alone; a fused activation is none.
 */
export function runtimeOverheadMs(l: LayerAnalysis, r: RuntimeTerms): number {
  if (l.fusedActivation) return 0;
  return (r.perNodeUs + (runsSerially(l) ? r.serialNodeUs : 0)) / 1e3;
}
