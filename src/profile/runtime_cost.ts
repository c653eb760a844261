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
import { npuPeakMacsPerSec, type HardwareProfile } from './hardware_profile';
import type { LayerAnalysis } from './model_analysis';

export type RuntimeTerms = NonNullable<HardwareProfile['npu']['runtime']>['value'];

const COPY_OPS = new Set(['Concat', 'Slice', 'Split', 'Gather', 'Pad', 'Tile', 'Expand']);

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

/** Dispatch overhead of `l` on the runtime, ms: every executed node; a fused activation is none. */
export function runtimeOverheadMs(l: LayerAnalysis, r: RuntimeTerms): number {
  return l.fusedActivation ? 0 : r.perNodeUs / 1e3;
}
