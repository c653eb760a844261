// Which topics of a bag are cameras, and ROS-style topic remapping. Replay reads the rig from the
// bag itself: every Image/CompressedImage topic named <prefix>/<camera>/<image topic> becomes a
// camera, with its CameraInfo from the sibling camera_info topic.

export const IMAGE_TYPES = ['sensor_msgs/msg/Image', 'sensor_msgs/msg/CompressedImage'] as const;
const IMAGE_LEAVES = ['image_raw', 'image_rect', 'image_color', 'image_rect_color', 'image_mono', 'image'];

export interface CameraTopics {
  camera: string;
  image: string;
  imageType: (typeof IMAGE_TYPES)[number];
  /** Sibling camera_info topic, when the bag has one. */
  info?: string;
}

/** Image topics whose leaf is a usual camera image name (so ground-truth depth images are not cameras). */
export function discoverCameras(topics: ReadonlyArray<{ name: string; type: string }>): CameraTopics[] {
  const names = new Set(topics.map((t) => t.name));
  const found: CameraTopics[] = [];
  for (const t of topics) {
    if (!(IMAGE_TYPES as readonly string[]).includes(t.type)) continue;
    const parts = t.name.split('/').filter(Boolean);
    if (parts[parts.length - 1] === 'compressed') parts.pop();
    const leaf = parts.pop();
    const camera = parts[parts.length - 1];
    if (!leaf || !camera || !IMAGE_LEAVES.includes(leaf)) continue;
    const info = `/${[...parts, 'camera_info'].join('/')}`;
    found.push({ camera, image: t.name, imageType: t.type as CameraTopics['imageType'], info: names.has(info) ? info : undefined });
  }
  // Prefer raw images over rectified ones, and one image topic per camera.
  found.sort((a, b) => a.camera.localeCompare(b.camera) || a.image.length - b.image.length);
  return found.filter((c, i) => i === 0 || found[i - 1].camera !== c.camera);
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
