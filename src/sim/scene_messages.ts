// The ROS messages of a simulated frame, in the topic layout a real robot's bag would have,
// plus the ground-truth topics. Kept apart from the bag writing so a live publisher or a test
// can use the same messages.
import { quat } from 'gl-matrix';
import { nanosToTime, type Nanos } from '../msgs/time';
import {
  TrackState,
  type Detection2DArray,
  type Header,
  type Image,
  type TFMessage,
  type TrackedObjectArray,
  type TransformStamped,
} from '../msgs/types';
import type { GroundTruthBox } from './ground_truth';
import { quatd } from './mat64';
import { cameraFrames, linkInBase, opticalInLink, toTransform } from './rig';
import type { SimFrame } from './scene_simulator';
import type { CameraSpec } from './scene_schema';

export const BASE_FRAME = 'base_link';
export const ODOM_FRAME = 'odom';

/** One message to publish or record. */
export interface TopicMessage {
  topic: string;
  /** `pkg/msg/Name`. */
  type: string;
  /** Log (receive) time: the message's own stamp, as if transport took no time. */
  logTime: Nanos;
  msg: unknown;
}

export interface FrameMessageOptions {
  /** Also emit /<cam>/ground_truth/depth (32FC1, 1.2 MB per image at 640×480). */
  depth: boolean;
  /** Emit /tf odom -> base_link (when the robot moves). */
  odometry: boolean;
}

/** /tf_static: base_link -> <cam>_link -> <cam>_optical_frame for every camera, stamped `stamp`. */
export function staticTransforms(cameras: readonly CameraSpec[], stamp: Nanos): TopicMessage {
  const header = (frame_id: string): Header => ({ stamp: nanosToTime(stamp), frame_id });
  const transforms: TransformStamped[] = cameras.flatMap((cam) => {
    const f = cameraFrames(cam);
    return [
      { header: header(BASE_FRAME), child_frame_id: f.link, transform: toTransform(linkInBase(cam)) },
      { header: header(f.link), child_frame_id: f.optical, transform: toTransform(opticalInLink()) },
    ];
  });
  const msg: TFMessage = { transforms };
  return { topic: '/tf_static', type: 'tf2_msgs/msg/TFMessage', logTime: stamp, msg };
}

/** Every message of one frame, sorted by log time. */
export function frameMessages(frame: SimFrame, opts: FrameMessageOptions): TopicMessage[] {
  const out: TopicMessage[] = [];
  const nominal = { stamp: nanosToTime(frame.stamp), frame_id: BASE_FRAME };
  out.push({ topic: '/clock', type: 'rosgraph_msgs/msg/Clock', logTime: frame.stamp, msg: { clock: nominal.stamp } });
  if (opts.odometry) {
    const tf: TFMessage = {
      transforms: [{ header: { ...nominal, frame_id: ODOM_FRAME }, child_frame_id: BASE_FRAME, transform: toTransform(frame.baseInOdom) }],
    };
    out.push({ topic: '/tf', type: 'tf2_msgs/msg/TFMessage', logTime: frame.stamp, msg: tf });
  }
  out.push({
    topic: '/ground_truth/objects',
    type: 'dx_perception/msg/TrackedObjectArray',
    logTime: frame.stamp,
    msg: objectsMessage(frame, nominal),
  });
  for (const [cam, stamp] of frame.stamps) {
    const info = frame.infos.get(cam)!;
    const header = info.header;
    const img = frame.images.get(cam)!;
    // CameraInfo first: a camera driver's info for a frame is known before the frame is out, and
    // the synchroniser drops images whose camera has no CameraInfo yet.
    out.push({ topic: `/${cam}/camera_info`, type: 'sensor_msgs/msg/CameraInfo', logTime: stamp, msg: info });
    out.push({ topic: `/${cam}/image_raw`, type: 'sensor_msgs/msg/Image', logTime: stamp, msg: imageMessage(frame, cam) });
    out.push({
      topic: `/${cam}/ground_truth/detections`,
      type: 'vision_msgs/msg/Detection2DArray',
      logTime: stamp,
      msg: detectionsMessage(frame.boxes.get(cam)!, header),
    });
    if (opts.depth) {
      const d = frame.depth.get(cam)!;
      const depth: Image = {
        header,
        height: img.height,
        width: img.width,
        encoding: '32FC1',
        is_bigendian: 0,
        step: img.width * 4,
        data: new Uint8Array(d.buffer, d.byteOffset, d.byteLength),
      };
      out.push({ topic: `/${cam}/ground_truth/depth`, type: 'sensor_msgs/msg/Image', logTime: stamp, msg: depth });
    }
  }
  return out.sort((a, b) => (a.logTime < b.logTime ? -1 : a.logTime > b.logTime ? 1 : 0));
}

/** A present camera's bgr8 image as sensor_msgs/Image (sharing the pixel buffer), stamped like its CameraInfo. */
export function imageMessage(frame: SimFrame, cam: string): Image {
  const img = frame.images.get(cam);
  const info = frame.infos.get(cam);
  if (!img || !info) throw new Error(`imageMessage: frame ${frame.index} has no image from camera "${cam}" (dropped, stopped or unknown)`);
  return {
    header: info.header,
    height: img.height,
    width: img.width,
    encoding: 'bgr8',
    is_bigendian: 0,
    step: img.width * 3,
    data: img.data,
  };
}

/** Ground-truth objects in base_link; source_cameras lists the cameras where any part is visible. */
function objectsMessage(frame: SimFrame, header: Header): TrackedObjectArray {
  const seenBy = new Map<number, string[]>();
  for (const [cam, boxes] of frame.boxes) {
    for (const b of boxes) if (b.visiblePixels > 0) seenBy.set(b.id, [...(seenBy.get(b.id) ?? []), cam]);
  }
  const zeros = new Array<number>(36).fill(0);
  return {
    header,
    objects: frame.objects.map((o) => {
      const q = quat.setAxisAngle(quatd(), [0, 0, 1], o.yaw);
      return {
        header,
        id: o.id,
        class_id: o.className,
        score: 1,
        state: TrackState.CONFIRMED,
        pose: {
          pose: { position: { x: o.center[0], y: o.center[1], z: o.center[2] }, orientation: { x: q[0], y: q[1], z: q[2], w: q[3] } },
          covariance: zeros,
        },
        size: { x: o.size[0], y: o.size[1], z: o.size[2] },
        velocity: {
          twist: { linear: { x: o.velocity[0], y: o.velocity[1], z: o.velocity[2] }, angular: { x: 0, y: 0, z: 0 } },
          covariance: zeros,
        },
        age: frame.time,
        hits: frame.index + 1,
        source_cameras: seenBy.get(o.id) ?? [],
      };
    }),
  };
}

/** Visible objects of one camera as detections; score = visibility, bbox = the amodal box. */
function detectionsMessage(boxes: readonly GroundTruthBox[], header: Header): Detection2DArray {
  const zeros = new Array<number>(36).fill(0);
  const identity = { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } };
  return {
    header,
    detections: boxes
      .filter((b) => b.visiblePixels > 0)
      .map((b) => ({
        header,
        results: [{ hypothesis: { class_id: b.className, score: b.visibility }, pose: { pose: identity, covariance: zeros } }],
        bbox: { center: { position: { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 }, theta: 0 }, size_x: b.x1 - b.x0, size_y: b.y1 - b.y0 },
        id: String(b.id),
      })),
  };
}
