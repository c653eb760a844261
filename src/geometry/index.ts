// Public surface of the geometry module.
export type { Pinhole } from './pinhole';
export { CameraModel } from './camera_model';
export type { DistortionModel } from './distortion';
export { remap, type RemapMaps } from './remap';
export { TfBuffer, type TfBufferOptions, type TfBufferStats } from './tf_buffer';
export { Rig, type CameraMount, type RigCamera, type StereoPairCandidate, type StereoPairOptions } from './rig';
export { isRectifiedPair, rectifiedPairAsIs, stereoRectify, type StereoRectification, type StereoRectifyOptions } from './stereo_rectify';
