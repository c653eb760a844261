// The frame synchroniser's options, checked once, and the vocabulary of what it reports: why an
// image never made it into a set, and the counters a caller (diagnostics, replay summary) reads.
//
// syncSettingsSchema owns the tunable options' ranges and defaults, in milliseconds as users
// write them; the configuration's sync.* keys are its fields, and resolveSyncOptions fills what
// a caller leaves unset from the same defaults, so the node and this module's tests agree.
import { z } from 'zod';
import type { Nanos } from '../msgs/time';
import type { PolicyDropReason } from './sync_policy';

export const syncSettingsSchema = z.object({
  policy: z.enum(['approximate', 'exact']).default('approximate'),
  queueSize: z.number().int().min(1).max(100).default(10),
  /** Largest stamp spread inside one set; 0 = unlimited. */
  maxIntervalMs: z.number().min(0).max(1000).default(25),
  agePenalty: z.number().min(0).max(100).default(1),
  cameraInfo: z.enum(['latched', 'per_frame']).default('latched'),
  dropoutMode: z.enum(['wait', 'degrade']).default('degrade'),
  dropoutTimeoutMs: z.number().min(1).max(60000).default(250),
  /** At most the rig's camera count (a smaller rig uses all its cameras). */
  minCameras: z.number().int().min(1).max(8).default(2),
  timeJumpMs: z.number().min(10).max(60000).default(1000),
});

const DEFAULTS = syncSettingsSchema.parse({});
const msToNs = (ms: number): Nanos => BigInt(Math.round(ms * 1e6));

export interface DropoutOptions {
  /** wait: emit nothing while a camera is silent; degrade: sync the cameras that remain. */
  mode: 'wait' | 'degrade';
  /** A camera is silent when nothing came from it for this long (caller's clock: sensor/sim time). */
  timeoutNs: Nanos;
  /** Degraded sets need at least this many cameras; fewer means waiting. */
  minCameras: number;
}

export interface FrameSynchronizerOptions {
  /** Rig cameras, in the order of FrameSet.views. */
  cameras: string[];
  policy?: 'approximate' | 'exact';
  /** Per camera: images held by the policy (and CameraInfos awaiting their image, per_frame). */
  queueSize?: number;
  /** Largest stamp spread inside one set; 0n = unlimited. */
  maxIntervalNs?: Nanos;
  /** ApproximateTime age penalty (message_filters' own default is 0.1). */
  agePenalty?: number;
  /** Per camera: the least time between two of its frames (helps ApproximateTime emit sooner). */
  interMessageLowerBoundNs?: Record<string, Nanos>;
  /** latched: the latest CameraInfo applies; per_frame: each image needs the info of its stamp. */
  cameraInfo?: 'latched' | 'per_frame';
  dropout?: Partial<DropoutOptions>;
  /** A stamp this far from the newest one seen is a time jump or a broken camera clock, not jitter. */
  timeJumpThresholdNs?: Nanos;
}

/**
 * Why an image never made it into a FrameSet. Policy reasons plus the synchroniser's own:
 * clock_offset, its camera's stamps are off the other cameras' time (a broken camera clock);
 * stamp_in_future, a single image stamped ahead of its camera's next ones; size_mismatch, an
 * image whose size is not the one its CameraInfo describes.
 */
export type FrameDropReason =
  | PolicyDropReason
  | 'invalid_stamp'
  | 'unknown_camera'
  | 'no_camera_info'
  | 'out_of_order'
  | 'time_jump'
  | 'stale_after_reset'
  | 'camera_dropout'
  | 'clock_offset'
  | 'stamp_in_future'
  | 'size_mismatch';

export interface FrameDrop {
  camera: string;
  stamp: Nanos;
  reason: string;
}

export interface FrameSyncStats {
  /** heldForInfo: images that came before their camera's first CameraInfo and waited for it. */
  perCamera: Record<string, { received: number; heldForInfo: number; dropped: Record<string, number> }>;
  sets: number;
  degradedSets: number;
  /** Times sync restarted on a new time (a jump backwards or forwards of the whole rig). */
  resets: number;
  /** Messages for cameras not in the rig (not keyed by name, so junk names cannot grow memory). */
  unknownCameraMessages: number;
}

/** maxIntervalNs undefined: unlimited. */
export type ResolvedSyncOptions = Required<Omit<FrameSynchronizerOptions, 'maxIntervalNs' | 'dropout'>> & {
  maxIntervalNs: Nanos | undefined;
  dropout: DropoutOptions;
};

/** Defaults filled in (syncSettingsSchema's); throws RangeError naming the option when the options are inconsistent. */
export function resolveSyncOptions(options: FrameSynchronizerOptions): ResolvedSyncOptions {
  const maxIntervalNs = options.maxIntervalNs ?? msToNs(DEFAULTS.maxIntervalMs);
  const o: ResolvedSyncOptions = {
    policy: DEFAULTS.policy,
    queueSize: DEFAULTS.queueSize,
    agePenalty: DEFAULTS.agePenalty,
    interMessageLowerBoundNs: {},
    cameraInfo: DEFAULTS.cameraInfo,
    timeJumpThresholdNs: msToNs(DEFAULTS.timeJumpMs),
    // An option given as undefined keeps its default.
    ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as FrameSynchronizerOptions),
    maxIntervalNs: maxIntervalNs === 0n ? undefined : maxIntervalNs,
    dropout: {
      mode: DEFAULTS.dropoutMode,
      timeoutNs: msToNs(DEFAULTS.dropoutTimeoutMs),
      minCameras: Math.min(DEFAULTS.minCameras, options.cameras.length),
      ...options.dropout,
    },
  };
  const { cameras, dropout } = o;
  if (cameras.length < 1 || cameras.length > 8 || new Set(cameras).size !== cameras.length) {
    throw new RangeError(`FrameSynchronizer: cameras = [${cameras.join(', ')}]; expected 1..8 distinct names`);
  }
  for (const name of Object.keys(o.interMessageLowerBoundNs)) {
    if (!cameras.includes(name)) {
      throw new RangeError(`FrameSynchronizer: interMessageLowerBoundNs names camera "${name}", which is not in cameras`);
    }
  }
  if (dropout.timeoutNs <= 0n) throw new RangeError(`FrameSynchronizer: dropout.timeoutNs = ${dropout.timeoutNs}; expected > 0`);
  if (!Number.isInteger(dropout.minCameras) || dropout.minCameras < 1 || dropout.minCameras > cameras.length) {
    throw new RangeError(`FrameSynchronizer: dropout.minCameras = ${dropout.minCameras}; expected an integer in [1, ${cameras.length}]`);
  }
  if (o.timeJumpThresholdNs <= 0n) {
    throw new RangeError(`FrameSynchronizer: timeJumpThresholdNs = ${o.timeJumpThresholdNs}; expected > 0`);
  }
  return o;
}
