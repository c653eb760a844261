// Which topics of a bag are cameras, and ROS-style topic remapping. Replay reads the rig from the
// bag itself: every Image/CompressedImage topic named <prefix>/<camera>/<image topic> becomes a
// camera, with its CameraInfo from the sibling camera_info topic.
import { IMAGE_LEAVES, IMAGE_TYPES } from '../config/image_topics';

export interface CameraTopics {
  camera: string;
  image: string;
  imageType: (typeof IMAGE_TYPES)[number];
  /** Sibling camera_info topic, when the bag has one. */
  info?: string;
}

/**
 * Image topics whose leaf is a usual camera image name (so ground-truth depth images are not cameras).
 * A camera is named by its namespace's last segment; when two namespaces share it (/a/left/...,
 * /b/left/...), each is named by its last two segments joined ("a_left", "b_left") so neither is lost.
 */
export function discoverCameras(topics: ReadonlyArray<{ name: string; type: string }>): CameraTopics[] {
  const names = new Set(topics.map((t) => t.name));
  const found: Array<CameraTopics & { namespace: string[] }> = [];
  for (const t of topics) {
    if (!(IMAGE_TYPES as readonly string[]).includes(t.type)) continue;
    const parts = t.name.split('/').filter(Boolean);
    if (parts[parts.length - 1] === 'compressed') parts.pop();
    const leaf = parts.pop();
    const camera = parts[parts.length - 1];
    if (!leaf || !camera || !(IMAGE_LEAVES as readonly string[]).includes(leaf)) continue;
    const info = `/${[...parts, 'camera_info'].join('/')}`;
    found.push({
      camera,
      namespace: parts,
      image: t.name,
      imageType: t.type as CameraTopics['imageType'],
      info: names.has(info) ? info : undefined,
    });
  }
  // Prefer raw images over rectified ones, and one image topic per camera namespace.
  const key = (c: { namespace: string[] }) => c.namespace.join('/');
  found.sort((a, b) => key(a).localeCompare(key(b)) || a.image.length - b.image.length);
  const unique = found.filter((c, i) => i === 0 || key(found[i - 1]) !== key(c));
  const shared = (c: CameraTopics) => unique.filter((u) => u.camera === c.camera).length > 1;
  return unique
    .map(({ namespace, ...c }) =>
      shared(c)
        ? {
            ...c,
            camera: namespace
              .slice(-2)
              .join('_')
              .replace(/[^A-Za-z0-9_]/g, '_'),
          }
        : c,
    )
    .sort((a, b) => a.camera.localeCompare(b.camera));
}

/**
 * Refuses a remap whose source topic the bag does not have: it would do nothing, and the camera
 * the user meant to rename would be missing without a word.
 */
export function checkRemaps(remaps: ReadonlyMap<string, string>, bagTopics: readonly string[], bagPath: string): void {
  const absent = [...remaps.keys()].filter((from) => !bagTopics.includes(from));
  if (absent.length === 0) return;
  throw new Error(
    `--remap ${absent.map((a) => `${a}:=${remaps.get(a)}`).join(', ')}: bag ${bagPath} has no topic ${absent.join(', ')}; its topics are ${bagTopics.join(', ')}`,
  );
}

/** Parses ROS-style remaps "from:=to" into a map from bag topic to the topic the node expects. */
export function parseRemaps(remaps: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of remaps) {
    const [from, to, extra] = r.split(':=');
    if (!from || !to || extra !== undefined || !from.startsWith('/') || !to.startsWith('/')) {
      throw new Error(`--remap ${r}: expected /bag/topic:=/expected/topic, e.g. --remap /cam0/image_raw:=/front_left/image_raw`);
    }
    out.set(from, to);
  }
  return out;
}
