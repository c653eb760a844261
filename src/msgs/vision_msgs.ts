// vision_msgs 4.x (ROS 2 Jazzy) interface definitions, as .msg text.
//
// @foxglove/rosmsg-msgs-common does not ship vision_msgs, so the definitions the node publishes
// are written out here from the package's interface specs (comments trimmed). The text is what
// goes into a bag's ros2msg schema, so it keeps the exact field order and types of the originals.

/** .msg text of each vision_msgs type, keyed by its short name `vision_msgs/Name`. */
export const VISION_MSGS: Readonly<Record<string, string>> = {
  'vision_msgs/Point2D': 'float64 x\nfloat64 y\n',
  'vision_msgs/Pose2D': '# 2D position and orientation of a point in space.\nvision_msgs/Point2D position\nfloat64 theta\n',
  'vision_msgs/BoundingBox2D':
    '# A 2D bounding box that can be rotated about its center.\n' + 'vision_msgs/Pose2D center\nfloat64 size_x\nfloat64 size_y\n',
  'vision_msgs/BoundingBox3D':
    '# A 3D bounding box that can be positioned and rotated about its center (6 DOF).\n' +
    'geometry_msgs/Pose center\ngeometry_msgs/Vector3 size\n',
  'vision_msgs/ObjectHypothesis': '# An object hypothesis that contains no pose information.\nstring class_id\nfloat64 score\n',
  'vision_msgs/ObjectHypothesisWithPose':
    '# An object hypothesis that contains pose information.\n' +
    'vision_msgs/ObjectHypothesis hypothesis\ngeometry_msgs/PoseWithCovariance pose\n',
  'vision_msgs/Detection2D':
    '# Defines a 2D detection result.\nstd_msgs/Header header\n' +
    'vision_msgs/ObjectHypothesisWithPose[] results\nvision_msgs/BoundingBox2D bbox\nstring id\n',
  'vision_msgs/Detection2DArray':
    '# A list of 2D detections, for a multi-object 2D detector.\nstd_msgs/Header header\n' + 'vision_msgs/Detection2D[] detections\n',
  'vision_msgs/Detection3D':
    '# Defines a 3D detection result.\nstd_msgs/Header header\n' +
    'vision_msgs/ObjectHypothesisWithPose[] results\nvision_msgs/BoundingBox3D bbox\nstring id\n',
  'vision_msgs/Detection3DArray':
    '# A list of 3D detections, for a multi-object 3D detector.\nstd_msgs/Header header\n' + 'vision_msgs/Detection3D[] detections\n',
};
