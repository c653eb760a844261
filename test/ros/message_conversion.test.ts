// rclnodejs-shaped messages -> the core's shapes (no copy of image data), and core outputs ->
// the objects rclnodejs publishes (64-bit integers as bigint), through src/ros/message_conversion.
import { strict as assert } from 'node:assert';
import type { sensor_msgs, tf2_msgs } from 'rclnodejs';
import type { PipelineStatus, PointCloud2, TrackedObjectArray } from '../../src/msgs/types';
import {
  cameraInfoFromRos,
  compressedImageFromRos,
  conformerFor,
  imageFromRos,
  stampNanos,
  tfMessageFromRos,
} from '../../src/ros/message_conversion';

const header = { stamp: { sec: 1_700_000_000, nanosec: 123_456_789 }, frame_id: 'front_left_optical_frame' };

function rosImage(data: Uint8Array | number[], width = 4, height = 2, step = 12): sensor_msgs.msg.Image {
  return { header, height, width, encoding: 'rgb8', is_bigendian: 0, step, data };
}

describe('ros/message_conversion: received messages -> core shapes', () => {
  it('passes a typed-array image through without copying its pixels', () => {
    const pixels = new Uint8Array(24).map((_, i) => i);
    const image = imageFromRos('front_left', rosImage(pixels));
    assert.equal(image.data, pixels);
    assert.equal(image.data.buffer, pixels.buffer);
    assert.deepEqual(image.header, header);
    assert.equal(image.step, 12);
  });

  it('passes a Buffer (a view into a larger allocation) through as the same view', () => {
    const pool = Buffer.alloc(64);
    const view = pool.subarray(8, 32);
    const image = imageFromRos('left', rosImage(view));
    assert.equal(image.data, view);
    assert.equal(image.data.byteOffset, 8);
  });

  it('copies a plain number[] once into a Uint8Array with the same bytes', () => {
    const values = Array.from({ length: 24 }, (_, i) => 255 - i);
    const image = imageFromRos('left', rosImage(values));
    assert.ok(image.data instanceof Uint8Array);
    assert.deepEqual(Array.from(image.data), values);
  });

  it('refuses an image whose buffer is smaller than step * height, naming the camera', () => {
    assert.throws(() => imageFromRos('right', rosImage(new Uint8Array(20))), /camera "right".*needs 24 bytes.*got 20 bytes/);
    assert.throws(() => imageFromRos('right', rosImage(new Uint8Array(24), 4, 2, 3)), /step >= width/);
  });

  it('refuses an invalid stamp before it reaches the synchroniser', () => {
    const msg = { ...rosImage(new Uint8Array(24)), header: { stamp: { sec: 1, nanosec: 1e9 }, frame_id: 'f' } };
    assert.throws(() => imageFromRos('front_left', msg), /nanosec: 1000000000/);
  });

  it('passes compressed data through and refuses an empty one', () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
    const msg: sensor_msgs.msg.CompressedImage = { header, format: 'jpeg', data: jpeg };
    assert.equal(compressedImageFromRos('front_left', msg).data, jpeg);
    assert.throws(() => compressedImageFromRos('front_left', { ...msg, data: new Uint8Array(0) }), /camera "front_left": data is empty/);
  });

  it('keeps CameraInfo arrays by reference and checks their lengths', () => {
    const k = new Float64Array([460, 0, 319.5, 0, 460, 239.5, 0, 0, 1]);
    const msg: sensor_msgs.msg.CameraInfo = {
      header,
      height: 480,
      width: 640,
      distortion_model: 'plumb_bob',
      d: new Float64Array(5),
      k,
      r: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]),
      p: new Float64Array([460, 0, 319.5, 0, 0, 460, 239.5, 0, 0, 0, 1, 0]),
      binning_x: 0,
      binning_y: 0,
      roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
    };
    const info = cameraInfoFromRos('front_left', msg);
    assert.equal(info.k, k);
    assert.equal(info.width, 640);
    assert.throws(
      () => cameraInfoFromRos('front_left', { ...msg, k: new Float64Array(8) }),
      /camera "front_left": k has 8 values; expected 9/,
    );
  });

  it('converts a TFMessage and its stamps', () => {
    const msg: tf2_msgs.msg.TFMessage = {
      transforms: [
        {
          header: { stamp: { sec: 5, nanosec: 7 }, frame_id: 'base_link' },
          child_frame_id: 'front_left_link',
          transform: { translation: { x: 0.25, y: 0.06, z: 0.5 }, rotation: { x: 0, y: 0, z: 0, w: 1 } },
        },
      ],
    };
    const tf = tfMessageFromRos(msg);
    assert.equal(tf.transforms.length, 1);
    assert.equal(tf.transforms[0]!.child_frame_id, 'front_left_link');
    assert.equal(tf.transforms[0]!.transform, msg.transforms[0]!.transform);
    assert.equal(stampNanos(tf.transforms[0]!.header), 5_000_000_007n);
    assert.equal(stampNanos(header), 1_700_000_000_123_456_789n);
  });
});

describe('ros/message_conversion: core outputs -> rclnodejs publish objects', () => {
  it('turns JS integers in uint64 fields into bigint, nested ones included', () => {
    const status = {
      header,
      time_mode: 'target:dx-v3',
      period_ms: 33.3,
      deadline_ms: 100,
      frame_sets_received: 10,
      frame_sets_completed: 9,
      deadline_misses: 1n,
      shed_total: 0,
      shed: [{ reason: 'admission', count: 2 }],
      degradation_level: 'full',
      stages: [],
      predicted_total_ms: 20,
      measured_total_ms: 25,
      latency_ms: 40,
      active_cameras: ['front_left'],
      dropped_messages: 3,
    } as unknown as PipelineStatus;
    const out = conformerFor('dx_perception/msg/PipelineStatus')(status) as PipelineStatus;
    assert.equal(out.frame_sets_received, 10n);
    assert.equal(out.deadline_misses, 1n);
    assert.equal(out.dropped_messages, 3n);
    assert.equal(out.shed[0]!.count, 2n);
    assert.equal(out.header, status.header, 'unchanged sub-objects are shared, not copied');
    assert.equal((status as unknown as { frame_sets_received: unknown }).frame_sets_received, 10, 'the input is not mutated');
  });

  it('returns a message without 64-bit fields as the same object (no copy of cloud data)', () => {
    const cloud: PointCloud2 = {
      header,
      height: 1,
      width: 2,
      fields: [{ name: 'x', offset: 0, datatype: 7, count: 1 }],
      is_bigendian: false,
      point_step: 4,
      row_step: 8,
      data: new Uint8Array(8),
      is_dense: true,
    };
    assert.equal(conformerFor('sensor_msgs/msg/PointCloud2')(cloud), cloud);
    const tracks: TrackedObjectArray = { header, objects: [] };
    assert.equal(conformerFor('dx_perception/msg/TrackedObjectArray')(tracks), tracks);
  });

  it('refuses a fractional value in a uint64 field, naming the field path', () => {
    const conform = conformerFor('dx_perception/msg/PipelineStatus');
    assert.throws(
      () =>
        conform({
          header,
          shed: [{ reason: 'x', count: 1.5 }],
          frame_sets_received: 0n,
          frame_sets_completed: 0n,
          deadline_misses: 0n,
          shed_total: 0n,
          dropped_messages: 0n,
        }),
      /dx_perception\/msg\/PipelineStatus: shed\[0\]\.count = 1\.5; expected an integer for uint64/,
    );
  });

  it('refuses an unknown message type by name', () => {
    assert.throws(() => conformerFor('nope_msgs/msg/Nothing'), /nope_msgs\/msg\/Nothing/);
  });
});
