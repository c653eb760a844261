// The messages dx_perception reads from cameras and TF, and the images, clouds, scans and
// disparities it publishes from them: tf2_msgs, rosgraph_msgs, sensor_msgs, stereo_msgs.
import type { Float64s, Float32s, Bytes, Time, Header, TransformStamped } from './common_types';

// tf2_msgs, rosgraph_msgs
export interface TFMessage {
  transforms: TransformStamped[];
}
export interface Clock {
  clock: Time;
}

// sensor_msgs
export interface Image {
  header: Header;
  height: number;
  width: number;
  encoding: string;
  is_bigendian: number;
  step: number;
  data: Bytes;
}
export interface CompressedImage {
  header: Header;
  format: string;
  data: Bytes;
}
export interface RegionOfInterest {
  x_offset: number;
  y_offset: number;
  height: number;
  width: number;
  do_rectify: boolean;
}
export interface CameraInfo {
  header: Header;
  height: number;
  width: number;
  distortion_model: string;
  d: Float64s;
  /** 3x3 row-major intrinsics. */
  k: Float64s;
  /** 3x3 row-major rectification rotation. */
  r: Float64s;
  /** 3x4 row-major projection. */
  p: Float64s;
  binning_x: number;
  binning_y: number;
  roi: RegionOfInterest;
}
export const PointFieldType = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  FLOAT32: 7,
  FLOAT64: 8,
} as const;
export interface PointField {
  name: string;
  offset: number;
  datatype: number;
  count: number;
}
export interface PointCloud2 {
  header: Header;
  height: number;
  width: number;
  fields: PointField[];
  is_bigendian: boolean;
  point_step: number;
  row_step: number;
  data: Bytes;
  is_dense: boolean;
}
export interface LaserScan {
  header: Header;
  angle_min: number;
  angle_max: number;
  angle_increment: number;
  time_increment: number;
  scan_time: number;
  range_min: number;
  range_max: number;
  ranges: Float32s;
  intensities: Float32s;
}

// stereo_msgs
export interface DisparityImage {
  header: Header;
  image: Image;
  f: number;
  t: number;
  valid_window: RegionOfInterest;
  min_disparity: number;
  max_disparity: number;
  delta_d: number;
}
