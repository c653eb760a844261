// Public surface of the depth module: stereo matching, its ROS outputs, learned-depth adapters
// with scale recovery, and depth-to-3D (points, voxels, ground plane, obstacles).
export { StereoMatcher, type DisparityResult } from './sgm_stereo';
export { stereoOptionsSchema, parseStereoOptions, type StereoOptions, type StereoOptionsInput } from './stereo_options';
export {
  disparityToDepth,
  depthImageMessage,
  rectifiedCameraInfo,
  disparityImageMessage,
  validityMaskMessage,
  validWindow,
  type StereoGeometry,
} from './disparity_outputs';
export { MonoDepthAdapter, monoDepthOptionsSchema, resizeBilinear, type MonoDepthMap, type MonoDepthOptionsInput } from './mono_depth';
export {
  fitScaleShift,
  scaleFitOptionsSchema,
  inverseDepthFromStereo,
  inverseDepthFromGround,
  applyScaleShift,
  type ScaleShift,
  type ScaleFitOptionsInput,
} from './scale_recovery';
export { depthToPoints, pointsOptionsSchema, type DepthPoints, type PointsOptionsInput } from './points';
export { voxelDownsample, voxelOptionsSchema, type VoxelOptionsInput } from './voxel';
export { estimateGroundPlane, groundPlaneOptionsSchema, heightAbove, type GroundPlane, type GroundPlaneOptionsInput } from './ground_plane';
export { obstaclePoints, obstacleOptionsSchema, type ObstacleOptionsInput } from './obstacles';
export { toMono8 } from './mono8';
