// The shapes every ROS 2 message here is built from: builtin_interfaces, std_msgs and
// geometry_msgs, with ROS field names, so one value goes unchanged to rclnodejs, to the CDR codec
// and to the bag writer (types.ts lists every message file).
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
