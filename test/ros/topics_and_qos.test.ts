// Input topics and QoS of dx_perception_node (src/ros/input_topics.ts, src/ros/qos.ts).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/config';
import { cameraTopics } from '../../src/ros/input_topics';
import { Durability, History, Reliability, incompatiblePublisherWarnings, subscriptionQos, type EndpointInfo } from '../../src/ros/qos';

describe('ros/input_topics', () => {
  it('subscribes to <cam>/image_raw and <cam>/camera_info, relative to the node namespace by default', () => {
    const topics = cameraTopics(parseConfig({}));
    assert.deepEqual(
      topics.map((t) => [t.camera, t.image.topic, t.image.type, t.cameraInfo.topic]),
      [
        ['front_left', 'front_left/image_raw', 'sensor_msgs/msg/Image', 'front_left/camera_info'],
        ['front_right', 'front_right/image_raw', 'sensor_msgs/msg/Image', 'front_right/camera_info'],
        ['left', 'left/image_raw', 'sensor_msgs/msg/Image', 'left/camera_info'],
        ['right', 'right/image_raw', 'sensor_msgs/msg/Image', 'right/camera_info'],
      ],
    );
  });

  it('puts the prefix first and subscribes to CompressedImage for a compressed transport', () => {
    const [t] = cameraTopics(
      parseConfig({ cameras: ['a'], depth: { stereo_pairs: [] }, topics: { input_prefix: '/robot/', image: 'image_rect/compressed' } }),
    );
    assert.deepEqual(t!.image, { topic: '/robot/a/image_rect/compressed', type: 'sensor_msgs/msg/CompressedImage' });
    assert.equal(t!.cameraInfo.topic, '/robot/a/camera_info');
  });
});

describe('ros/qos', () => {
  const cfg = parseConfig({});

  it('uses sensor-data QoS for cameras with the configured reliability and depth', () => {
    assert.deepEqual(subscriptionQos('sensor', cfg.qos), {
      history: History.KEEP_LAST,
      depth: 5,
      reliability: Reliability.BEST_EFFORT,
      durability: Durability.VOLATILE,
    });
    assert.equal(subscriptionQos('sensor', { reliability: 'reliable', depth: 2 }).reliability, Reliability.RELIABLE);
    assert.equal(subscriptionQos('sensor', { reliability: 'reliable', depth: 2 }).depth, 2);
  });

  it('latches /tf_static (reliable, transient local)', () => {
    const q = subscriptionQos('tf_static', cfg.qos);
    assert.equal(q.reliability, Reliability.RELIABLE);
    assert.equal(q.durability, Durability.TRANSIENT_LOCAL);
  });

  it('uses the rmw enum values rclnodejs declares', () => {
    const dts = readFileSync(join(__dirname, '../../node_modules/rclnodejs/types/qos.d.ts'), 'utf8');
    const declared = (name: string): number => Number(new RegExp(`${name} = (\\d+)`).exec(dts)![1]);
    assert.equal(History.KEEP_LAST, declared('RMW_QOS_POLICY_HISTORY_KEEP_LAST'));
    assert.equal(Reliability.RELIABLE, declared('RMW_QOS_POLICY_RELIABILITY_RELIABLE'));
    assert.equal(Reliability.BEST_EFFORT, declared('RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT'));
    assert.equal(Durability.TRANSIENT_LOCAL, declared('RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL'));
    assert.equal(Durability.VOLATILE, declared('RMW_QOS_POLICY_DURABILITY_VOLATILE'));
  });

  const publisher = (reliability: number, durability: number): EndpointInfo => ({
    node_name: 'camera_driver',
    node_namespace: '/robot',
    topic_type: 'sensor_msgs/msg/Image',
    qos_profile: { reliability, durability, history: History.KEEP_LAST, depth: 1 },
  });

  it('warns when a best-effort publisher meets a reliable subscription, naming topic, node and both QoS', () => {
    const reliable = subscriptionQos('sensor', { reliability: 'reliable', depth: 5 });
    const [w, ...rest] = incompatiblePublisherWarnings('/robot/front_left/image_raw', reliable, [
      publisher(Reliability.BEST_EFFORT, Durability.VOLATILE),
    ]);
    assert.equal(rest.length, 0);
    assert.match(
      w!,
      /^QoS mismatch on \/robot\/front_left\/image_raw: publisher \/robot\/camera_driver offers \{reliability=best_effort, durability=volatile, depth=1\}, this node requests \{reliability=reliable, durability=volatile, depth=5\}/,
    );
    assert.match(w!, /set qos\.reliability: best_effort/);
  });

  it('accepts any publisher with the default best-effort subscription, and flags volatile /tf_static publishers', () => {
    const sensor = subscriptionQos('sensor', cfg.qos);
    assert.deepEqual(
      incompatiblePublisherWarnings('front_left/image_raw', sensor, [
        publisher(Reliability.RELIABLE, Durability.VOLATILE),
        publisher(Reliability.BEST_EFFORT, Durability.TRANSIENT_LOCAL),
      ]),
      [],
    );
    const [w] = incompatiblePublisherWarnings('/tf_static', subscriptionQos('tf_static', cfg.qos), [
      publisher(Reliability.RELIABLE, Durability.VOLATILE),
    ]);
    assert.match(w!, /transient-local durability but the publisher offers volatile/);
  });
});
