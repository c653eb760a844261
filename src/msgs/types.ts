// TypeScript shapes of the ROS 2 messages dx_perception uses, with ROS field names, so one value
// goes unchanged to rclnodejs, to the CDR codec and to the bag writer.
//
// Primitive arrays accept plain arrays or typed arrays: the CDR reader yields typed arrays
// (Float64Array for float64[], Uint8Array for uint8[]), while code that builds messages often
// writes plain arrays. Fixed-size arrays (CameraInfo.k, covariances) are typed by their length
// only in comments, as the ROS IDL does.

export type Float64s = Float64Array | number[];
export type Float32s = Float32Array | number[];
export type Bytes = Uint8Array;

// builtin_interfaces
export interface Time {
  sec: number;
  nanosec: number;
}
export interface Duration {
  sec: number;
  nanosec: number;
}

// std_msgs
export interface Header {
  stamp: Time;
  frame_id: string;
}
export interface ColorRGBA {
  r: number;
  g: number;
  b: number;
  a: number;
}
export interface StdString {
  data: string;
}

// geometry_msgs
export interface Vector3 {
  x: number;
  y: number;
  z: number;
}
export interface Point {
  x: number;
  y: number;
  z: number;
}
export interface Quaternion {
  x: number;
  y: number;
  z: number;
  w: number;
}
export interface Pose {
  position: Point;
  orientation: Quaternion;
}
export interface Pose2D {
  x: number;
  y: number;
  theta: number;
}
/** covariance: 36 values, row-major (x, y, z, rot x, rot y, rot z). */
export interface PoseWithCovariance {
  pose: Pose;
  covariance: Float64s;
}
export interface Transform {
  translation: Vector3;
  rotation: Quaternion;
}
export interface TransformStamped {
  header: Header;
  child_frame_id: string;
  transform: Transform;
}
export interface Twist {
  linear: Vector3;
  angular: Vector3;
}
/** covariance: 36 values, row-major. */
export interface TwistWithCovariance {
  twist: Twist;
  covariance: Float64s;
}

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

// vision_msgs (4.x, as in Jazzy)
export interface Point2D {
  x: number;
  y: number;
}
export interface Pose2DVision {
  position: Point2D;
  theta: number;
}
export interface BoundingBox2D {
  center: Pose2DVision;
  size_x: number;
  size_y: number;
}
export interface BoundingBox3D {
  center: Pose;
  size: Vector3;
}
export interface ObjectHypothesis {
  class_id: string;
  score: number;
}
export interface ObjectHypothesisWithPose {
  hypothesis: ObjectHypothesis;
  pose: PoseWithCovariance;
}
export interface Detection2D {
  header: Header;
  results: ObjectHypothesisWithPose[];
  bbox: BoundingBox2D;
  id: string;
}
export interface Detection2DArray {
  header: Header;
  detections: Detection2D[];
}
export interface Detection3D {
  header: Header;
  results: ObjectHypothesisWithPose[];
  bbox: BoundingBox3D;
  id: string;
}
export interface Detection3DArray {
  header: Header;
  detections: Detection3D[];
}

// visualization_msgs
export const MarkerType = {
  ARROW: 0,
  CUBE: 1,
  SPHERE: 2,
  CYLINDER: 3,
  LINE_STRIP: 4,
  LINE_LIST: 5,
  CUBE_LIST: 6,
  SPHERE_LIST: 7,
  POINTS: 8,
  TEXT_VIEW_FACING: 9,
  MESH_RESOURCE: 10,
  TRIANGLE_LIST: 11,
} as const;
export const MarkerAction = { ADD: 0, MODIFY: 0, DELETE: 2, DELETEALL: 3 } as const;
export interface UVCoordinate {
  u: number;
  v: number;
}
export interface MeshFile {
  filename: string;
  data: Bytes;
}
export interface Marker {
  header: Header;
  ns: string;
  id: number;
  type: number;
  action: number;
  pose: Pose;
  scale: Vector3;
  color: ColorRGBA;
  lifetime: Duration;
  frame_locked: boolean;
  points: Point[];
  colors: ColorRGBA[];
  texture_resource: string;
  texture: CompressedImage;
  uv_coordinates: UVCoordinate[];
  text: string;
  mesh_resource: string;
  mesh_file: MeshFile;
  mesh_use_embedded_materials: boolean;
}
export interface MarkerArray {
  markers: Marker[];
}

// diagnostic_msgs
export const DiagnosticLevel = { OK: 0, WARN: 1, ERROR: 2, STALE: 3 } as const;
export interface KeyValue {
  key: string;
  value: string;
}
export interface DiagnosticStatus {
  level: number;
  name: string;
  message: string;
  hardware_id: string;
  values: KeyValue[];
}
export interface DiagnosticArray {
  header: Header;
  status: DiagnosticStatus[];
}

// dx_perception's own messages (msg/*.msg). The codec reads the .msg files themselves; these
// shapes mirror them and test/msgs checks that every field here exists there and vice versa.
export const TrackState = { TENTATIVE: 0, CONFIRMED: 1, COASTING: 2 } as const;
export interface TrackedObject {
  header: Header;
  id: number;
  class_id: string;
  score: number;
  state: number;
  pose: PoseWithCovariance;
  size: Vector3;
  velocity: TwistWithCovariance;
  age: number;
  hits: number;
  source_cameras: string[];
}
export interface TrackedObjectArray {
  header: Header;
  objects: TrackedObject[];
}
export interface StageTiming {
  name: string;
  budget_ms: number;
  predicted_ms: number;
  measured_ms: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
}
export interface ShedCount {
  reason: string;
  count: bigint;
}
export interface PipelineStatus {
  header: Header;
  time_mode: string;
  period_ms: number;
  deadline_ms: number;
  frame_sets_received: bigint;
  frame_sets_completed: bigint;
  deadline_misses: bigint;
  shed_total: bigint;
  shed: ShedCount[];
  degradation_level: string;
  stages: StageTiming[];
  predicted_total_ms: number;
  measured_total_ms: number;
  latency_ms: number;
  active_cameras: string[];
  dropped_messages: bigint;
  depth_age_ms: number;
}
