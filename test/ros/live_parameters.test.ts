// A parameter change on a running node, with the real pipeline behind the in-memory stand-in of
// rclnodejs: live keys (config_changes.ts) reach the running stages at once, so the tracks keep
// their ids; a key the stages cannot take (the matcher's disparity range) starts a new pipeline.
import { strict as assert } from 'node:assert';
import { openBag, type BagMessage } from '../../src/io/bag_reader';
import { createPerceptionRunner, type ReplayableRunner } from '../../src/core/perception_runner';
import { PerceptionNode } from '../../src/ros/perception_node';
import { sceneBag } from '../support/scene_bags';
import { FakeParameter, fakeRclnodejs, type FakeNode } from './fake_rclnodejs';

const INTEGER = 2;
const DOUBLE = 3;
const PARAMS = `/dx_perception_node:
  ros__parameters:
    cameras: [front_left, front_right]
    depth: { learned_model_path: '' }
    scheduler: { time_mode: target }
`;

interface TrackedObjects {
  objects: Array<{ id: number; state: number }>;
}

describe('ros/PerceptionNode parameter changes with the real pipeline (on a stand-in of rclnodejs)', function () {
  this.timeout(300_000);
  let messages: BagMessage[];

  before(async () => {
    const reader = await openBag(await sceneBag('corridor_crossing', 2));
    messages = [];
    for await (const m of reader.messages()) messages.push(m);
    await reader.close();
  });

  it('takes tracking and scan keys without a restart (tracks keep their ids); depth.num_disparities restarts', async () => {
    const { rcl, nodes } = fakeRclnodejs();
    const runners: ReplayableRunner[] = [];
    const node = await PerceptionNode.start({
      rcl,
      argv: ['--ros-args', '--params-file', '/params.yaml'],
      readFile: () => PARAMS,
      qosCheckPeriodMs: 60_000,
      createRunner: async (config) => {
        const runner = await createPerceptionRunner(config);
        runners.push(runner);
        return runner;
      },
    });
    const fake = nodes[0] as FakeNode;
    const topics = new Set(fake.subscriptions.map((s) => s.topic));
    const sent = (topic: string) => fake.publishers.find((p) => p.topic === topic)!.sent;
    /** Hands the bag's messages from..to to the node's subscriptions, then waits for their sets. */
    const play = async (from: number, to: number) => {
      for (const m of messages.slice(from, to)) {
        const topic = m.topic.replace(/^\/(?!tf)/, '');
        if (topics.has(topic)) fake.subscription(topic).callback(m.decode());
      }
      await runners.at(-1)!.flush();
    };
    const trackIds = (from: number) =>
      new Set(
        (sent('/perception/tracks').slice(from) as TrackedObjects[]).flatMap((t) =>
          t.objects.filter((o) => o.state !== 0).map((o) => o.id),
        ),
      );
    try {
      const half = Math.floor(messages.length / 2);
      await play(0, half);
      const before = trackIds(0);
      assert.ok(before.size > 0, 'confirmed tracks before the change');
      const scans = sent('/perception/scan').length;
      const tracks = sent('/perception/tracks').length;

      for (const [name, type, value] of [
        ['tracking.max_misses', INTEGER, 30n],
        ['scan.range_max', DOUBLE, 8.5],
      ] as const) {
        assert.deepEqual(fake.setParameters([new FakeParameter(name, type, value)])[0], { successful: true, reason: '' });
      }
      await play(half, messages.length);
      assert.equal(runners.length, 1, 'no new pipeline for live keys');
      const after = trackIds(tracks);
      assert.ok(
        [...before].some((id) => after.has(id)),
        `no track confirmed before the change (${[...before]}) goes on after it (${[...after]})`,
      );
      const newScans = sent('/perception/scan').slice(scans) as Array<{ range_max: number }>;
      assert.ok(newScans.length > 0);
      assert.ok(
        newScans.every((s) => s.range_max === 8.5),
        'every scan after the change has the new range_max',
      );

      assert.deepEqual(fake.setParameters([new FakeParameter('depth.num_disparities', INTEGER, 96n)])[0], { successful: true, reason: '' });
      for (let waited = 0; runners.length < 2 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      assert.equal(runners.length, 2, 'a new pipeline for the matcher size');
      assert.ok(fake.log.some((l) => l.message.includes('(depth.num_disparities): restarting the pipeline')));
    } finally {
      await node.shutdown('test');
    }
  });
});
