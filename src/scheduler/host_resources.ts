// Host time: where each stage runs in this process, for the pipelined executor's predictions.
// The stereo matcher's workers and the detector's onnxruntime worker are resources of their own;
// everything else (decoding, learned depth's scale fit, fusion, publishing, per-set
// coordination) runs on the main thread, one chunk at a time. Successive sets overlap across
// these, so a set's predicted finish is where its last stage ends on their timeline.
import type { DegradationPlan } from './degradation';
import type { TimedStage } from './resource_timeline';

export const MAIN_THREAD = 'main_thread';

const WORKER_STAGES: Readonly<Record<string, string>> = { stereo_depth: 'stereo_workers', detect: 'detector' };

/** The order the pipeline runs its stages in (src/core/stages.ts's; 'sync', booked per set, counted first). */
export const HOST_RUN_ORDER = ['sync', 'preprocess', 'detect', 'stereo_depth', 'learned_depth', 'fuse', 'publish'];

const rank = (stage: string) => {
  const i = HOST_RUN_ORDER.indexOf(stage);
  return i < 0 ? HOST_RUN_ORDER.length : i;
};

/** The resource of this host that `stage` runs on. */
export const hostResourceOf = (stage: string): string => WORKER_STAGES[stage] ?? MAIN_THREAD;

/** `plan`'s stages on this host's resources, in the order they run, with the plan's budgets. */
export function hostTimed(plan: DegradationPlan): TimedStage[] {
  return plan.stages
    .map((stage, i) => ({ stage, ms: plan.timed[i].ms }))
    .sort((a, b) => rank(a.stage) - rank(b.stage))
    .map(({ stage, ms }) => ({ resource: hostResourceOf(stage), units: 1, ms }));
}

/** The stage times a set measured (StageTimings) on this host's resources. */
export function hostUse(timings: Readonly<Record<string, number>>): TimedStage[] {
  return Object.entries(timings).map(([stage, ms]) => ({ resource: hostResourceOf(stage), units: 1, ms }));
}
