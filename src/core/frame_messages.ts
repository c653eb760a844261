// Every message a frame set publishes is built here, from what the stages returned: per-pair
// disparity and per-camera depth images, 2D detections, and the 3D objects, tracks, obstacles,
// scan and markers of fusion. The `publish` stage times this.
import { depthImageMessage, disparityImageMessage, rectifiedCameraInfo } from '../depth/disparity_outputs';
import type { RigCamera } from '../geometry/rig';
import { toDetection2DArray, type Detection } from '../inference/detection';
import type { FusionOutput } from '../fusion/types';
import { nanosToTime } from '../msgs/time';
import type { Header } from '../msgs/types';
import type { FrameSet } from '../sync/frame';
import type { PerceptionConfig } from '../config/config_schema';
import type { CameraDepth } from './depth_stages';
import { OUTPUT_TYPES } from './output_topics';
import type { PerceptionOutput } from './result';

export interface FrameMessageInputs {
  set: FrameSet;
  cameras: Map<string, RigCamera>;
  /** Depth computed for this set (not reused), keyed by camera, stereo pairs first. */
  freshDepth: Map<string, CameraDepth>;
  /** Per camera detected on (none without a detector). */
  detections: Map<string, Detection[]>;
  fusion: FusionOutput;
  /** Stamp of the depth behind obstacles and scan; undefined when there is none young enough. */
  depthStamp: bigint | undefined;
}

const header = (set: FrameSet, frameId: string): Header => ({ stamp: nanosToTime(set.stamp), frame_id: frameId });

/**
 * The set's messages. Obstacles and scan come from depth alone, so they carry the stamp of the
 * depth they came from (older than the set's when reused: a consumer must not take seconds-old
 * obstacles as current), and are left out when there is no depth young enough.
 */
export function frameMessages(config: PerceptionConfig, i: FrameMessageInputs): PerceptionOutput[] {
  const { set, fusion: f } = i;
  const o = config.outputs;
  const t = config.topics;
  const out: PerceptionOutput[] = [];
  for (const [camera, d] of i.freshDepth) {
    const h = header(set, d.frameId);
    if (d.disparity && o.disparity) {
      const { pair, map, geometry } = d.disparity;
      out.push({ topic: `${pair}/disparity`, type: 'stereo_msgs/msg/DisparityImage', msg: disparityImageMessage(h, map, geometry) });
    }
    if (o.depth_images) {
      // A camera's 32FC1 depth image and the CameraInfo of its (distortion-free) pixel grid.
      const k = d.intrinsics;
      out.push({ topic: `${camera}/depth`, type: 'sensor_msgs/msg/Image', msg: depthImageMessage(h, k.width, k.height, d.depth) });
      out.push({ topic: `${camera}/depth/camera_info`, type: 'sensor_msgs/msg/CameraInfo', msg: rectifiedCameraInfo(h, k) });
    }
  }
  if (o.detections_2d) {
    for (const [cam, dets] of i.detections) {
      out.push({
        topic: `${cam}/detections`,
        type: 'vision_msgs/msg/Detection2DArray',
        msg: toDetection2DArray(dets, header(set, i.cameras.get(cam)!.frameId)),
      });
    }
  }
  out.push(
    { topic: t.objects, type: OUTPUT_TYPES.objects, msg: f.detections3d },
    { topic: t.tracks, type: OUTPUT_TYPES.tracks, msg: f.trackedObjects },
  );
  if (i.depthStamp !== undefined) {
    const stamp = nanosToTime(i.depthStamp);
    out.push(
      { topic: t.obstacles, type: OUTPUT_TYPES.obstacles, msg: { ...f.cloud, header: { ...f.cloud.header, stamp } } },
      { topic: t.scan, type: OUTPUT_TYPES.scan, msg: { ...f.scan, header: { ...f.scan.header, stamp } } },
    );
  }
  if (o.markers) out.push({ topic: t.markers, type: OUTPUT_TYPES.markers, msg: f.markers });
  return out;
}
