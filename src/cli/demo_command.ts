// `dx-perception demo`: a new user's first minute. Renders a synthetic 4-camera scene to a bag
// (or takes a bag), replays it through the full pipeline in DX-V3 target time, scores it against
// the scene's ground truth, and writes an output MCAP and a visual HTML report.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Detection } from '../inference/detection';
import { openBag } from '../io/bag_reader';
import type { Raster } from '../io/raster';
import type { LaserScan, TrackedObjectArray } from '../msgs/types';
import type { PerceptionConfig } from '../pipeline/config_schema';
import { replayBag } from '../pipeline/replay';
import { renderHtmlReport, type ReportData, type ReportTrack } from '../pipeline/report_html';
import { outputOf, outputsOf, type PipelineResult } from '../pipeline/result';
import { cloudXyz } from '../pipeline/frame_summary';
import { loadScene, writeSceneBag } from '../sim';
import { SceneEvaluator, type SceneScores } from '../sim/scene_evaluation';
import { addModelOption, addPipelineOptions, configFromOptions, formatTable, frameSetProgress, modelDefaults, progressLine, type PipelineCliOptions } from './cli_options';

interface DemoCliOptions extends PipelineCliOptions {
  scene: string;
  duration: string;
  bag?: string;
  model?: string;
  out: string;
}

const pct = (values: number[], q: number) => (values.length ? [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] : NaN);
const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** What the demo keeps of a replay: per-frame stage times, tracks for trails, one frame to show. */
class DemoRecorder {
  readonly stageMs = new Map<string, number[]>();
  readonly frames: Array<{ stageMs: Record<string, number>; shed: boolean }> = [];
  readonly trails = new Map<number, Array<[number, number]>>();
  readonly profiled = new Map<string, number>();
  shown: { stamp: bigint; images: Map<string, Raster>; detections: Map<string, Detection[]>; tracks: TrackedObjectArray['objects']; cloud: Float32Array; scan: LaserScan | undefined; score: number } | undefined;
  shed = 0;
  misses = 0n;

  add(r: PipelineResult, images: Map<string, Raster> | undefined, detections: Map<string, Detection[]> | undefined, timings: Record<string, number> | undefined): void {
    const status = outputOf(r, 'dx_perception/msg/PipelineStatus');
    if (status) {
      this.misses = status.deadline_misses;
      for (const s of status.stages) this.profiled.set(s.name, s.budget_ms);
    }
    if (r.decision === 'shed') {
      this.shed++;
      this.frames.push({ stageMs: {}, shed: true });
      return;
    }
    this.frames.push({ stageMs: timings ?? {}, shed: false });
    for (const [k, v] of Object.entries(timings ?? {})) this.stageMs.set(k, [...(this.stageMs.get(k) ?? []), v]);
    const tracks = outputOf(r, 'dx_perception/msg/TrackedObjectArray')?.objects ?? [];
    for (const t of tracks) {
      const p = t.pose.pose.position;
      this.trails.set(t.id, [...(this.trails.get(t.id) ?? []), [p.x, p.y]]);
    }
    // Show the frame with the most tracks and detections, preferring later frames (tracks confirmed).
    const score = tracks.length * 10 + [...(detections?.values() ?? [])].reduce((n, d) => n + d.length, 0);
    if (images && (!this.shown || score >= this.shown.score)) {
      const cloud = outputOf(r, 'sensor_msgs/msg/PointCloud2');
      const scan = outputOf(r, 'sensor_msgs/msg/LaserScan');
      this.shown = { stamp: r.stamp, images, detections: detections ?? new Map(), tracks, cloud: cloud ? cloudXyz(cloud) : new Float32Array(), scan, score };
    }
  }
}

function scoreTable(scores: SceneScores, rec: DemoRecorder, config: PerceptionConfig, sets: number): Array<{ metric: string; value: string; target: string }> {
  const rows: Array<{ metric: string; value: string; target: string }> = [];
  if (scores.depth) {
    rows.push({ metric: 'stereo depth error (median, valid px, GT < 10 m)', value: `${f(scores.depth.medianRelErrorPct, 2)} %`, target: '< 3 %' });
    rows.push({ metric: 'stereo depth density (GT < 10 m)', value: `${f(100 * scores.depth.density)} %`, target: '' });
  }
  const o = scores.objects;
  rows.push({ metric: '3D object position error (median)', value: `${f(o.medianErrorM, 2)} m = ${f(o.medianErrorPctOfRange, 1)} % of range`, target: '< 5 % of range' });
  rows.push({ metric: 'visible objects within 10 m with a track', value: `${o.matched}/${o.total} (${f((100 * o.matched) / Math.max(1, o.total))} %)`, target: '' });
  rows.push({
    metric: 'detection recall (IoU >= 0.5, >= 50 % visible)',
    value: scores.detection ? `${f(100 * scores.detection.recall)} % (${scores.detection.matched}/${scores.detection.total})` : 'no detector configured (--model)',
    target: '',
  });
  const t = scores.tracking;
  rows.push({ metric: 'tracking MOTA / IDF1', value: `${f(t.mota, 3)} / ${f(t.idf1, 3)}`, target: '' });
  rows.push({ metric: 'tracking misses / false positives (object-frames)', value: `${t.misses} / ${t.falsePositives} of ${t.numGt}`, target: '' });
  rows.push({ metric: 'tracking ID switches', value: String(t.idSwitches), target: '<= 1 per crossing' });
  rows.push({ metric: 'frame sets: completed / shed / deadline misses', value: `${sets - rec.shed} / ${rec.shed} / ${rec.misses}`, target: 'misses 0' });
  for (const [stage, ms] of rec.stageMs) {
    const profiled = rec.profiled.get(stage);
    rows.push({
      metric: `latency ${stage}: host p50 / p90 / p99`,
      value: `${f(pct(ms, 0.5))} / ${f(pct(ms, 0.9))} / ${f(pct(ms, 0.99))} ms`,
      target: profiled === undefined ? '' : `${config.scheduler.profile}: ${f(profiled, 2)} ms`,
    });
  }
  return rows;
}

export function registerDemoCommand(program: Command): void {
  addPipelineOptions(addModelOption(
    program
      .command('demo')
      .description('render a synthetic 4-camera scene, run the whole pipeline on it, score it against ground truth and write a report')
      .option('--scene <name|file>', 'built-in scene name or scene YAML file', 'corridor_crossing')
      .option('--duration <s>', 'seconds of the scene to render', '6')
      .option('--bag <dir>', 'replay this scene bag instead of rendering one')
      .option('--out <dir>', 'output folder', 'out/demo'),
  )).action(async (o: DemoCliOptions) => {
    const inputs = await demoInputs(o);
    const out = resolve(o.out);
    // Everything is written to a fresh folder beside `out` and moved in only when the run has
    // succeeded, so a failed or interrupted demo leaves the previous outputs as they were.
    mkdirSync(dirname(out), { recursive: true });
    const staging = mkdtempSync(join(dirname(out), `.${basename(out)}-partial-`));
    try {
      const written = await runDemo(o, inputs, staging);
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

/** Renders (unless --bag), replays, scores and reports into `dir`; returns the names written. */
async function runDemo(o: DemoCliOptions, { config, bag: inputBag, duration }: DemoInputs, dir: string): Promise<string[]> {
  const written = [PERCEPTION_BAG, REPORT];
  let bag = inputBag;
  if (!bag) {
    bag = join(dir, SCENE_BAG);
    written.push(SCENE_BAG);
    process.stderr.write(`demo: rendering ${duration} s of scene "${o.scene}" (4 cameras, ground truth)\n`);
    const progress = progressLine('render', 'frames');
    await writeSceneBag({ ...loadScene(o.scene), duration }, bag, { depth: true, onProgress: (d, t) => progress(d, t) });
  }
  const evaluator = new SceneEvaluator(bag);
  const recorder = new DemoRecorder();
  const processed = new Map<bigint, { images: Map<string, Raster>; detections: Map<string, Detection[]>; timings: Record<string, number> }>();
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
      const points = tracks.map((t) => ({ id: t.id, state: t.state, position: [t.pose.pose.position.x, t.pose.pose.position.y, t.pose.pose.position.z] }));
      evaluator.add(r.stamp, points, depth, p?.detections ?? new Map());
    },
  });
  const scores = await evaluator.score();
  const rows = scoreTable(scores, recorder, config, summary.results);
  process.stdout.write(`\n${formatTable(['metric', 'value', 'target'], rows.map((r) => [r.metric, r.value, r.target])).join('\n')}\n`);
  writeFileSync(join(dir, REPORT), renderHtmlReport(reportData(recorder, rows, config, o.scene, evaluator)));
  return written;
}

function reportData(rec: DemoRecorder, table: ReportData['table'], config: PerceptionConfig, scene: string, evaluator: SceneEvaluator): ReportData {
  const shown = rec.shown;
  const tracksById = new Map((shown?.tracks ?? []).map((t) => [t.id, t]));
  const cameras = [...(shown?.images ?? new Map<string, Raster>()).entries()].map(([name, image]) => ({
    name,
    image,
    boxes: (shown?.detections.get(name) ?? []).map((d) => ({ x1: d.x1, y1: d.y1, x2: d.x2, y2: d.y2, label: `${d.className} ${d.score.toFixed(2)}`, kind: 'detection' as const })),
  }));
  const tracks: ReportTrack[] = [...tracksById.values()].map((t) => ({
    id: t.id, cls: t.class_id, x: t.pose.pose.position.x, y: t.pose.pose.position.y,
    vx: t.velocity.twist.linear.x, vy: t.velocity.twist.linear.y, trail: rec.trails.get(t.id) ?? [],
  }));
  const stages = [...rec.stageMs.keys()];
  return {
    title: 'dx_perception demo',
    subtitle: `scene "${scene}", ${config.cameras.length} cameras, scheduler in ${config.scheduler.time_mode} time on ${config.scheduler.profile}, deadline ${config.scheduler.deadline_ms} ms`,
    cameras,
    birdsEye: {
      cloud: shown?.cloud ?? new Float32Array(),
      scan: shown?.scan ? { angleMin: shown.scan.angle_min, angleIncrement: shown.scan.angle_increment, ranges: shown.scan.ranges, rangeMax: shown.scan.range_max } : undefined,
      tracks,
      groundTruth: shown ? evaluator.groundTruthAt(shown.stamp).map((g) => ({
        id: g.id, cls: g.class_id, x: g.pose.pose.position.x, y: g.pose.pose.position.y, sx: g.size.x, sy: g.size.y,
        yaw: 2 * Math.atan2(g.pose.pose.orientation.z, g.pose.pose.orientation.w), trail: [],
      })) : [],
      extent: 10,
    },
    latency: {
      stages,
      frames: rec.frames.map((fr) => ({ stageMs: stages.map((s) => fr.stageMs[s] ?? 0), shed: fr.shed })),
      deadlineMs: config.scheduler.deadline_ms,
      periodMs: 1000 / config.scheduler.rate_hz,
      timeMode: 'host-measured',
    },
    table,
  };
}
