// The scene bag: the topics a robot's bag would have plus ground truth, read back with the
// project's bag reader and compared with the in-memory simulator.
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBag } from '../../src/io/bag_reader';
import type { Detection2DArray, Image, TFMessage, TrackedObjectArray } from '../../src/msgs/types';
import { SceneSimulator } from '../../src/sim/scene_simulator';
import { writeSceneBag } from '../../src/sim/write_scene_bag';
import { variant } from './scene_variants';

describe('sim scene bag', function () {
  this.timeout(60_000);
  const scene = variant('moving_robot', {
    duration: 0.4,
    stamps: { drops: [{ camera: 'front_right', frame: 3 }], stops: [{ camera: 'left', at: 0.3 }] },
  });
  const frames = 12;
  let bagDir: string;
  const progress: number[] = [];

  before(async () => {
    bagDir = join(mkdtempSync(join(tmpdir(), 'sim-bag-')), 'scene');
    const summary = await writeSceneBag(scene, bagDir, { depth: true, workers: 1, onProgress: (done) => progress.push(done) });
    assert.equal(summary.frames, frames);
  });

  it('holds every topic with one message per present camera frame', async () => {
    const bag = await openBag(bagDir);
    try {
      const counts = Object.fromEntries(bag.info.topics.map((t) => [t.name, t.count]));
      const types = Object.fromEntries(bag.info.topics.map((t) => [t.name, t.type]));
      // left stops at 0.3 s (frames 9..11 missing); front_right drops frame 3.
      const perCamera: Record<string, number> = { front_left: frames, front_right: frames - 1, left: 9, right: frames };
      const expected: Record<string, number> = { '/tf_static': 1, '/tf': frames, '/clock': frames, '/ground_truth/objects': frames };
      for (const [cam, n] of Object.entries(perCamera)) {
        for (const t of ['image_raw', 'camera_info', 'ground_truth/detections', 'ground_truth/depth']) expected[`/${cam}/${t}`] = n;
      }
      assert.deepEqual(counts, expected);
      assert.equal(types['/front_left/image_raw'], 'sensor_msgs/msg/Image');
      assert.equal(types['/ground_truth/objects'], 'dx_perception/msg/TrackedObjectArray');
      assert.equal(types['/left/ground_truth/detections'], 'vision_msgs/msg/Detection2DArray');
      assert.equal(types['/tf'], 'tf2_msgs/msg/TFMessage');
      assert.deepEqual(
        progress,
        Array.from({ length: frames }, (_, i) => i + 1),
      );
    } finally {
      await bag.close();
    }
  });

  it('carries the simulator frames bit for bit, with the camera tree on /tf_static', async () => {
    const sim = new SceneSimulator(scene);
    const frame = sim.renderFrame(5);
    const bag = await openBag(bagDir);
    try {
      let checked = 0;
      for await (const m of bag.messages()) {
        if (m.topic === '/tf_static') {
          const tf = m.decode<TFMessage>();
          const edges = tf.transforms.map((t) => `${t.header.frame_id}>${t.child_frame_id}`).sort();
          assert.equal(edges.length, 8);
          assert.ok(edges.includes('base_link>left_link') && edges.includes('left_link>left_optical_frame'));
          checked++;
        }
        if (m.topic === '/front_left/image_raw' && m.logTime === frame.stamps.get('front_left')) {
          const img = m.decode<Image>();
          assert.equal(img.encoding, 'bgr8');
          assert.ok(Buffer.from(img.data).equals(Buffer.from(frame.images.get('front_left')!.data)));
          checked++;
        }
        if (m.topic === '/right/ground_truth/depth' && m.logTime === frame.stamps.get('right')) {
          const img = m.decode<Image>();
          assert.equal(img.encoding, '32FC1');
          const depth = frame.depth.get('right')!;
          assert.ok(Buffer.from(img.data).equals(Buffer.from(depth.buffer, depth.byteOffset, depth.byteLength)));
          checked++;
        }
        if (m.topic === '/front_left/ground_truth/detections' && m.logTime === frame.stamps.get('front_left')) {
          const det = m.decode<Detection2DArray>();
          const visible = frame.boxes.get('front_left')!.filter((b) => b.visiblePixels > 0);
          assert.deepEqual(
            det.detections.map((d) => d.id),
            visible.map((b) => String(b.id)),
          );
          assert.deepEqual(
            det.detections.map((d) => d.results[0].hypothesis.score),
            visible.map((b) => b.visibility),
          );
          checked++;
        }
        if (m.topic === '/ground_truth/objects' && m.logTime === frame.stamp) {
          const gt = m.decode<TrackedObjectArray>();
          assert.equal(gt.header.frame_id, 'base_link');
          assert.deepEqual(
            gt.objects.map((o) => [o.id, o.class_id]),
            frame.objects.map((o) => [o.id, o.className]),
          );
          const o = gt.objects[gt.objects.length - 1];
          assert.ok(Math.abs(o.pose.pose.position.x - frame.objects[gt.objects.length - 1].center[0]) < 1e-9);
          assert.ok(Math.abs(o.velocity.twist.linear.x - frame.objects[gt.objects.length - 1].velocity[0]) < 1e-9);
          checked++;
        }
      }
      assert.equal(checked, 5);
    } finally {
      await bag.close();
    }
  });
});
