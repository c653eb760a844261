import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBag } from '../../src/io/bag_reader';
import { McapBagWriter } from '../../src/io/bag_writer';
import { decodeMessage, encodeMessage } from '../../src/msgs/codec';
import { resolveFusionOptions } from '../../src/fusion/options';
import { MarkerAction, MarkerType } from '../../src/msgs/types';
import { toMarkerArray, toPointCloud2 } from '../../src/fusion/messages';
import type { FusionOutput, TrackSnapshot } from '../../src/fusion/types';
import { runCrossingSequence } from './support/run_sequence';

/** Deep equality where typed and plain arrays compare by value and floats within float32 precision. */
function assertSame(actual: unknown, expected: unknown, path: string): void {
  if (typeof expected === 'number' || typeof expected === 'bigint') {
    const a = Number(actual),
      e = Number(expected);
    if (Number.isNaN(e)) return assert.ok(Number.isNaN(a), `${path}: ${a} vs NaN`);
    if (!Number.isFinite(e)) return assert.equal(a, e, path);
    return assert.ok(Math.abs(a - e) <= 1e-6 * Math.max(1, Math.abs(e)), `${path}: ${a} vs ${e}`);
  }
  if (typeof expected !== 'object' || expected === null) return assert.equal(actual, expected, path);
  if (ArrayBuffer.isView(expected) || Array.isArray(expected)) {
    const e = Array.from(expected as ArrayLike<unknown>),
      a = Array.from(actual as ArrayLike<unknown>);
    assert.equal(a.length, e.length, `${path}.length`);
    e.forEach((v, i) => assertSame(a[i], v, `${path}[${i}]`));
    return;
  }
  for (const [key, value] of Object.entries(expected)) assertSame((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
}

describe('fusion/messages', function () {
  this.timeout(30_000);
  let outputs: FusionOutput[];
  let out: FusionOutput;
  before(() => {
    const run = runCrossingSequence({ seconds: 1.5, rate: 10, seed: 2 });
    outputs = run.frames.map((f) => f.output);
    out = outputs[outputs.length - 1];
  });

  /** Each output with its type and the topic the default options name for it. */
  const published = (o: FusionOutput): Array<[string, string, unknown]> => {
    const t = resolveFusionOptions({}).topics;
    return [
      [`/perception/${t.objects}`, 'vision_msgs/msg/Detection3DArray', o.detections3d],
      [`/perception/${t.tracks}`, 'dx_perception/msg/TrackedObjectArray', o.trackedObjects],
      [`/perception/${t.obstacles}`, 'sensor_msgs/msg/PointCloud2', o.cloud],
      [`/perception/${t.scan}`, 'sensor_msgs/msg/LaserScan', o.scan],
      [`/perception/${t.markers}`, 'visualization_msgs/msg/MarkerArray', o.markers],
    ];
  };

  it('round-trips every output message through the CDR codec', () => {
    assert.ok(out.detections3d.detections.length > 3 && out.trackedObjects.objects.length > 3 && out.cloud.width > 100);
    for (const [, type, msg] of published(out)) {
      const bytes = encodeMessage(type, msg);
      assertSame(decodeMessage(type, bytes), msg, type);
    }
  });

  it('writes every output of a sequence to a rosbag2 MCAP bag that reads back intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fusion-bag-'));
    try {
      const bagDir = join(dir, 'fusion');
      const writer = await McapBagWriter.create(bagDir);
      for (const o of outputs) {
        for (const [topic, type, msg] of published(o)) await writer.write(topic, type, o.stamp, msg);
      }
      await writer.close();
      const bag = await openBag(bagDir);
      try {
        const types = Object.fromEntries(bag.info.topics.map((t) => [t.name, [t.type, t.count]]));
        for (const [topic, type] of published(out)) assert.deepEqual(types[topic], [type, outputs.length], topic);
        const expected = new Map(published(out).map(([topic, , msg]) => [topic, msg]));
        let checked = 0;
        for await (const m of bag.messages({ start: out.stamp, end: out.stamp })) {
          assertSame(m.decode(), expected.get(m.topic), m.topic);
          checked++;
        }
        assert.equal(checked, 5);
      } finally {
        await bag.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('puts objects, cloud and scan in base_link and tracks in the tracking frame', () => {
    assert.equal(out.detections3d.header.frame_id, 'base_link');
    assert.equal(out.cloud.header.frame_id, 'base_link');
    assert.equal(out.scan.header.frame_id, 'base_link');
    assert.equal(out.trackedObjects.header.frame_id, out.trackingFrame);
    assert.ok(
      out.detections3d.detections.some((d) => d.id !== ''),
      'detections carry their track ids',
    );
  });

  it('builds a dense xyz float32 cloud whose bytes decode to the input points', () => {
    const pts = Float32Array.from([1, 2, 3, -4.5, 0.25, 1.5]);
    const msg = toPointCloud2(5_000_000_123n, 'base_link', pts);
    assert.deepEqual(msg.header.stamp, { sec: 5, nanosec: 123 });
    assert.equal(msg.width, 2);
    assert.equal(msg.row_step, 24);
    assert.ok(msg.is_dense);
    const view = new DataView(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength);
    assert.equal(view.getFloat32(12 + msg.fields[0].offset, true), -4.5);
    assert.equal(view.getFloat32(12 + msg.fields[2].offset, true), 1.5);
  });

  it('starts the marker array with DELETEALL and draws a box, an id and a velocity arrow per moving track', () => {
    const track: TrackSnapshot = {
      id: 42,
      state: 1,
      className: 'person',
      classId: 0,
      score: 0.9,
      position: [3, 1, 0.9],
      velocity: [1, 0, 0],
      positionCovariance: new Float64Array(9),
      velocityCovariance: new Float64Array(9),
      size: [0.5, 0.5, 1.7],
      yaw: 0,
      age: 2,
      hits: 20,
      misses: 0,
      cameras: ['left'],
    };
    const still = { ...track, id: 43, velocity: [0, 0, 0] as [number, number, number] };
    const { markers } = toMarkerArray(1n, 'odom', [track, still]);
    assert.equal(markers[0].action, MarkerAction.DELETEALL);
    const of = (id: number) =>
      markers
        .filter((m) => m.id === id && m.action === MarkerAction.ADD)
        .map((m) => m.type)
        .sort();
    assert.deepEqual(of(42), [MarkerType.ARROW, MarkerType.CUBE, MarkerType.TEXT_VIEW_FACING].sort());
    assert.deepEqual(of(43), [MarkerType.CUBE, MarkerType.TEXT_VIEW_FACING].sort());
    const arrow = markers.find((m) => m.type === MarkerType.ARROW);
    assert.deepEqual(arrow?.points, [
      { x: 3, y: 1, z: 0.9 },
      { x: 4, y: 1, z: 0.9 },
    ]);
    assert.ok(markers.every((m) => m.header.frame_id === 'odom'));
    assert.ok(markers.find((m) => m.type === MarkerType.TEXT_VIEW_FACING)?.text.startsWith('42 person'));
  });
});
