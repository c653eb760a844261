// PerceptionNode's own behaviour on an in-memory stand-in of rclnodejs (test/ros/fake_rclnodejs):
// launch arguments take effect, every output topic is advertised at start, a clock/stamp
// disagreement is one warning naming use_sim_time, shutdown logs the drop summary; as a lifecycle
// node, configure fails on a missing model or a model that does not load, and only an active node publishes.
import { strict as assert } from 'node:assert';
import type { Nanos } from '../../src/msgs/time';
import type { PerceptionConfig } from '../../src/config/config_schema';
import type { InputDropCount, PerceptionRunner } from '../../src/core/runner_api';
import type { PipelineResult } from '../../src/core/result';
import { PerceptionNode } from '../../src/ros/perception_node';
import { fakeRclnodejs, type FakeLifecycleNode, type FakeNode } from './fake_rclnodejs';

class RecordingRunner implements PerceptionRunner {
  readonly images: string[] = [];
  readonly ticks: Nanos[] = [];
  readonly results: Array<(r: PipelineResult) => void> = [];
  closed = false;
  constructor(
    readonly config: PerceptionConfig,
    readonly drops: InputDropCount[],
  ) {}
  handleImage(camera: string): void {
    this.images.push(camera);
  }
  handleCameraInfo(): void {}
  handleTf(): void {}
  tick(now: Nanos): void {
    this.ticks.push(now);
  }
  onResult(cb: (r: PipelineResult) => void): void {
    this.results.push(cb);
  }
  onWarning(): void {}
  retune(): void {}
  inputDrops(): InputDropCount[] {
    return this.drops;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const S = 1_000_000_000n;
/** Wall time of the run; the bag's stamps are about three years older. */
const WALL = 1_765_000_000n * S;
const BAG = 1_670_000_000n * S;

function rosImage(stamp: Nanos): object {
  const sec = Number(stamp / S);
  return {
    header: { stamp: { sec, nanosec: Number(stamp % S) }, frame_id: 'cam' },
    height: 2,
    width: 2,
    encoding: 'mono8',
    is_bigendian: 0,
    step: 2,
    data: new Uint8Array(4),
  };
}

async function startNode(argv: string[], files: Record<string, string> = {}, drops: InputDropCount[] = []) {
  const { rcl, nodes } = fakeRclnodejs();
  const runners: RecordingRunner[] = [];
  const node = await PerceptionNode.start({
    rcl,
    argv,
    readFile: (p) => files[p] ?? '',
    qosCheckPeriodMs: 60_000,
    createRunner: (config) => {
      const r = new RecordingRunner(config, drops);
      runners.push(r);
      return r;
    },
  });
  return { node, fake: nodes[0] as FakeNode, runners };
}

const LAUNCH_DICT = '/dx_perception_node:\n  ros__parameters:\n    cameras: [front_left, front_right]\n    use_sim_time: true\n';
const LAUNCH_ARGV = ['node', 'main.js', '--ros-args', '-r', '__node:=dx_perception_node', '--params-file', '/tmp/launch_params_1'];

describe('ros/PerceptionNode (on a stand-in of rclnodejs)', () => {
  it('applies what launch_ros writes: use_sim_time and the camera subset', async () => {
    const { node, fake, runners } = await startNode(LAUNCH_ARGV, { '/tmp/launch_params_1': LAUNCH_DICT });
    assert.equal(fake.getParameter('use_sim_time').value, true);
    assert.deepEqual(fake.getParameter('cameras').value, ['front_left', 'front_right']);
    assert.deepEqual(runners[0]!.config.cameras, ['front_left', 'front_right']);
    assert.deepEqual(
      fake.subscriptions.map((s) => s.topic).filter((t) => t.endsWith('image_raw')),
      ['front_left/image_raw', 'front_right/image_raw'],
    );
    await node.shutdown('test');
  });

  it('advertises every output topic at start, depth and disparity included', async () => {
    const { node, fake, runners } = await startNode(['--ros-args', '-p', 'cameras:=[front_left, front_right, left]']);
    assert.equal(runners[0]!.results.length, 1, 'no result has been published yet');
    const advertised = fake.publishers.map((p) => `${p.topic} ${p.type}`).sort();
    assert.deepEqual(advertised, [
      '/diagnostics diagnostic_msgs/msg/DiagnosticArray',
      '/perception/front_left/depth sensor_msgs/msg/Image',
      '/perception/front_left/depth/camera_info sensor_msgs/msg/CameraInfo',
      '/perception/front_left_front_right/disparity stereo_msgs/msg/DisparityImage',
      // The side camera's depth comes from the bundled learned model.
      '/perception/left/depth sensor_msgs/msg/Image',
      '/perception/left/depth/camera_info sensor_msgs/msg/CameraInfo',
      '/perception/markers visualization_msgs/msg/MarkerArray',
      '/perception/objects vision_msgs/msg/Detection3DArray',
      '/perception/obstacles sensor_msgs/msg/PointCloud2',
      '/perception/scan sensor_msgs/msg/LaserScan',
      '/perception/status dx_perception/msg/PipelineStatus',
      '/perception/tracks dx_perception/msg/TrackedObjectArray',
    ]);
    await node.shutdown('test');
  });

  it("warns once, naming use_sim_time, when stamps and the node clock are years apart, and ticks on the stamps' timeline", async () => {
    const { node, fake, runners } = await startNode([]);
    const image = fake.subscription('front_left/image_raw');
    for (let k = 0n; k < 100n; k++) {
      fake.nowNs = WALL + k * 33_000_000n;
      image.callback(rosImage(BAG + k * 33_000_000n));
    }
    const clockWarnings = fake.log.filter((l) => l.level === 'warn' && l.message.includes('use_sim_time'));
    assert.equal(clockWarnings.length, 1, fake.log.map((l) => l.message).join('\n'));
    assert.match(
      clockWarnings[0]!.message,
      /stamps on front_left\/image_raw are 9500000\d\.\d s \(1099\.5 days\) behind the node clock; use_sim_time is false: .* use_sim_time:=true;/,
    );
    assert.equal(runners[0]!.images.length, 100, 'the images still reach the pipeline');
    fake.timers[0]!.callback();
    const tick = runners[0]!.ticks.at(-1)!;
    assert.ok(tick > BAG + 3n * S && tick < BAG + 4n * S, `tick at ${tick} ns is not on the bag's timeline`);
    await node.shutdown('test');
  });

  it("logs the drop summary at shutdown: its own drops and the synchroniser's, by reason", async () => {
    const { node, fake, runners } = await startNode([], {}, [{ camera: 'left', reason: 'no_camera_info', count: 3 }]);
    const image = fake.subscription('right/image_raw');
    for (let i = 0; i < 5; i++) image.callback({ ...rosImage(WALL), data: new Uint8Array(1) }); // too short for 2x2
    assert.equal(fake.log.filter((l) => l.message.startsWith('dropping input on right/image_raw')).length, 1, 'warned once');
    await node.shutdown('SIGINT');
    assert.ok(runners[0]!.closed);
    const lines = fake.log.filter((l) => l.level === 'info').map((l) => l.message);
    assert.ok(lines.includes('dropped 5 input message(s) on right/image_raw: unconvertible'), lines.join('\n'));
    assert.ok(lines.includes('synchroniser dropped 3 image(s) of camera left: no_camera_info'), lines.join('\n'));
    assert.ok(fake.destroyed);
  });
});

describe('ros/PerceptionNode as a lifecycle node (on a stand-in of rclnodejs)', () => {
  const settle = () => new Promise((r) => setImmediate(r));
  const diagnosticsResult = (seq: number): PipelineResult => ({
    seq,
    stamp: WALL,
    decision: 'completed',
    rung: 'full',
    outputs: [
      {
        topic: '/diagnostics',
        type: 'diagnostic_msgs/msg/DiagnosticArray',
        msg: { header: { stamp: { sec: Number(WALL / S), nanosec: 0 }, frame_id: '' }, status: [] },
      },
    ],
  });

  async function startLifecycle(argv: string[], createRunner: (c: PerceptionConfig) => PerceptionRunner | Promise<PerceptionRunner>) {
    const { rcl, nodes } = fakeRclnodejs();
    const node = await PerceptionNode.start({ rcl, argv, lifecycle: true, qosCheckPeriodMs: 60_000, createRunner });
    return { node, fake: nodes[0] as FakeLifecycleNode };
  }

  it('refuses configure when a model file is missing, naming the key, and creates no pipeline', async () => {
    let created = 0;
    const { node, fake } = await startLifecycle(['--ros-args', '-p', 'detection.model_path:=/nonexistent/detector.onnx'], (c) => {
      created++;
      return new RecordingRunner(c, []);
    });
    assert.equal(fake.configure(), 1, 'FAILURE');
    assert.equal(fake.state, 'unconfigured');
    assert.equal(created, 0);
    const errors = fake.log.filter((l) => l.level === 'error').map((l) => l.message);
    assert.ok(
      errors.some((m) => m.includes('detection.model_path = "/nonexistent/detector.onnx": no such file')),
      errors.join('\n'),
    );
    await node.shutdown('test');
  });

  it('goes back to unconfigured, with the reason, when the models fail to load after configure', async () => {
    const { node, fake } = await startLifecycle([], async () => {
      throw new Error('model "detection.model_path = x.onnx": protobuf parsing failed');
    });
    assert.equal(fake.configure(), 0, 'the files are there: SUCCESS until the load fails');
    fake.activate();
    await settle();
    assert.equal(fake.state, 'unconfigured');
    assert.deepEqual(fake.subscriptions, [], 'deactivated: nothing subscribed');
    const errors = fake.log.filter((l) => l.level === 'error').map((l) => l.message);
    assert.ok(
      errors.some((m) => m.startsWith('pipeline failed to start, back to unconfigured: model "detection.model_path')),
      errors.join('\n'),
    );
    await node.shutdown('test');
  });

  it('publishes only while active: deactivate unsubscribes and stops results of sets still in flight', async () => {
    const runners: RecordingRunner[] = [];
    const { node, fake } = await startLifecycle([], (c) => {
      const r = new RecordingRunner(c, []);
      runners.push(r);
      return r;
    });
    fake.configure();
    await settle();
    assert.deepEqual(fake.subscriptions, [], 'configured, not active: nothing subscribed');
    fake.activate();
    assert.ok(fake.subscriptions.length > 0);
    const diagnostics = fake.publishers.find((p) => p.topic === '/diagnostics')!;
    const publish = (r: PipelineResult) => runners[0]!.results.forEach((cb) => cb(r));
    publish(diagnosticsResult(1));
    assert.equal(diagnostics.sent.length, 1);
    fake.deactivate();
    assert.deepEqual(fake.subscriptions, []);
    publish(diagnosticsResult(2));
    assert.equal(diagnostics.sent.length, 1, 'nothing published while inactive');
    fake.activate();
    publish(diagnosticsResult(3));
    assert.equal(diagnostics.sent.length, 2);
    await node.shutdown('test');
  });
});
