// Which of a bag's cameras a replay feeds, and under which topics: remaps applied, image topics
// found, cameras without a usable camera_info left out (warned), config.cameras selected. A bag
// that leaves nothing to replay is refused with what was found and what was expected.
import type { BagTopicInfo } from '../io/bag_reader';
import { checkRemaps, discoverCameras, parseRemaps, type CameraTopics } from './bag_topics';
import { IMAGE_TYPES } from '../config/image_topics';
import type { PerceptionConfig } from '../config/config_schema';
import { remapCollision, rigTopicsOfOtherType, selectCameras, whyNoCamera } from './replay_refusals';

export interface BagCameras {
  /** A bag topic -> the topic it is replayed as (the remaps applied). */
  topicOf: (topic: string) => string;
  /** The bag's cameras, or the ones config.cameras selected (for the summary). */
  cameras: CameraTopics[];
  /** The cameras replayed: selected, each with a camera_info topic. */
  usable: CameraTopics[];
  /** Rig topics of an unexpected type (left out) -> the type expected. */
  offType: Map<string, string>;
}

/** Throws an Error naming `bagPath` when no camera can be replayed; warns about each one left out. */
export function bagCameras(
  bagPath: string,
  topics: readonly BagTopicInfo[],
  config: PerceptionConfig,
  remaps: readonly string[],
  warn: (m: string) => void,
): BagCameras {
  const remap = parseRemaps(remaps);
  const names = topics.map((t) => t.name);
  checkRemaps(remap, names, bagPath);
  const topicOf = (t: string) => remap.get(t) ?? t;
  const bagTopics = topics.map((t) => ({ name: topicOf(t.name), type: t.type }));
  const collision = remapCollision(names, topicOf);
  const cameras = discoverCameras(bagTopics);
  // An image-named topic of another type (a typo such as sensor_msgs/msg/Imagee) would drop its camera silently.
  const mistyped = bagTopics.filter(
    (t) => /\/image[^/]*(\/compressed)?$/.test(t.name) && !(IMAGE_TYPES as readonly string[]).includes(t.type),
  );
  if (collision) throw new Error(`${collision} in bag ${bagPath}`);
  if (cameras.length === 0) {
    throw new Error(
      `bag ${bagPath}: no camera image topics (sensor_msgs/msg/Image or CompressedImage named <camera>/image_raw, ...); ${whyNoCamera(bagTopics, mistyped)}`,
    );
  }
  for (const t of mistyped) warn(`topic ${t.name} has type ${t.type}, not ${IMAGE_TYPES.join(' or ')}; replaying without it`);
  // A rig topic of another type (a bad or garbled type name) is left out once, not warned about per message.
  const offType = rigTopicsOfOtherType(bagTopics, cameras);
  for (const [t, want] of offType)
    warn(`topic ${t} has type ${bagTopics.find((b) => b.name === t)!.type}, not ${want}; replaying without it`);
  for (const c of cameras) {
    const info = c.info ?? c.image.replace(/[^/]+(\/compressed)?$/, 'camera_info');
    if (offType.has(info)) c.info = undefined;
    if (!c.info)
      warn(`camera "${c.camera}": the bag has no ${offType.has(info) ? 'usable ' : ''}${info} topic; replaying without this camera`);
  }
  const found = cameras.filter((c) => c.info);
  const selected = selectCameras(found, config.cameras, bagPath);
  const usable = selected ?? found;
  if (usable.length === 0) {
    throw new Error(`bag ${bagPath}: no camera has a camera_info topic; expected <camera>/camera_info beside each image topic`);
  }
  // A min_cameras above the rig's size would be clamped and make degrade mode wait instead (the
  // default, 2, is only clamped for a one-camera bag, where degrading means nothing).
  if (usable.length >= 2 && config.sync.min_cameras > usable.length) {
    throw new Error(
      `sync.min_cameras = ${config.sync.min_cameras} but bag ${bagPath} has ${usable.length} usable cameras (${usable.map((c) => c.camera).join(', ')}); expected at most ${usable.length}`,
    );
  }
  return { topicOf, cameras: selected ?? cameras, usable, offType };
}

/** The config the bag's own cameras need: its camera list, and stereo pairs it has. */
export function configForBag(config: PerceptionConfig, cameras: CameraTopics[]): PerceptionConfig {
  const names = cameras.map((c) => c.camera);
  return {
    ...config,
    cameras: names,
    depth: { ...config.depth, stereo_pairs: config.depth.stereo_pairs.filter((p) => p.every((c) => names.includes(c))) },
  };
}
