// `dx-perception demo`: a new user's first minute. Renders a synthetic 4-camera scene to a bag
// (or takes a bag), replays it through the full pipeline in DX-V3 target time, scores it against
// the scene's ground truth, and writes an output MCAP and a visual HTML report.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Detection } from '../inference/detection';
import { openBag } from '../io/bag_reader';
import type { Raster } from '../io/raster';
import type { PerceptionConfig } from '../config/config_schema';
import { replayBag } from '../replay/replay';
import { renderHtmlReport } from '../report/html';
import { outputOf, outputsOf } from '../core/result';
import { loadScene, writeSceneBag } from '../sim';
import { SceneEvaluator } from '../sim/scene_evaluation';
import { DemoRecorder } from './demo_recorder';
import { reportData } from './demo_report';
import { negativeMotaLine, scoreTable } from './demo_table';
import {
  addModelOption,
  addPipelineOptions,
  configFromOptions,
  formatTable,
  frameSetProgress,
  modelDefaults,
  progressLine,
  type PipelineCliOptions,
} from './cli_options';

interface DemoCliOptions extends PipelineCliOptions {
  scene: string;
  duration: string;
  bag?: string;
  model?: string;
  out: string;
}

export function registerDemoCommand(program: Command): void {
  addPipelineOptions(
    addModelOption(
      program
        .command('demo')
        .description('render a synthetic 4-camera scene, run the whole pipeline on it, score it against ground truth and write a report')
        .option('--scene <name|file>', 'built-in scene name or scene YAML file', 'corridor_crossing')
        .option('--duration <s>', 'seconds of the scene to render', '6')
        .option('--bag <dir>', 'replay this scene bag instead of rendering one')
        .option('--out <dir>', 'output folder', 'out/demo'),
    ),
  ).action(async (o: DemoCliOptions) => {
    const inputs = await demoInputs(o);
    const out = resolve(o.out);
    // Everything is written to a fresh folder beside `out` and moved in only when the run has
    // succeeded, so a failed or interrupted demo leaves the previous outputs as they were.
    mkdirSync(dirname(out), { recursive: true });
    const staging = mkdtempSync(join(dirname(out), `.${basename(out)}-partial-`));
    try {
      const written = await runDemo(o, inputs, staging, out);
      mkdirSync(out, { recursive: true });
      for (const name of written) {
        rmSync(join(out, name), { recursive: true, force: true });
        renameSync(join(staging, name), join(out, name));
      }
      const bag = inputs.bag ?? join(out, SCENE_BAG);
      process.stdout.write(
        `\nreport:      ${join(out, REPORT)}\nperception:  ${join(out, PERCEPTION_BAG)} (MCAP: open in Foxglove, or ros2 bag play)\nscene bag:   ${bag}\n`,
      );
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });
}

const SCENE_BAG = 'scene_bag';
const PERCEPTION_BAG = 'perception_bag';
const REPORT = 'report.html';

interface DemoInputs {
  config: PerceptionConfig;
  /** The bag to replay (--bag), or undefined to render the scene. */
  bag?: string;
  duration: number;
}

/** Checks every input before anything is written; each error names its flag. */
async function demoInputs(o: DemoCliOptions): Promise<DemoInputs> {
  const duration = Number(o.duration);
  if (!(Number.isFinite(duration) && duration > 0)) {
    throw new Error(`--duration must be a positive number of seconds; got "${o.duration}"`);
  }
  const config = configFromOptions(o, modelDefaults(o.model));
  if (o.bag === undefined) {
    loadScene(o.scene);
    return { config, duration };
  }
  const bag = resolve(o.bag);
  try {
    await (await openBag(bag)).close();
  } catch (err) {
    throw new Error(`--bag ${o.bag}: ${(err as Error).message}`);
  }
  return { config, bag, duration };
}

/**
 * Renders (unless --bag), replays, scores and reports into `dir`; returns the names written.
 * `finalDir` is where they will be moved: the report names the bag there, not in staging.
 */
async function runDemo(
  o: DemoCliOptions,
  { config, bag: inputBag, duration }: DemoInputs,
  dir: string,
  finalDir: string,
): Promise<string[]> {
  const written = [PERCEPTION_BAG, REPORT];
  let bag = inputBag;
  if (!bag) {
    bag = join(dir, SCENE_BAG);
    written.push(SCENE_BAG);
    process.stderr.write(`demo: rendering ${duration} s of scene "${o.scene}" (4 cameras, ground truth)\n`);
    const progress = progressLine('render', 'frames');
    await writeSceneBag({ ...loadScene(o.scene), duration }, bag, { depth: true, onProgress: (d, t) => progress(d, t) });
  }
  const evaluator = new SceneEvaluator(bag, config.depth.stereo_pairs.flat());
  const recorder = new DemoRecorder();
  const processed = new Map<
    bigint,
    { images: Map<string, Raster>; detections: Map<string, Detection[]>; timings: Record<string, number> }
  >();
  process.stderr.write(`demo: replaying through the pipeline (${config.scheduler.time_mode} time, ${config.scheduler.profile})\n`);
  const progress = await frameSetProgress(bag, [], 'replay');
  const summary = await replayBag(bag, {
    config,
    outBag: join(dir, PERCEPTION_BAG),
    onProcessed: (set, frame) => processed.set(set.stamp, { images: frame.images, detections: frame.detections, timings: frame.timings }),
    onResult: (r) => {
      progress?.();
      const p = processed.get(r.stamp);
      processed.delete(r.stamp);
      recorder.add(r, p?.images, p?.detections, p?.timings);
      if (r.decision !== 'completed') return;
      const tracks = outputOf(r, 'dx_perception/msg/TrackedObjectArray')?.objects ?? [];
      const depth = new Map(
        outputsOf(r, 'sensor_msgs/msg/Image')
          .filter((x) => x.topic.endsWith('/depth'))
          .map((x) => [x.topic.slice(0, -'/depth'.length), new Float32Array(x.msg.data.slice().buffer)]),
      );
      const points = tracks.map((t) => ({
        id: t.id,
        state: t.state,
        position: [t.pose.pose.position.x, t.pose.pose.position.y, t.pose.pose.position.z],
      }));
      evaluator.add(r.stamp, points, depth, p?.detections ?? new Map());
    },
  });
  const scores = await evaluator.score();
  const rows = scoreTable(scores, recorder, config, summary.results);
  const run = {
    scene: o.bag ? o.bag : o.scene,
    bag,
    shownBag: inputBag ?? join(finalDir, SCENE_BAG),
    model: o.model,
    durationSec: summary.durationSec,
  };
  // The report adds the per-camera rows (it knows the cameras' fields of view); the terminal shows the same table.
  const data = await reportData(recorder, rows, scores, config, run, evaluator);
  const verdict = (pass: boolean | undefined) => (pass === undefined ? '' : pass ? 'pass' : 'FAIL');
  process.stdout.write(
    `\n${formatTable(
      ['metric', 'value', 'target', 'result'],
      data.table.map((r) => [r.metric, r.value, r.target, verdict(r.pass)]),
    ).join('\n')}\n`,
  );
  const mota = negativeMotaLine(scores);
  if (mota) process.stdout.write(`${mota}\n`);
  writeFileSync(join(dir, REPORT), renderHtmlReport(data));
  return written;
}
