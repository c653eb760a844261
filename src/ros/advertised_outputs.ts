// Every output topic the node will publish for a configuration, so all are advertised at start:
// a subscriber started before the first result (`ros2 topic echo`, RViz, a recorder) then
// finds the topic and its type. The per-camera and per-pair topics follow what
// perception_pipeline.ts publishes with the full rig present: disparity and depth for the left
// camera of each stereo pair, learned depth for cameras outside the pairs, detections for every
// camera but the right one of a pair (its left partner sees the same view).
import type { PerceptionConfig } from '../config/config_schema';
import { standingOutputs } from '../core/output_topics';

const DISPARITY_TYPE = 'stereo_msgs/msg/DisparityImage';
const DEPTH_TYPE = 'sensor_msgs/msg/Image';
const DEPTH_INFO_TYPE = 'sensor_msgs/msg/CameraInfo';
const DETECTIONS_TYPE = 'vision_msgs/msg/Detection2DArray';

/** Topics (relative to the output namespace, or absolute) with their types, standing outputs first. */
export function advertisedOutputs(c: PerceptionConfig): Array<{ topic: string; type: string }> {
  const out = standingOutputs(c);
  const pairs = c.depth.stereo_pairs; // the schema checks that both cameras are configured
  const lefts = new Set(pairs.map(([l]) => l!));
  const rights = new Set(pairs.map(([, r]) => r!));
  const depthCameras = c.cameras.filter((cam) => lefts.has(cam) || (c.depth.learned_model_path !== '' && !rights.has(cam)));
  for (const [l, r] of pairs) if (c.outputs.disparity) out.push({ topic: `${l}_${r}/disparity`, type: DISPARITY_TYPE });
  if (c.outputs.depth_images) {
    for (const cam of depthCameras) {
      out.push({ topic: `${cam}/depth`, type: DEPTH_TYPE }, { topic: `${cam}/depth/camera_info`, type: DEPTH_INFO_TYPE });
    }
  }
  if (c.outputs.detections_2d && c.detection.model_path !== '') {
    for (const cam of c.cameras) if (!rights.has(cam)) out.push({ topic: `${cam}/detections`, type: DETECTIONS_TYPE });
  }
  return out;
}
