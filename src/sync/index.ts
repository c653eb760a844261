// Public surface of the synchronisation module.
export type { Frame, FrameSet } from './frame';
export type { PolicyCallbacks, PolicyDropReason, Stamped, SyncPolicy } from './sync_policy';
export { ApproximateTimePolicy, type ApproximateTimeOptions } from './approximate_time';
export { ExactTimePolicy, type ExactTimeOptions } from './exact_time';
export {
  FrameSynchronizer,
  type DropoutOptions,
  type FrameDrop,
  type FrameDropReason,
  type FrameSynchronizerOptions,
  type FrameSyncStats,
} from './frame_synchronizer';
