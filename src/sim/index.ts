// Public surface of the synthetic-scene simulator (src/sim): scenes, frames, bags.
export { sceneSchema, parseScene, CLASS_SIZES } from './scene_schema';
export type { Scene, CameraSpec, CameraSpecInput, StaticObjectSpec, MovingObjectSpec, PhotoSpec } from './scene_schema';
export { loadScene, builtinScenes, BUILTIN_SCENE_DIR } from './scene_loader';
export { defaultRig, cameraFrames, cameraInfo, linkInBase, opticalInBase, opticalInLink } from './rig';
export { SceneSimulator } from './scene_simulator';
export type { SimFrame } from './scene_simulator';
export type { GroundTruthObject, GroundTruthBox } from './ground_truth';
export { streamFrames } from './frame_stream';
export type { FrameStreamOptions } from './frame_stream';
export { frameMessages, imageMessage, staticTransforms, BASE_FRAME, ODOM_FRAME } from './scene_messages';
export { sensorFrames } from './sensor_frames';
export type { TopicMessage, FrameMessageOptions } from './scene_messages';
export { writeSceneBag } from './write_scene_bag';
export type { WriteSceneBagOptions, SceneBagSummary } from './write_scene_bag';
