// The per-frame-set time budget of the whole multi-camera pipeline on a profile, against the
// period, with every stage costed from its work: preprocessing from pixels at the scaler's rate,
// the detector and learned depth from the ONNX cost model, stereo from its cost volume
// (stereo_cost.ts), fusion from counted points and objects, publishing from counted bytes and
// messages. What is still an assumption (sync; learned depth without a model) says so, with
// the profile's stated reasoning. The stage list is also what the deadline scheduler uses as its
// target-time budgets, and each stage names the resource it occupies so the plan shows each
// resource's load.
import type { HardwareProfile } from './hardware_profile';
import type { ModelCost } from './cost_model';
import { DEFAULT_MATCHER_RESOLUTION, predictMatcherCost, type MatcherResolution, type StereoWork } from './stereo_cost';

export type StageKind = 'sync' | 'preprocess' | 'detect' | 'stereo_depth' | 'learned_depth' | 'fuse' | 'publish';
/** accelerator: the profile's `npu` section (an NPU, or onnxruntime's worker on a host). */
export type ResourceKind = 'accelerator' | 'cpu' | 'scaler';

export interface StageBudget {
  name: StageKind;
  ms: number;
  /** Whether the stage's cost scales with the number of cameras it runs on. */
  perCamera: boolean;
  /** What the stage occupies, and how many CPU cores while it runs (1 for other resources). */
  resource: ResourceKind;
  cores: number;
  /** How the stage was costed: the work and rates, or "assumed (profile): <reason>". */
  note: string;
}

export interface ResourceLoad {
  resource: ResourceKind;
  label: string;
  /** Busy time per frame set (core-ms / cores for the CPU), ms. */
  busyMs: number;
  /** busyMs / period: above 1 the resource cannot keep up even when frame sets overlap. */
  load: number;
}

export interface FrameBudget {
  profile: string;
  cameras: number;
  rateHz: number;
  periodMs: number;
  stages: StageBudget[];
  totalMs: number;
  slackMs: number;
  /** Stages run back to back within one period (the conservative, unpipelined check). */
  fits: boolean;
  resources: ResourceLoad[];
}

export interface FrameBudgetOptions {
  cameras?: number;
  rateHz?: number;
  /** Pixels of one camera's detector input tensor (H x W); required with a detector. */
  inputPixels?: number;
  /** Whether the pipeline runs learned depth in addition to classical stereo. */
  learnedDepth?: boolean;
  /** Cost of the learned-depth model (cost model); without it the profile's assumption is used. */
  learnedDepthCost?: ModelCost;
  /** Size of each stereo pair's cost volume (default 640x480, 64 disparities). */
  stereo?: StereoWork;
  /**
   * How the pairs are matched (default: the matcher's own default resolution, so the budget costs
   * the matcher the pipeline runs unless depth.stereo_resolution says otherwise).
   */
  stereoResolution?: MatcherResolution;
  /** Rectified pairs matched per frame set (default 1, the pipeline's default stereo_pairs). */
  stereoPairs?: number;
  /** Pixel stride from depth to points (default 2, the pipeline's depth.point_stride). */
  pointStride?: number;
  /** Detections per camera that reach fusion (default 20). */
  objectsPerCamera?: number;
}

export const DEFAULT_STEREO: StereoWork = { width: 640, height: 480, disparities: 64 };
/** PointCloud2 with x, y, z, padding as float32. */
const BYTES_PER_POINT = 16;
/** Topics published once per frame set besides per-camera detections: objects, tracks, cloud, scan. */
const PER_SET_MESSAGES = 4;

/** Label of the profile's accelerator: an NPU, or the inference worker where it is the CPU. */
export function acceleratorLabel(profile: HardwareProfile): string {
  return profile.npu.executesOn?.value === 'cpu' ? 'inference worker (CPU)' : 'NPU';
}

interface Sourced {
  value: unknown;
  source?: string;
  assumption?: string;
}

function assumed(v: Sourced): string {
  return v.assumption ? `assumed (profile): ${v.assumption}` : `profile: ${v.source ?? ''}`;
}

/** "assumed" when any of the per-unit figures a stage multiplies is an assumption, else "sourced". */
function provenance(...values: Sourced[]): string {
  return values.some((v) => v.source === undefined) ? 'per-unit figures assumed (profile)' : 'per-unit figures sourced (profile)';
}

function positive(values: Record<string, number | undefined>): void {
  for (const [key, v] of Object.entries(values)) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new RangeError(`frameBudget: ${key} = ${v}; expected a positive number`);
  }
}

function detectStages(profile: HardwareProfile, detector: ModelCost, cameras: number, inputPixels: number | undefined): StageBudget[] {
  if (inputPixels === undefined) throw new RangeError('frameBudget: inputPixels is required with a detector');
  if (detector.batch !== 1 && detector.batch !== cameras) {
    throw new RangeError(`frameBudget: detector cost is for batch ${detector.batch}; expected 1 or the ${cameras} cameras`);
  }
  const runs = detector.batch === cameras ? 1 : cameras;
  const scaler = profile.preprocess.hardwareScaler.value;
  const preprocessPerCamera = (inputPixels / (profile.preprocess.megapixelsPerSec.value * 1e6)) * 1e3;
  const acc = acceleratorLabel(profile);
  return [
    {
      name: 'preprocess',
      ms: preprocessPerCamera * cameras,
      perCamera: true,
      resource: scaler ? 'scaler' : 'cpu',
      cores: 1,
      note: `${cameras} x ${inputPixels} px at ${profile.preprocess.megapixelsPerSec.value} MP/s on ${scaler ? 'hardware scaler' : 'CPU'}`,
    },
    {
      name: 'detect',
      ms: detector.latencyMs * runs,
      perCamera: true,
      resource: 'accelerator',
      cores: 1,
      note:
        runs === 1
          ? `1 batch of ${cameras} images, ${detector.latencyMs.toFixed(2)} ms on ${acc} (ONNX cost model)`
          : `${cameras} x ${detector.latencyMs.toFixed(2)} ms on ${acc} (ONNX cost model)`,
    },
  ];
}

/**
 * Builds the frame budget. `detector` is either the per-image cost (batch 1: the model runs once
 * per camera), the cost of one batch of all cameras (batch = cameras), or undefined when the
 * pipeline runs without detection. Throws a RangeError naming the option when a count or size is
 * not positive, or when the detector's batch is neither 1 nor the number of cameras.
 */
export function frameBudget(profile: HardwareProfile, detector: ModelCost | undefined, opts: FrameBudgetOptions): FrameBudget {
  const {
    cameras = 4,
    rateHz = 30,
    inputPixels,
    learnedDepth = true,
    learnedDepthCost,
    stereo = DEFAULT_STEREO,
    stereoResolution = DEFAULT_MATCHER_RESOLUTION,
    stereoPairs = 1,
    pointStride = 2,
    objectsPerCamera = 20,
  } = opts;
  positive({ cameras, rateHz, inputPixels, stereoPairs, pointStride, objectsPerCamera });
  const w = profile.stageWork;
  const cpu = profile.cpu;
  const st = predictMatcherCost(stereo, profile, stereoResolution);
  const points = stereoPairs * Math.ceil(stereo.width / pointStride) * Math.ceil(stereo.height / pointStride);
  const objects = cameras * objectsPerCamera;
  const fuseOps = points * w.fuseOpsPerPoint.value + objects * w.fuseOpsPerObject.value;
  const fuseMs = (fuseOps / (cpu.gflopsPerCore.value * 1e9)) * 1e3;
  const bytes = points * BYTES_PER_POINT + objects * w.publishBytesPerObject.value;
  const messages = cameras + PER_SET_MESSAGES;
  const dramBytesPerMs = profile.dram.bandwidthGBs.value * profile.dram.efficiency.value * 1e6;
  const publishMs = (bytes * w.publishCopies.value) / dramBytesPerMs + (messages * w.publishPerMessageUs.value) / 1e3;
  const acc = acceleratorLabel(profile);
  const learned: StageBudget[] = !learnedDepth
    ? []
    : learnedDepthCost
      ? [
          {
            name: 'learned_depth',
            ms: learnedDepthCost.latencyMs,
            perCamera: false,
            resource: 'accelerator',
            cores: 1,
            note: `${learnedDepthCost.gmacs.toFixed(3)} GMACs on ${acc} (ONNX cost model)`,
          },
        ]
      : [
          {
            name: 'learned_depth',
            ms: profile.stageBudgetsMs.learnedDepth.value,
            perCamera: false,
            resource: 'accelerator',
            cores: 1,
            note: assumed(profile.stageBudgetsMs.learnedDepth),
          },
        ];
  const stages: StageBudget[] = [
    {
      name: 'sync',
      ms: profile.stageBudgetsMs.sync.value,
      perCamera: false,
      resource: 'cpu',
      cores: 1,
      note: assumed(profile.stageBudgetsMs.sync),
    },
    ...(detector ? detectStages(profile, detector, cameras, inputPixels) : []),
    {
      name: 'stereo_depth',
      ms: st.ms * stereoPairs,
      perCamera: false,
      resource: st.device === 'npu' ? 'accelerator' : 'cpu',
      cores: st.device === 'npu' ? 1 : cpu.cores.value,
      note: `${stereoPairs} pair(s), ${st.note}; ${provenance(profile.stereo.achievedFraction, profile.stereo.pixelFraction, profile.stereo.perPairOverheadUs, cpu.clockGHz)}`,
    },
    ...learned,
    {
      name: 'fuse',
      ms: fuseMs,
      perCamera: false,
      resource: 'cpu',
      cores: 1,
      note: `${points} points x ${w.fuseOpsPerPoint.value} + ${objects} objects x ${w.fuseOpsPerObject.value} ops on 1 core at ${cpu.gflopsPerCore.value} GFLOP/s; ${provenance(w.fuseOpsPerPoint, w.fuseOpsPerObject, cpu.gflopsPerCore)}`,
    },
    {
      name: 'publish',
      ms: publishMs,
      perCamera: false,
      resource: 'cpu',
      cores: 1,
      note: `${(bytes / 1e6).toFixed(2)} MB x ${w.publishCopies.value} copies over DRAM + ${messages} messages x ${w.publishPerMessageUs.value} us; ${provenance(w.publishBytesPerObject, w.publishCopies, w.publishPerMessageUs)}`,
    },
  ];
  const periodMs = 1e3 / rateHz;
  const totalMs = stages.reduce((s, x) => s + x.ms, 0);
  const labels: Record<ResourceKind, string> = {
    accelerator: acc,
    cpu: `CPU (${cpu.cores.value} cores)`,
    scaler: 'scaler',
  };
  const kinds: ResourceKind[] = ['accelerator', 'cpu', ...(profile.preprocess.hardwareScaler.value ? ['scaler' as const] : [])];
  const resources = kinds.map((resource) => {
    const on = stages.filter((s) => s.resource === resource);
    const busyMs = resource === 'cpu' ? on.reduce((s, x) => s + x.ms * x.cores, 0) / cpu.cores.value : on.reduce((s, x) => s + x.ms, 0);
    return { resource, label: labels[resource], busyMs, load: busyMs / periodMs };
  });
  return {
    profile: profile.name,
    cameras,
    rateHz,
    periodMs,
    stages,
    totalMs,
    slackMs: periodMs - totalMs,
    fits: totalMs <= periodMs,
    resources,
  };
}
