// The node's input subscriptions: each camera's image (raw or compressed, as configured) and
// camera_info, and /tf and /tf_static, each with its QoS. Every message is converted from the
// rclnodejs form and handed on through `h`, which drops what cannot go (counted).
import type * as Rcl from 'rclnodejs';
import type { CompressedImage, Image } from '../msgs/types';
import type { PerceptionConfig } from '../config/config_schema';
import type { PerceptionRunner } from '../core/runner_api';
import { CAMERA_INFO_TYPE, COMPRESSED_IMAGE_TYPE, IMAGE_TYPE, TF_STATIC_TOPIC, TF_TOPIC, TF_TYPE, cameraTopics } from './input_topics';
import { cameraInfoFromRos, compressedImageFromRos, imageFromRos, tfMessageFromRos } from './message_conversion';
import { subscriptionQos, type QosProfile } from './qos';
import { toRclQos, type RclModule } from './rclnodejs_gaps';

export interface InputHandlers {
  /** Converts one message and hands it to the runner, or counts it dropped. */
  deliver<T>(topic: string, convert: () => T, handle: (runner: PerceptionRunner, msg: T) => void): void;
  /** A converted image of `camera`. */
  image(runner: PerceptionRunner, topic: string, camera: string, msg: Image | CompressedImage): void;
}

export interface InputSubscription {
  subscription: Rcl.Subscription;
  topic: string;
  /** The QoS requested, for the incompatible-publisher check. */
  qos: QosProfile;
}

export function subscribeInputs(rcl: RclModule, node: Rcl.Node, config: PerceptionConfig, h: InputHandlers): InputSubscription[] {
  const out: InputSubscription[] = [];
  const subscribe = (topic: string, qos: QosProfile, create: () => Rcl.Subscription): void => {
    out.push({ subscription: create(), topic, qos });
  };
  const sensorQos = subscriptionQos('sensor', config.qos);
  const options = (qos: QosProfile): Rcl.Options => ({ qos: toRclQos(rcl, qos), enableTypedArray: true });
  for (const { camera, image, cameraInfo } of cameraTopics(config)) {
    if (image.type === COMPRESSED_IMAGE_TYPE) {
      subscribe(image.topic, sensorQos, () =>
        node.createSubscription(COMPRESSED_IMAGE_TYPE, image.topic, options(sensorQos), (msg: Rcl.sensor_msgs.msg.CompressedImage) =>
          h.deliver(
            image.topic,
            () => compressedImageFromRos(camera, msg),
            (r, m) => h.image(r, image.topic, camera, m),
          ),
        ),
      );
    } else {
      subscribe(image.topic, sensorQos, () =>
        node.createSubscription(IMAGE_TYPE, image.topic, options(sensorQos), (msg: Rcl.sensor_msgs.msg.Image) =>
          h.deliver(
            image.topic,
            () => imageFromRos(camera, msg),
            (r, m) => h.image(r, image.topic, camera, m),
          ),
        ),
      );
    }
    subscribe(cameraInfo.topic, sensorQos, () =>
      node.createSubscription(CAMERA_INFO_TYPE, cameraInfo.topic, options(sensorQos), (msg: Rcl.sensor_msgs.msg.CameraInfo) =>
        h.deliver(
          cameraInfo.topic,
          () => cameraInfoFromRos(camera, msg),
          (r, m) => r.handleCameraInfo(camera, m),
        ),
      ),
    );
  }
  for (const [topic, kind] of [
    [TF_TOPIC, 'tf'],
    [TF_STATIC_TOPIC, 'tf_static'],
  ] as const) {
    const qos = subscriptionQos(kind, config.qos);
    subscribe(topic, qos, () =>
      node.createSubscription(TF_TYPE, topic, options(qos), (msg: Rcl.tf2_msgs.msg.TFMessage) =>
        h.deliver(
          topic,
          () => tfMessageFromRos(msg),
          (r, m) => r.handleTf(m, kind === 'tf_static'),
        ),
      ),
    );
  }
  return out;
}
