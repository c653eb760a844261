// A PipelineResult -> the publish calls the node makes, on a recording publisher factory,
// through the node's real OutputPublisher.
import { strict as assert } from 'node:assert';
import { nanosToTime } from '../../src/msgs/time';
import type { DiagnosticArray, Detection2DArray, Detection3DArray, Header, PointCloud2 } from '../../src/msgs/types';
import { parseConfig } from '../../src/config/config';
import { standingOutputs } from '../../src/core/output_topics';
import type { PipelineResult } from '../../src/core/result';
import { OutputPublisher, type PublisherFactory } from '../../src/ros/output_publisher';

const STAMP = 1_700_000_000_250_000_000n;
const header = (frame_id: string, stamp = STAMP): Header => ({ stamp: nanosToTime(stamp), frame_id });

interface Recorder {
  factory: PublisherFactory;
  created: { topic: string; type: string }[];
  published: { topic: string; msg: unknown }[];
}

function recorder(failOn?: string): Recorder {
  const created: Recorder['created'] = [];
  const published: Recorder['published'] = [];
  const factory: PublisherFactory = (topic, type) => {
    created.push({ topic, type });
    return {
      publish: (msg) => {
        if (topic === failOn) throw new Error('rmw publish failed');
        published.push({ topic, msg });
      },
    };
  };
  return { factory, created, published };
}

function result(seq: number): PipelineResult {
  const objects: Detection3DArray = { header: header('base_link'), detections: [] };
  const detections: Detection2DArray = { header: header('front_left_optical_frame'), detections: [] };
  const cloud: PointCloud2 = {
    header: header('base_link'),
    height: 1,
    width: 1,
    fields: [],
    is_bigendian: false,
    point_step: 12,
    row_step: 12,
    data: new Uint8Array(12),
    is_dense: true,
  };
  const diagnostics: DiagnosticArray = { header: header(''), status: [] };
  return {
    seq,
    stamp: STAMP,
    decision: 'completed',
    rung: 'full',
    outputs: [
      { topic: 'objects', type: 'vision_msgs/msg/Detection3DArray', msg: objects },
      { topic: 'front_left/detections', type: 'vision_msgs/msg/Detection2DArray', msg: detections },
      { topic: 'obstacles', type: 'sensor_msgs/msg/PointCloud2', msg: cloud },
      { topic: '/diagnostics', type: 'diagnostic_msgs/msg/DiagnosticArray', msg: diagnostics },
      {
        topic: 'status',
        type: 'dx_perception/msg/PipelineStatus',
        msg: {
          header: header('base_link'),
          time_mode: 'target',
          period_ms: 100,
          deadline_ms: 100,
          degradation_level: 'full',
          predicted_total_ms: 0,
          measured_total_ms: 0,
          latency_ms: 0,
          depth_age_ms: 0,
          shed: [],
          stages: [],
          active_cameras: [],
          frame_sets_received: BigInt(seq),
          frame_sets_completed: BigInt(seq),
          deadline_misses: 0n,
          shed_total: 0n,
          dropped_messages: 0n,
        },
      },
    ],
  };
}

describe('ros/output_publisher: PipelineResult -> publishers', () => {
  it('creates one publisher per topic, resolved under the namespace, with the output type', () => {
    const rec = recorder();
    const out = new OutputPublisher({ namespace: '/perception', createPublisher: rec.factory });
    out.publish(result(1));
    out.publish(result(2));
    assert.deepEqual(rec.created, [
      { topic: '/perception/objects', type: 'vision_msgs/msg/Detection3DArray' },
      { topic: '/perception/front_left/detections', type: 'vision_msgs/msg/Detection2DArray' },
      { topic: '/perception/obstacles', type: 'sensor_msgs/msg/PointCloud2' },
      { topic: '/diagnostics', type: 'diagnostic_msgs/msg/DiagnosticArray' },
      { topic: '/perception/status', type: 'dx_perception/msg/PipelineStatus' },
    ]);
    assert.equal(rec.published.length, 10);
    assert.deepEqual(
      out.topics.map((t) => t.topic),
      rec.created.map((c) => c.topic),
    );
  });

  it('advertises the standing outputs before the first result, and reuses those publishers', () => {
    const rec = recorder();
    const out = new OutputPublisher({ namespace: '/perception', createPublisher: rec.factory });
    out.advertise(standingOutputs(parseConfig({})));
    assert.deepEqual(
      rec.created.map((c) => c.topic),
      [
        '/perception/objects',
        '/perception/tracks',
        '/perception/obstacles',
        '/perception/scan',
        '/perception/markers',
        '/perception/status',
        '/diagnostics',
      ],
    );
    out.publish(result(1));
    assert.equal(rec.created.filter((c) => c.topic === '/perception/objects').length, 1);
    assert.throws(
      () => out.advertise([{ topic: 'objects', type: 'sensor_msgs/msg/Image' }]),
      /already carries vision_msgs\/msg\/Detection3DArray/,
    );
  });

  it('keeps headers (stamp and frame) and passes cloud data by reference', () => {
    const rec = recorder();
    const res = result(1);
    new OutputPublisher({ namespace: 'robot1/perception', createPublisher: rec.factory }).publish(res);
    const byTopic = new Map(rec.published.map((p) => [p.topic, p.msg as { header: Header; data?: Uint8Array }]));
    assert.deepEqual(byTopic.get('/robot1/perception/objects')!.header, {
      stamp: { sec: 1_700_000_000, nanosec: 250_000_000 },
      frame_id: 'base_link',
    });
    assert.equal(byTopic.get('/robot1/perception/front_left/detections')!.header.frame_id, 'front_left_optical_frame');
    assert.equal(byTopic.get('/robot1/perception/obstacles')!.data, (res.outputs[2]!.msg as PointCloud2).data);
  });

  it('publishes 64-bit counters as bigint, as rclnodejs requires', () => {
    const rec = recorder();
    new OutputPublisher({ namespace: '/perception', createPublisher: rec.factory }).publish(result(7));
    const status = rec.published.find((p) => p.topic === '/perception/status')!.msg as Record<string, unknown>;
    assert.equal(status.frame_sets_received, 7n);
    assert.equal(status.deadline_misses, 0n);
  });

  it('warns once about an output stamped after its frame set, and still publishes it; an earlier stamp (reused depth) is fine', () => {
    const rec = recorder();
    const warnings: string[] = [];
    const out = new OutputPublisher({ namespace: '/perception', createPublisher: rec.factory, onWarning: (w) => warnings.push(w) });
    for (const stamp of [STAMP - 1n, STAMP + 1n, STAMP + 2n]) {
      const res = result(1);
      (res.outputs[0]!.msg as Detection3DArray).header = header('base_link', stamp);
      out.publish(res);
    }
    assert.equal(rec.published.filter((p) => p.topic === '/perception/objects').length, 3);
    assert.deepEqual(warnings, [
      `output on /perception/objects has header stamp ${STAMP + 1n} ns; expected at most the frame set's ${STAMP} ns, and not 0`,
    ]);
  });

  it('skips an output that cannot be published and publishes the others', () => {
    const rec = recorder('/perception/obstacles');
    const warnings: string[] = [];
    const out = new OutputPublisher({ namespace: '/perception', createPublisher: rec.factory, onWarning: (w) => warnings.push(w) });
    const res = result(1);
    res.outputs.push({ ...res.outputs[2]!, topic: 'objects' });
    out.publish(res);
    assert.deepEqual(
      rec.published.map((p) => p.topic),
      ['/perception/objects', '/perception/front_left/detections', '/diagnostics', '/perception/status'],
    );
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /cannot publish sensor_msgs\/msg\/PointCloud2 on \/perception\/obstacles: rmw publish failed/);
    assert.match(warnings[1]!, /on \/perception\/objects: the topic already carries vision_msgs\/msg\/Detection3DArray/);
  });
});
