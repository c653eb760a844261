// The messages dx_perception publishes for its consumers' stacks: vision_msgs (detections),
// visualization_msgs (RViz markers), diagnostic_msgs (/diagnostics).
import type { Bytes, Duration, Header, ColorRGBA, Vector3, Point, Pose, PoseWithCovariance } from './common_types';
import type { CompressedImage } from './sensor_types';

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
