// The contract between a message source (the ROS node, the bag replay) and the core. A source
// pushes raw messages in and receives results; it never sees the stages, the synchroniser or
// the scheduler behind it.
import type { CameraInfo, CompressedImage, Image, TFMessage } from '../msgs/types';
import type { Nanos } from '../msgs/time';
import type { PerceptionConfig } from '../config/config_schema';
import type { PipelineResult } from './result';

/** Inputs dropped so far for one camera and one reason (a FrameDropReason: a fixed set). */
export interface InputDropCount {
  camera: string;
  reason: string;
  count: number;
}

export interface PerceptionRunner {
  /** An image of camera `camera` (a name from config.cameras). Never throws on bad input:
   * problems are reported through onWarning and counted. */
  handleImage(camera: string, msg: Image | CompressedImage): void;
  handleCameraInfo(camera: string, msg: CameraInfo): void;
  handleTf(msg: TFMessage, isStatic: boolean): void;
  /** Advances the source clock (ROS time, sim time or bag time): drives dropout timeouts. */
  tick(now: Nanos): void;
  onResult(cb: (result: PipelineResult) => void): void;
  onWarning(cb: (message: string) => void): void;
  /**
   * Takes a configuration that differs from the running one in live keys only (config_changes.ts:
   * thresholds, sync slop, the deadline): models, workers and tracks carry over. Throws, naming
   * the keys, when one of them needs a restart (a new runner).
   */
  retune(config: PerceptionConfig): void;
  /** Images the synchroniser dropped so far, by camera and reason (for the shutdown summary). */
  inputDrops(): InputDropCount[];
  /** Finishes frame sets in flight, then releases models and workers. */
  close(): Promise<void>;
}
