// What replay refuses or leaves out of a bag's topics before it starts, each time naming the
// topic, the flag or the key: a `cameras` entry the bag lacks, a --remap that gives two topics one
// name, a bag without a camera (saying why, without listing image topics as if there were none),
// a rig topic of another type.
import type { CameraTopics } from './bag_topics';
import { IMAGE_TYPES } from '../config/image_topics';
import { configSchema } from '../config/config_schema';

/** The configuration's `cameras` when none is set by the user: the default rig. */
const DEFAULT_CAMERAS = configSchema.parse({}).cameras;

/**
 * The bag's cameras to replay when `cameras` is set: those cameras, and one the bag lacks is an
 * error. Left at the default rig (undefined here), `cameras` follows the bag, which names its own.
 */
export function selectCameras(found: CameraTopics[], wanted: readonly string[], bagPath: string): CameraTopics[] | undefined {
  const isDefault = wanted.length === DEFAULT_CAMERAS.length && wanted.every((c, i) => c === DEFAULT_CAMERAS[i]);
  if (isDefault) return undefined;
  const absent = wanted.filter((w) => !found.some((c) => c.camera === w));
  if (absent.length > 0) {
    throw new Error(
      `cameras = ${JSON.stringify(wanted)}: bag ${bagPath} has no camera ${absent.map((a) => `"${a}"`).join(', ')} with image and camera_info topics; its cameras are ${found.map((c) => c.camera).join(', ')}`,
    );
  }
  return found.filter((c) => wanted.includes(c.camera));
}

/**
 * Two bag topics a remap gives one name (`--remap /left/image_raw:=/right/image_raw` in a bag
 * that has /right/image_raw): one camera's images would be fed to another. Names both topics.
 */
export function remapCollision(topics: readonly string[], topicOf: (t: string) => string): string | undefined {
  const by = new Map<string, string>();
  for (const t of topics) {
    const other = by.get(topicOf(t));
    if (other !== undefined) {
      const rule = (x: string) => (topicOf(x) === x ? `${x} (not remapped)` : `${x} (--remap ${x}:=${topicOf(x)})`);
      return `--remap: topics ${rule(other)} and ${rule(t)} would both be read as ${topicOf(t)}; expected each topic to keep a name of its own`;
    }
    by.set(topicOf(t), t);
  }
  return undefined;
}

/** Why a bag has no camera, without listing an image topic as if there were none. */
export function whyNoCamera(
  topics: ReadonlyArray<{ name: string; type: string }>,
  mistyped: ReadonlyArray<{ name: string; type: string }>,
): string {
  if (mistyped.length > 0) return `its image topics have other types: ${mistyped.map((t) => `${t.name} (${t.type})`).join(', ')}`;
  const images = topics
    .filter((t) => (IMAGE_TYPES as readonly string[]).includes(t.type))
    .map((t) => t.name)
    .sort();
  if (images.length > 0) {
    // /ns/cam/rgb -> /ns/cam/image_raw; a topic without a camera namespace needs one.
    const example = images[0]!.split('/').length > 2 ? images[0]!.replace(/[^/]+$/, 'image_raw') : `/front_left/image_raw`;
    return (
      `its image topics ${images.join(', ')} are not named <camera>/image_raw (or image_rect, image_color, image, .../compressed); ` +
      `rename them with --remap, e.g. --remap ${images[0]}:=${example}`
    );
  }
  return `it has no ${IMAGE_TYPES.join(' or ')} topic; its topics are ${topics.map((t) => `${t.name} (${t.type})`).join(', ')}`;
}

/** The types replay decodes the rig's other topics as. */
const RIG_TOPIC_TYPES = { info: 'sensor_msgs/msg/CameraInfo', tf: 'tf2_msgs/msg/TFMessage', clock: 'rosgraph_msgs/msg/Clock' } as const;

/**
 * The camera_info, /tf, /tf_static and /clock topics whose type is not the one replay decodes
 * them as, each with the type expected: left out with one warning, not one per message.
 */
export function rigTopicsOfOtherType(
  topics: ReadonlyArray<{ name: string; type: string }>,
  cameras: readonly CameraTopics[],
): Map<string, string> {
  const expected = new Map<string, string>([
    ['/tf', RIG_TOPIC_TYPES.tf],
    ['/tf_static', RIG_TOPIC_TYPES.tf],
    ['/clock', RIG_TOPIC_TYPES.clock],
  ]);
  for (const c of cameras) if (c.info) expected.set(c.info, RIG_TOPIC_TYPES.info);
  const full = (type: string) => type.replace(/^([^/]+)\/(?!msg\/)/, '$1/msg/');
  const out = new Map<string, string>();
  for (const t of topics) {
    const want = expected.get(t.name);
    if (want !== undefined && full(t.type) !== want) out.set(t.name, want);
  }
  return out;
}
