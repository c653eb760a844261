// The node's parameter wiring on the in-memory stand-in of rclnodejs (fake_rclnodejs.ts): the
// descriptors it declares come from the stage schemas, and `ros2 param set` goes through the
// same pre-set / on-set / post-set callbacks rclnodejs calls, so a refusal reaches the caller
// with its reason and the running pipeline is left alone.
import { strict as assert } from 'node:assert';
import type { PerceptionConfig } from '../../src/config/config_schema';
import type { PerceptionRunner } from '../../src/core/runner_api';
import { PerceptionNode } from '../../src/ros/perception_node';
import { FakeParameter, FakeRange, fakeRclnodejs, type FakeNode } from './fake_rclnodejs';

const INTEGER = 2;
const DOUBLE = 3;

/** Starts a node whose runners only record the configurations they were built for and retuned to. */
async function startNode(): Promise<{ node: PerceptionNode; fake: FakeNode; configs: PerceptionConfig[]; retuned: PerceptionConfig[] }> {
  const { rcl, nodes } = fakeRclnodejs();
  const configs: PerceptionConfig[] = [];
  const retuned: PerceptionConfig[] = [];
  const node = await PerceptionNode.start({
    rcl,
    qosCheckPeriodMs: 60_000,
    createRunner: (config): PerceptionRunner => {
      configs.push(config);
      return {
        handleImage: () => {},
        handleCameraInfo: () => {},
        handleTf: () => {},
        tick: () => {},
        onResult: () => {},
        onWarning: () => {},
        retune: (c) => void retuned.push(c),
        inputDrops: () => [],
        close: async () => {},
      };
    },
  });
  return { node, fake: nodes[0]!, configs, retuned };
}

/** What `ros2 param set <node> <name> <value>` does: one setParameters call. */
function paramSet(fake: FakeNode, name: string, type: number, value: unknown): { successful: boolean; reason: string } {
  return fake.setParameters([new FakeParameter(name, type, value)])[0]!;
}

describe('ros/node parameters (on a stand-in of rclnodejs)', () => {
  it("declares depth.num_disparities with the matcher's range and step 16", async () => {
    const { node, fake } = await startNode();
    const d = fake.descriptors.get('depth.num_disparities');
    assert.ok(d, 'depth.num_disparities is declared');
    assert.deepEqual(d.range, new FakeRange(16n, 512n, 16n));
    assert.match(d.additionalConstraints, /a multiple of 16/);
    assert.equal(d.readOnly, false);
    await node.shutdown('test');
  });

  it('refuses `ros2 param set depth.num_disparities 24` with the reason, and keeps the pipeline and the value', async () => {
    const { node, fake, configs } = await startNode();
    const result = paramSet(fake, 'depth.num_disparities', INTEGER, 24n);
    assert.equal(result.successful, false);
    assert.match(result.reason, /depth\.num_disparities = 24: .*multiple of 16/);
    assert.equal(fake.getParameter('depth.num_disparities').value, 64n);
    assert.equal(configs.length, 1, 'no restart was attempted');
    assert.ok(fake.log.some((l) => l.level === 'warn' && /refused parameter change: [^]*depth\.num_disparities = 24/.test(l.message)));
    await node.shutdown('test');
  });

  it('accepts `ros2 param set depth.num_disparities 96` and restarts the pipeline with it', async () => {
    const { node, fake, configs } = await startNode();
    const result = paramSet(fake, 'depth.num_disparities', INTEGER, 96n);
    assert.deepEqual(result, { successful: true, reason: '' });
    assert.equal(fake.getParameter('depth.num_disparities').value, 96n);
    await new Promise((r) => setImmediate(r));
    assert.equal(configs.length, 2);
    assert.equal(configs[1]!.depth.num_disparities, 96);
    await node.shutdown('test');
  });

  it('hands a live key (tracking.max_misses) to the running pipeline without a restart', async () => {
    const { node, fake, configs, retuned } = await startNode();
    assert.deepEqual(paramSet(fake, 'tracking.max_misses', INTEGER, 20n), { successful: true, reason: '' });
    await new Promise((r) => setImmediate(r));
    assert.equal(configs.length, 1, 'no new pipeline');
    assert.equal(retuned.length, 1);
    assert.equal(retuned[0]!.tracking.max_misses, 20);
    assert.ok(fake.log.some((l) => l.message === 'parameters changed (tracking.max_misses): applied to the running pipeline'));
    // A heavy key next: a new pipeline, which also carries the live value set before.
    assert.deepEqual(paramSet(fake, 'depth.num_disparities', INTEGER, 96n), { successful: true, reason: '' });
    await new Promise((r) => setImmediate(r));
    assert.equal(configs.length, 2);
    assert.equal(retuned.length, 1);
    assert.equal(configs[1]!.tracking.max_misses, 20);
    await node.shutdown('test');
  });

  it('restarts the pipeline for scheduler.rate_hz and ticks it at the new rate', async () => {
    const { node, fake, configs } = await startNode();
    assert.deepEqual(
      fake.timers.map((t) => t.periodNs),
      [33_333_333n],
    );
    assert.deepEqual(paramSet(fake, 'scheduler.rate_hz', DOUBLE, 10), { successful: true, reason: '' });
    await new Promise((r) => setImmediate(r));
    assert.equal(configs.length, 2);
    assert.deepEqual(
      fake.timers.map((t) => t.periodNs),
      [100_000_000n],
    );
    await node.shutdown('test');
  });

  it("refuses a tracker value outside the stage's range, naming the key", async () => {
    const { node, fake } = await startNode();
    const result = paramSet(fake, 'tracking.gate_mahalanobis', DOUBLE, 0.5);
    assert.equal(result.successful, false);
    assert.match(result.reason, /tracking\.gate_mahalanobis = 0\.5: .*>=\s*1/);
    await node.shutdown('test');
  });
});
