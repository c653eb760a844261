// Issue 19, item 7: a replay's output bag can be viewed alone. It holds /tf_static with
// base_link -> each camera's optical frame (where the input bag placed them), /tf with
// odom -> base_link when the input has odometry, and the QoS the node's publishers offer.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main';
import { TfBuffer } from '../../src/geometry/tf_buffer';
import { openBag } from '../../src/io/bag_reader';
import type { TFMessage } from '../../src/msgs/types';
import { outputQos, Reliability, Durability, History } from '../../src/ros/qos';
import { sceneBag } from '../support/scene_bags';

const CONFIG = join(__dirname, '../../config');

/** Every /tf and /tf_static message of a bag, in a buffer, and the static ones as sent. */
async function transformsOf(bag: string): Promise<{ tf: TfBuffer; statics: TFMessage[]; dynamic: number }> {
  const reader = await openBag(bag);
  const tf = new TfBuffer();
  const statics: TFMessage[] = [];
  let dynamic = 0;
  try {
    for await (const m of reader.messages({ topics: ['/tf', '/tf_static'].filter((t) => reader.info.topics.some((x) => x.name === t)) })) {
      const msg = m.decode<TFMessage>();
      tf.setTransforms(msg, m.topic === '/tf_static');
      if (m.topic === '/tf_static') statics.push(msg);
      else dynamic++;
    }
  } finally {
    await reader.close();
  }
  return { tf, statics, dynamic };
}

describe('replay output bag: viewable without the input bag', function () {
  this.timeout(300_000);
  let input: string;
  let out: string;

  before(async () => {
    input = await sceneBag('moving_robot', 1);
    out = join(mkdtempSync(join(tmpdir(), 'replay-out-')), 'out');
    const code = await main(['replay', input, '--out', out, '--quiet']);
    assert.equal(code, 0);
  });

  it('has /tf_static with base_link -> every camera optical frame, as the input placed them', async () => {
    const got = await transformsOf(out);
    const want = await transformsOf(input);
    assert.equal(got.statics.length, 1, 'one latched message, as a static broadcaster sends');
    const children = got.statics[0]!.transforms.map((t) => `${t.header.frame_id} -> ${t.child_frame_id}`).sort();
    assert.deepEqual(
      children,
      ['front_left', 'front_right', 'left', 'right'].map((c) => `base_link -> ${c}_optical_frame`),
    );
    for (const t of got.statics[0]!.transforms) {
      const a = got.tf.lookup('base_link', t.child_frame_id);
      const b = want.tf.lookup('base_link', t.child_frame_id);
      for (let i = 0; i < 16; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-9, `${t.child_frame_id} [${i}]: ${a[i]} vs ${b[i]}`);
    }
  });

  it('has odom -> base_link on /tf at every frame set of a moving robot', async () => {
    const reader = await openBag(out);
    const sets = reader.info.topics.find((t) => t.name === '/perception/status')!.count;
    await reader.close();
    const got = await transformsOf(out);
    // The first set may precede the first odometry message (its stamp is its earliest camera's).
    assert.ok(got.dynamic >= sets - 1 && got.dynamic <= sets, `${got.dynamic} odometry messages for ${sets} frame sets`);
    // The tracks are in odom; the bag relates odom to each camera by itself.
    assert.doesNotThrow(() => got.tf.lookup('odom', 'front_left_optical_frame'));
  });

  it('records the QoS the node publishes with (keep last 5, reliable, volatile) on every output topic', async () => {
    const q = outputQos();
    assert.deepEqual([q.history, q.reliability, q.durability], [History.KEEP_LAST, Reliability.RELIABLE, Durability.VOLATILE]);
    const reader = await openBag(out);
    const topics = reader.info.topics;
    await reader.close();
    const meta = parseYaml(readFileSync(join(out, 'metadata.yaml'), 'utf8')) as {
      rosbag2_bagfile_information: {
        topics_with_message_count: Array<{ topic_metadata: { name: string; offered_qos_profiles: Array<Record<string, unknown>> } }>;
      };
    };
    const inMetadata = new Map(
      meta.rosbag2_bagfile_information.topics_with_message_count.map((t) => [t.topic_metadata.name, t.topic_metadata.offered_qos_profiles]),
    );
    assert.ok(topics.length > 5, topics.map((t) => t.name).join(', '));
    for (const t of topics) {
      const expected =
        t.name === '/tf_static'
          ? { history: 'keep_last', depth: 1, reliability: 'reliable', durability: 'transient_local' }
          : { history: 'keep_last', depth: q.depth, reliability: 'reliable', durability: 'volatile' };
      for (const [where, profiles] of [
        ['channel', parseYaml(t.offeredQos ?? '[]')],
        ['metadata.yaml', inMetadata.get(t.name)],
      ] as const) {
        const p = (profiles as Array<Record<string, unknown>>)[0]!;
        assert.deepEqual(
          { history: p.history, depth: p.depth, reliability: p.reliability, durability: p.durability },
          expected,
          `${t.name} (${where})`,
        );
      }
    }
  });

  it('the shipped viewer configurations show topics and frames the output bag has', async () => {
    const reader = await openBag(out);
    const topics = new Set(reader.info.topics.map((t) => t.name));
    await reader.close();
    const layout = readFileSync(join(CONFIG, 'foxglove_layout.json'), 'utf8');
    const rviz = readFileSync(join(CONFIG, 'replay.rviz'), 'utf8');
    const inLayout = [
      ...layout.matchAll(/"(?:imageTopic|topicPath|value)": "(\/[^".]+)/g),
      ...layout.matchAll(/"(\/perception\/[^"]+)": \{/g),
    ].map((m) => m[1]!);
    const inRviz = [...rviz.matchAll(/Value: (\/\S+)/g)].map((m) => m[1]!);
    assert.ok(inLayout.length >= 5 && inRviz.length >= 5, `${inLayout.join(', ')} | ${inRviz.join(', ')}`);
    for (const t of [...inLayout, ...inRviz]) assert.ok(topics.has(t), `${t} is not in the output bag: ${[...topics].join(', ')}`);
    const { tf } = await transformsOf(out);
    assert.match(rviz, /Fixed Frame: base_link/);
    assert.match(layout, /"followTf": "base_link"/);
    assert.doesNotThrow(() => tf.lookup('base_link', 'left_optical_frame'));
  });
});
