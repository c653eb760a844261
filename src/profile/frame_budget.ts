// The per-frame-set time budget of the whole multi-camera pipeline on a profile, against the
// period: sync, preprocessing of every camera, the detector once per camera (one NPU, run
// back to back), depth, fusion and publishing. The stage list is also what the deadline
// scheduler uses as its target-time budgets.
import type { HardwareProfile } from './hardware_profile';
import type { ModelCost } from './cost_model';

export type StageKind = 'sync' | 'preprocess' | 'detect' | 'stereo_depth' | 'learned_depth' | 'fuse' | 'publish';

export interface StageBudget {
  name: StageKind;
  ms: number;
  /** Whether the stage's cost scales with the number of cameras it runs on. */
  perCamera: boolean;
  note: string;
}

export interface FrameBudget {
  profile: string;
  cameras: number;
  rateHz: number;
  periodMs: number;
  stages: StageBudget[];
  totalMs: number;
  slackMs: number;
  fits: boolean;
  /** Fraction of the period the NPU is busy with detection. */
  npuLoad: number;
}

export interface FrameBudgetOptions {
  cameras?: number;
  rateHz?: number;
  /** Pixels of one camera's detector input tensor (H x W). */
  inputPixels: number;
  /** Whether the pipeline runs learned depth in addition to classical stereo. */
  learnedDepth?: boolean;
}

/**
 * Builds the frame budget. `detector` is either the per-image cost (batch 1: the model runs once
 * per camera) or the cost of one batch of all cameras (batch = cameras). Throws a RangeError
 * naming the option when cameras, rateHz or inputPixels is not a positive number, or when the
 * detector's batch is neither 1 nor the number of cameras.
 */
export function frameBudget(profile: HardwareProfile, detector: ModelCost, opts: FrameBudgetOptions): FrameBudget {
  const { cameras = 4, rateHz = 30, inputPixels, learnedDepth = true } = opts;
  for (const [key, v] of Object.entries({ cameras, rateHz, inputPixels })) {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`frameBudget: ${key} = ${v}; expected a positive number`);
  }
  if (detector.batch !== 1 && detector.batch !== cameras) {
    throw new RangeError(`frameBudget: detector cost is for batch ${detector.batch}; expected 1 or the ${cameras} cameras`);
  }
  const runs = detector.batch === cameras ? 1 : cameras;
  const detectMs = detector.latencyMs * runs;
  const detectNote = runs === 1 ? `1 batch of ${cameras} images, ${detector.latencyMs.toFixed(2)} ms (cost model)` : `${cameras} x ${detector.latencyMs.toFixed(2)} ms (cost model)`;
  const b = profile.stageBudgetsMs;
  const preprocessPerCamera = (inputPixels / (profile.preprocess.megapixelsPerSec.value * 1e6)) * 1e3;
  const scaler = profile.preprocess.hardwareScaler.value ? 'hardware scaler' : 'CPU';
  const stages: StageBudget[] = [
    { name: 'sync', ms: b.sync.value, perCamera: false, note: 'assumed (profile)' },
    { name: 'preprocess', ms: preprocessPerCamera * cameras, perCamera: true, note: `${cameras} x ${preprocessPerCamera.toFixed(2)} ms on ${scaler}` },
    { name: 'detect', ms: detectMs, perCamera: true, note: detectNote },
    { name: 'stereo_depth', ms: b.stereoDepth.value, perCamera: false, note: 'assumed (profile)' },
    ...(learnedDepth ? [{ name: 'learned_depth' as const, ms: b.learnedDepth.value, perCamera: false, note: 'assumed (profile)' }] : []),
    { name: 'fuse', ms: b.fuse.value, perCamera: false, note: 'assumed (profile)' },
    { name: 'publish', ms: b.publish.value, perCamera: false, note: 'assumed (profile)' },
  ];
  const periodMs = 1e3 / rateHz;
  const totalMs = stages.reduce((s, st) => s + st.ms, 0);
  return {
    profile: profile.name, cameras, rateHz, periodMs, stages, totalMs,
    slackMs: periodMs - totalMs,
    fits: totalMs <= periodMs,
    npuLoad: detectMs / periodMs,
  };
}
