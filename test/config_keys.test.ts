// No dead configuration keys, and one set of defaults. For every leaf of the configuration schema
// the test makes a valid configuration that differs only in that key and shows that some real
// consumer of the configuration then does something different: a stage's resolved options, the
// topics and QoS the node uses, the rig it builds, or, for keys only the pipeline reads, what the
// pipeline makes of one frame set of a rendered scene bag. Then it checks that the configuration's
// defaults are the stages' own defaults, apart from the keys the configuration picks on purpose.
import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnnxModel } from '../src/inference/onnx_graph_builder';
import { parseConfig } from '../src/config/config';
import { configSchema, type PerceptionConfig } from '../src/config/config_schema';
import { PerceptionPipeline } from '../src/core/perception_pipeline';
import { RigState } from '../src/core/rig_state';
import {
  detectorOptions,
  fusionOptions,
  groundObstacleOptions,
  pointsOptions,
  schedulerOptions,
  stereoOptions,
  synchronizerOptions,
  voxelOptions,
} from '../src/config/stage_options';
import { obstacleOptionsSchema } from '../src/depth/obstacles';
import { pointsOptionsSchema } from '../src/depth/points';
import { voxelOptionsSchema } from '../src/depth/voxel';
import { parseStereoOptions } from '../src/depth/stereo_options';
import { resolveFusionOptions } from '../src/fusion/options';
import { parseDetectorOptions } from '../src/inference/detector_options';
import { parseSchedulerOptions } from '../src/scheduler/scheduler_options';
import { resolveSyncOptions } from '../src/sync/sync_options';
import { advertisedOutputs } from '../src/ros/advertised_outputs';
import { cameraTopics } from '../src/ros/input_topics';
import { OutputPublisher } from '../src/ros/output_publisher';
import { subscriptionQos } from '../src/ros/qos';
import { cameraInfo } from './support/camera_info_fixture';
import { sceneBag } from './support/scene_bags';
import { firstFrameSets } from './support/scene_frame_sets';
import { fullOrReusePlan } from './support/degradation_plans';

type Raw = Record<string, unknown>;

/** The base every variant differs from: defaults, plus a detector path and a rig entry so that
 * the keys behind them (detection.*, rig.*) have something to change. */
const BASE: Raw = {
  detection: { model_path: 'detector.onnx' },
  rig: { front_left: { xyz: [0.2, 0.05, 1.0], rpy: [0, 0, 0] } },
};
const STAGES = [{ name: 'stereo_depth', budgetMs: 10, perCamera: false, resource: 'cpu', units: 1, rungBudgetsMs: {} }];

/** Cheap consumers: what a stage or the node derives from the configuration. */
const PROBES: Record<string, (c: PerceptionConfig) => unknown> = {
  'stereo matcher options': (c) => parseStereoOptions(stereoOptions(c)),
  'fusion options': (c) => resolveFusionOptions(fusionOptions(c)),
  'detector options': (c) => parseDetectorOptions(detectorOptions(c)),
  'scheduler options': (c) => parseSchedulerOptions(schedulerOptions(c, c.scheduler.profile, STAGES)),
  'synchroniser options': (c) => synchronizerOptions(c),
  'advertised outputs': (c) => advertisedOutputs(c),
  'input topics': (c) => cameraTopics(c),
  'subscription QoS': (c) => subscriptionQos('sensor', c.qos),
  'published topics': (c) => {
    const topics: string[] = [];
    new OutputPublisher({
      namespace: c.topics.output_namespace,
      createPublisher: (t) => (topics.push(t), { publish: () => {} }),
    }).advertise(advertisedOutputs(c));
    return topics;
  },
  'rig from configured extrinsics': (c) => {
    const rig = new RigState(c);
    rig.setCameraInfo('front_left', CAMERA_INFO);
    const cam = rig.rig(['front_left'])?.camera('front_left');
    return cam && [...cam.baseFromCamera];
  },
};

const CAMERA_INFO = cameraInfo({
  model: 'plumb_bob',
  K: [460, 0, 320, 0, 460, 240, 0, 0, 1],
  D: [0, 0, 0, 0, 0],
  width: 640,
  height: 480,
  frameId: 'front_left_optical',
});

const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? 'undefined';

/** Every leaf of the parsed configuration, by dotted path (record entries expanded). */
function leaves(node: unknown, prefix = ''): Array<[string, unknown]> {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [[prefix, node]];
  return Object.entries(node).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

function withKey(raw: Raw, path: string, value: unknown): Raw {
  const out: Raw = structuredClone(raw);
  const parts = path.split('.');
  let node = out;
  for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Raw;
  node[parts[parts.length - 1]!] = value;
  return out;
}

/** The schema as users see it (ROS descriptors come from the same JSON schema). */
const JSON_SCHEMA = z.toJSONSchema(configSchema, { io: 'input' });

/** Values of the key's JSON schema enum, when it has one. */
function enumOf(path: string): unknown[] {
  let node = JSON_SCHEMA as { properties?: Record<string, Raw>; additionalProperties?: Raw; enum?: unknown[] } | undefined;
  for (const p of path.split('.')) node = (node?.properties?.[p] ?? node?.additionalProperties) as typeof node;
  return node?.enum ?? [];
}

/** Changes where a generic one would not stay valid (lists) or not show on a short input. */
const VARIANTS: Record<string, unknown> = {
  cameras: ['front_left', 'front_right', 'left'],
  'depth.stereo_pairs': [['left', 'right']],
  'detection.execution_providers': ['cuda', 'cpu'],
  'scheduler.ladder': ['reuse_last_depth'],
  // The bundled side-camera model is the default; '' turns learned depth off.
  'depth.learned_model_path': '',
  // The reused depth is one period (33 ms) old: a limit below that refuses it.
  'scheduler.max_depth_age_ms': 10,
};

/** Candidate other values for a leaf, most natural first; the first valid one is used. */
function candidates(path: string, value: unknown): unknown[] {
  if (path in VARIANTS) return [VARIANTS[path]];
  if (typeof value === 'boolean') return [!value];
  if (typeof value === 'number') return [value * 2, value + 16, value + 1, value / 2, value - 1, 0.5].filter((v) => v !== value);
  if (typeof value === 'string') return [...enumOf(path).filter((e) => e !== value), value === '' ? 'other.onnx' : `${value}2`];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return [value.map((v: number) => v + 0.1)];
  return [];
}

/** A valid configuration that differs from `base` in `path` only. */
function variant(base: Raw, path: string, value: unknown): PerceptionConfig {
  for (const v of candidates(path, value)) {
    try {
      return parseConfig(withKey(base, path, v), `variant of ${path}`);
    } catch {
      // not valid for this key's range; try the next candidate
    }
  }
  throw new Error(`no valid other value found for ${path} = ${show(value)}; add one to VARIANTS`);
}

const plan = fullOrReusePlan;

/** What the pipeline makes of one frame set, and of the next when it reuses that depth. */
async function pipelineProbe(config: PerceptionConfig): Promise<unknown> {
  const { sets, rig } = await firstFrameSets(await sceneBag('corridor_crossing', 1), config, 2);
  const pipeline = await PerceptionPipeline.create(config);
  try {
    const ctx = { rig: rig.rig(config.cameras)!, pairs: rig.pairs };
    const fresh = await pipeline.process(sets[0]!, plan(false), ctx);
    const reused = await pipeline.process(sets[1]!, plan(true), ctx);
    const cloud = fresh.fusion.cloud;
    return { cloudPoints: cloud.width, cloudSum: cloud.data.reduce((s, b) => s + b, 0), reusedDepthAgeMs: reused.depthAgeMs };
  } finally {
    await pipeline.dispose();
  }
}

/** Keys only perception_pipeline.ts reads, so only its output can show them. */
const PIPELINE_ONLY = [
  'depth.learned_model_path',
  'depth.learned_output',
  'depth.point_stride',
  'depth.voxel_size_m',
  'scheduler.max_depth_age_ms',
];

/**
 * Pipeline-only keys run without a detector on the scene's stereo pair, plus a side camera for the
 * learned-depth keys: the bundled model against none for learned_model_path, and a stand-in network
 * (depth from the image's brightness) for learned_output.
 */
function pipelineBase(path: string): Raw {
  const pair = ['front_left', 'front_right'];
  if (path === 'depth.learned_model_path') return { cameras: [...pair, 'left'], depth: { stereo_pairs: [pair] } };
  if (path !== 'depth.learned_output') return { cameras: pair, depth: { stereo_pairs: [pair] } };
  return { cameras: [...pair, 'left'], depth: { stereo_pairs: [pair], learned_model_path: brightnessDepthModel() } };
}

/** A 128x96 "depth" network whose output is the image's mean brightness / 100, written once. */
function brightnessDepthModel(): string {
  const path = join(tmpdir(), 'brightness_depth.onnx');
  if (existsSync(path)) return path;
  writeFileSync(
    path,
    buildOnnxModel({
      name: 'brightness_depth',
      inputs: [{ name: 'image', type: 'float32', shape: [1, 3, 96, 128] }],
      outputs: [{ name: 'depth', type: 'float32', shape: [1, 1, 96, 128] }],
      initializers: [{ name: 'scale', dims: [1], data: new Float32Array([0.01]) }],
      nodes: [
        { op: 'ReduceMean', inputs: ['image'], outputs: ['mean'], attributes: { axes: [1], keepdims: 1 } },
        { op: 'Mul', inputs: ['mean', 'scale'], outputs: ['depth'] },
      ],
    }),
  );
  return path;
}

describe('configuration: every key changes what some stage does', function () {
  this.timeout(300_000);
  const base = parseConfig(BASE);
  const keys = leaves(base);

  it('walks every leaf of the schema, rig entries included', () => {
    const names = keys.map(([k]) => k);
    for (const must of [
      'depth.num_disparities',
      'sync.time_jump_ms',
      'outputs.diagnostics',
      'rig.front_left.xyz',
      'scheduler.max_depth_age_ms',
    ]) {
      assert.ok(names.includes(must), `${must} is walked`);
    }
    assert.ok(names.length > 70, `only ${names.length} leaves`);
  });

  for (const [path, value] of keys) {
    if (PIPELINE_ONLY.includes(path)) {
      it(`${path}: changes what the pipeline makes of a frame set`, async () => {
        const from = pipelineBase(path);
        const [a, b] = [await pipelineProbe(parseConfig(withKey(from, path, value))), await pipelineProbe(variant(from, path, value))];
        assert.notEqual(show(b), show(a), `${path}: the pipeline's output is ${show(a)} for both values (a dead key?)`);
      });
      continue;
    }
    it(`${path}: changes what a stage or the node derives from the configuration`, () => {
      const changed = variant(BASE, path, value);
      const live = Object.keys(PROBES).filter((name) => show(safe(PROBES[name]!, base)) !== show(safe(PROBES[name]!, changed)));
      assert.ok(live.length > 0, `${path} = ${show(value)} -> another value changes no consumer's result (a dead key?)`);
    });
  }
});

/** A probe's value, or its error message (a detector without a model path fails to parse). */
function safe(probe: (c: PerceptionConfig) => unknown, c: PerceptionConfig): unknown {
  try {
    return probe(c);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

describe("configuration: defaults are the stages' own", () => {
  const d = parseConfig(BASE);

  it('stereo matcher and fusion: the mapped defaults are the stage defaults', () => {
    assert.deepEqual(parseStereoOptions(stereoOptions(d)), parseStereoOptions({}));
    assert.deepEqual(resolveFusionOptions(fusionOptions(d)), resolveFusionOptions({}));
  });

  it("obstacle cloud (points, voxels, height band): the mapped defaults are the depth stages' own", () => {
    assert.deepEqual(pointsOptionsSchema.parse(pointsOptions(d)), pointsOptionsSchema.parse({}));
    assert.deepEqual(voxelOptionsSchema.parse(voxelOptions(d)), voxelOptionsSchema.parse({}));
    assert.deepEqual(obstacleOptionsSchema.parse(groundObstacleOptions(d)), obstacleOptionsSchema.parse({}));
  });

  it("synchroniser: the mapped defaults are the synchroniser's own (dropout, slop, time jump)", () => {
    assert.deepEqual(resolveSyncOptions(synchronizerOptions(d)), resolveSyncOptions({ cameras: d.cameras }));
    // A rig smaller than the default min_cameras uses all its cameras, both ways.
    const one = parseConfig({ cameras: ['front_left'], depth: { stereo_pairs: [] } });
    assert.deepEqual(resolveSyncOptions(synchronizerOptions(one)), resolveSyncOptions({ cameras: ['front_left'] }));
  });

  it("detector: only the score threshold (a per-model preset in the stage) is the configuration's pick", () => {
    const mapped: Raw = parseDetectorOptions(detectorOptions(d));
    const own: Raw = parseDetectorOptions({ modelPath: 'detector.onnx' });
    const differing = Object.keys({ ...mapped, ...own }).filter((k) => show(mapped[k]) !== show(own[k]));
    assert.deepEqual(differing, ['scoreThreshold']);
  });

  it("scheduler: only the deadline (one period in the stage) is the configuration's pick", () => {
    const mapped: Raw = parseSchedulerOptions(schedulerOptions(d, 'dx-v3', STAGES));
    const own: Raw = parseSchedulerOptions({ cameras: d.cameras, stages: STAGES, admissionMarginMs: 5 });
    const differing = Object.keys({ ...mapped, ...own }).filter((k) => show(mapped[k]) !== show(own[k]));
    assert.deepEqual(differing, ['deadlineMs']);
  });
});
