// Public surface of the fusion module.
export * from './types';
export * from './options';
export { sizePriorFor, GENERIC_PRIOR, type SizePrior } from './class_priors';
export { DetectionLifter, assertCameraView, depthStd } from './lifting';
export { mergeAcrossCameras } from './merge';
export { solveAssignment } from './assignment';
export { ConstantVelocityKalman } from './kalman';
export { MultiObjectTracker, OBSTACLE_CLASS } from './tracker';
export { ObstacleClusterer } from './obstacle_clusters';
export { virtualScanRanges, scanBinCount } from './scan';
export { cropObstaclePoints } from './obstacle_cloud';
export * from './messages';
export { MotAccumulator, type MotObject, type MotSummary } from './mot_metrics';
export { FusionStage } from './fusion_stage';
