// What every source (ROS topics, a bag, the synthetic scene) produces, and what the
// synchroniser hands to the scheduler. Sensor stamps, never arrival times, drive everything.
import type { CameraInfo, CompressedImage, Image } from '../msgs/types';
import type { Nanos } from '../msgs/time';

/** One camera's image at one instant, with the CameraInfo that applies to it. */
export interface Frame {
  /** Camera name from the configured rig (e.g. "front_left"), not a topic. */
  camera: string;
  /** Sensor stamp of the image (header.stamp), integer nanoseconds. */
  stamp: Nanos;
  image: Image | CompressedImage;
  /** Latched or per-frame CameraInfo; undefined only before the first one arrived. */
  info: CameraInfo | undefined;
}

/** Frames of several cameras taken at (approximately) the same instant. */
export interface FrameSet {
  /** Monotonic sequence number assigned by the synchroniser. */
  seq: number;
  /** Reference stamp of the set: the latest stamp among its frames (deadlines count from it). */
  stamp: Nanos;
  views: Frame[];
  /** Cameras of the rig absent from this set (dropout degradation); empty when complete. */
  missing: string[];
}
