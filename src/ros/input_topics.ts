// The topics the node subscribes to, derived from the configuration alone (pure, tested without
// ROS). Camera topics are relative when no prefix is configured, so they resolve under the
// node's namespace and stay remappable, as ROS camera topics usually are.
import type { PerceptionConfig } from '../config/config_schema';

export const IMAGE_TYPE = 'sensor_msgs/msg/Image';
export const COMPRESSED_IMAGE_TYPE = 'sensor_msgs/msg/CompressedImage';
export const CAMERA_INFO_TYPE = 'sensor_msgs/msg/CameraInfo';
export const TF_TYPE = 'tf2_msgs/msg/TFMessage';
export const TF_TOPIC = '/tf';
export const TF_STATIC_TOPIC = '/tf_static';

/** The two input topics of one camera. */
export interface CameraTopics {
  camera: string;
  image: { topic: string; type: typeof IMAGE_TYPE | typeof COMPRESSED_IMAGE_TYPE };
  cameraInfo: { topic: string; type: typeof CAMERA_INFO_TYPE };
}

function join(...parts: string[]): string {
  const absolute = parts[0]!.startsWith('/');
  const body = parts
    .flatMap((p) => p.split('/'))
    .filter((s) => s !== '')
    .join('/');
  return absolute ? `/${body}` : body;
}

/**
 * `<prefix>/<cam>/<topics.image>` and `<prefix>/<cam>/<topics.camera_info>` for every configured
 * camera. An image topic ending in `compressed` carries sensor_msgs/CompressedImage (the
 * image_transport convention), anything else sensor_msgs/Image.
 */
export function cameraTopics(config: PerceptionConfig): CameraTopics[] {
  const { input_prefix: prefix, image, camera_info: info } = config.topics;
  const imageType = image.endsWith('compressed') ? COMPRESSED_IMAGE_TYPE : IMAGE_TYPE;
  return config.cameras.map((camera) => ({
    camera,
    image: { topic: join(prefix, camera, image), type: imageType },
    cameraInfo: { topic: join(prefix, camera, info), type: CAMERA_INFO_TYPE },
  }));
}
