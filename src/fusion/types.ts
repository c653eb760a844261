// Shapes that flow into and out of the fusion stage. The depth, inference and geometry modules
// fill the inputs (CameraView, obstacle points, ground plane); the pipeline and the ROS shell
// consume the outputs (FusedObject, TrackSnapshot, FusionOutput).
//
// Frames: everything 3D is in base_link (REP-103: x forward, y left, z up) unless a field says
// otherwise; tracks are in the tracking frame (base_link, or odom when odometry is given).
import type { mat4 } from 'gl-matrix';
import type { Pinhole } from '../geometry/pinhole';
import type { Detection } from '../inference/detection';
import type { Nanos } from '../msgs/time';
import type { Detection3DArray, LaserScan, MarkerArray, PointCloud2, TrackedObjectArray } from '../msgs/types';

/**
 * One 2D detection in a camera's original (distortion-free) pixel coordinates: the detector's
 * own output type. className is the lowercase COCO-style name ("person", "car", "dining table").
 */
export type Detection2DBox = Detection;

/**
 * How noisy a depth image is. Stereo: sigma_z = z^2 / (f*B) * sigma_d (f*B in pixel-metres,
 * sigma_d in pixels). Relative: sigma_z = fraction * z (learned mono depth with recovered scale).
 */
export type DepthNoiseModel = { kind: 'stereo'; focalBaseline: number; disparityStd: number } | { kind: 'relative'; fraction: number };

/** One camera's contribution to a frame set. */
export interface CameraView {
  camera: string;
  intrinsics: Pinhole;
  /** Camera optical frame (z forward, x right, y down) -> base_link; gl-matrix column-major. */
  baseFromCamera: mat4;
  /** Depth along the optical axis in metres, row-major width*height; NaN, 0 or negative = invalid. */
  depth?: Float32Array;
  /** Depth noise; when absent the lifting options' default relative noise is assumed. */
  depthNoise?: DepthNoiseModel;
  detections: Detection2DBox[];
}

/** Ground plane in base_link: normal . p + d = height of p above ground (normal unit, pointing up). */
export interface GroundPlane {
  normal: [number, number, number];
  d: number;
}

/** Where an object's range came from: the depth image, or the class's size prior (no depth). */
export type RangeSource = 'depth' | 'size_prior' | 'cluster';

/** A 3D object in one frame: a lifted detection, a merge of several, or an obstacle cluster. */
export interface FusedObject {
  /** Box centre [x, y, z] in the object's frame (base_link, or the tracking frame for tracker input). */
  position: [number, number, number];
  /** 3x3 row-major position covariance, m^2. */
  covariance: Float64Array;
  /** Box extent [length along yaw, width across, height], metres. */
  size: [number, number, number];
  /** Box heading about z, radians. */
  yaw: number;
  className: string;
  /** Detector class index, or -1 for obstacle clusters. */
  classId: number;
  score: number;
  /** Cameras whose detections or depth support this object. */
  cameras: string[];
  rangeSource: RangeSource;
  /** Id of the track this object updated or started in this frame set; set by FusionStage. */
  trackId?: number;
}

/** Track life cycle, numerically equal to dx_perception/TrackedObject STATE_* constants. */
export type TrackStateCode = 0 | 1 | 2;

/** A track's public state after one tracker update. */
export interface TrackSnapshot {
  id: number;
  state: TrackStateCode;
  className: string;
  classId: number;
  score: number;
  position: [number, number, number];
  velocity: [number, number, number];
  /** 3x3 row-major covariances, taken from the filter's 6x6 covariance. */
  positionCovariance: Float64Array;
  velocityCovariance: Float64Array;
  size: [number, number, number];
  yaw: number;
  /** Seconds since birth. */
  age: number;
  hits: number;
  /** Consecutive frame sets without a measurement. */
  misses: number;
  /** Cameras that supported the last associated measurement. */
  cameras: string[];
}

/** Everything one FusionStage.update produces, messages included, all with the frame set's stamp. */
export interface FusionOutput {
  stamp: Nanos;
  /** Fused per-frame objects (detections lifted and merged), in base_link. */
  objects: FusedObject[];
  /** Class-agnostic obstacle clusters that were passed to the tracker, in base_link. */
  obstacles: FusedObject[];
  tracks: TrackSnapshot[];
  /** base_link or odom. */
  trackingFrame: string;
  scan: LaserScan;
  cloud: PointCloud2;
  detections3d: Detection3DArray;
  trackedObjects: TrackedObjectArray;
  markers: MarkerArray;
}
