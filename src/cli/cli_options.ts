// Options shared by the commands that run the pipeline (replay, regress, demo): configuration,
// time mode, topic remapping, and a progress line on stderr.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { openBag } from '../io/bag_reader';
import { discoverCameras, parseRemaps } from '../replay/bag_topics';
import { flatten, loadCliConfig, mergeConfig, parseConfig, readConfigFile, type PerceptionConfig } from '../config/config';

export interface PipelineCliOptions {
  config?: string;
  set: string[];
  remap: string[];
  targetTime?: string | boolean;
  hostTime?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * Adds --config, --set, --remap, --target-time and (unless `hostTime` is false: regress replays
 * in target time only) --host-time to a command.
 */
export function addPipelineOptions(cmd: Command, { hostTime = true } = {}): Command {
  cmd
    .option('--config <file>', 'YAML configuration or ROS 2 parameters file (e.g. params/default.yaml)')
    .option('--set <key=value>', 'override one setting, e.g. --set depth.num_disparities=96 (repeatable)', collect, [])
    .option('--remap <from:=to>', 'map a bag topic to the one the node expects (repeatable)', collect, [])
    .option('--target-time [profile]', 'schedule in target time on a hardware profile (default dx-v3)');
  if (!hostTime) return cmd;
  return cmd.option('--host-time', "schedule in host time: this machine's measured stage times, real-time playback");
}

/** --model <onnx> (demo, replay): the detector to run. */
export function addModelOption(cmd: Command): Command {
  return cmd.option('--model <onnx>', 'ONNX detector to run (e.g. ../shared/models/yolox_nano_416.onnx); none by default');
}

/** The configuration defaults --model sets, after checking the file exists. */
export function modelDefaults(model: string | undefined): Record<string, unknown> {
  if (model === undefined) return {};
  if (!existsSync(model)) throw new Error(`--model ${model}: no such file; expected an ONNX detector file`);
  return { detection: { model_path: model } };
}

/** The validated configuration the options describe. */
export function configFromOptions(o: PipelineCliOptions, defaults: Record<string, unknown> = {}): PerceptionConfig {
  if (o.targetTime !== undefined && o.hostTime) throw new Error('--target-time and --host-time exclude each other; pick one');
  // Replays schedule in target time unless the file, --set or --host-time says otherwise.
  const cfg = loadCliConfig({ config: o.config, set: cameraSets(o) }, mergeConfig({ scheduler: { time_mode: 'target' } }, defaults));
  if (o.hostTime) return { ...cfg, scheduler: { ...cfg.scheduler, time_mode: 'host' } };
  if (o.targetTime !== undefined) {
    const profile = typeof o.targetTime === 'string' ? o.targetTime : cfg.scheduler.profile;
    return { ...cfg, scheduler: { ...cfg.scheduler, time_mode: 'target', profile } };
  }
  return cfg;
}

/**
 * `--set cameras=...` as a user types it: `cameras=a,b` is read as the list [a, b] (as in
 * `cameras=[a,b]`), and a camera list that leaves out a default stereo camera keeps only the default
 * stereo pairs whose cameras are both listed, instead of failing on a pair the user never set.
 */
function cameraSets(o: PipelineCliOptions): string[] {
  const sets = o.set.map((s) => (/^cameras=[^[]/.test(s) ? `cameras=[${s.slice('cameras='.length)}]` : s));
  const cameras = sets.filter((s) => s.startsWith('cameras=')).pop();
  const pairsGiven =
    sets.some((s) => s.startsWith('depth.stereo_pairs=') || s.startsWith('depth=')) ||
    (o.config !== undefined && 'depth.stereo_pairs' in flatten(readConfigFile(o.config)));
  if (cameras === undefined || pairsGiven) return sets;
  const listed = cameras
    .slice('cameras=['.length, -1)
    .split(',')
    .map((c) => c.trim().replace(/^['"]|['"]$/g, ''));
  const pairs = parseConfig({}).depth.stereo_pairs.filter((p) => p.every((c) => listed.includes(c)));
  return [...sets, `depth.stereo_pairs=${JSON.stringify(pairs)}`];
}

/**
 * A progress line counting frame sets (one per image of the camera with the most images, the
 * set's pace), fed by the replay's results. A bag that cannot be read gets no line: the replay
 * itself then reports why.
 */
export async function frameSetProgress(bag: string, remaps: readonly string[], label: string): Promise<(() => void) | undefined> {
  let total = 0;
  try {
    const reader = await openBag(bag);
    const remap = parseRemaps(remaps);
    const topics = reader.info.topics.map((t) => ({ name: remap.get(t.name) ?? t.name, type: t.type, count: t.count }));
    await reader.close();
    const images = new Set(discoverCameras(topics).map((c) => c.image));
    total = Math.max(0, ...topics.filter((t) => images.has(t.name)).map((t) => t.count));
  } catch {
    return undefined;
  }
  const line = progressLine(label, 'frame sets');
  let done = 0;
  return () => line(++done, Math.max(total, done));
}

/** A progress reporter counting `unit`: a rewritten line on a terminal, a line per 10% otherwise. */
export function progressLine(label: string, unit: string): (done: number, total: number) => void {
  let lastDecile = -1;
  return (done, total) => {
    const pct = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${label}: ${done}/${total} ${unit} (${pct}%)${done >= total ? '\n' : ''}`);
    } else if (Math.floor(pct / 10) > lastDecile) {
      lastDecile = Math.floor(pct / 10);
      process.stderr.write(`${label}: ${done}/${total} ${unit} (${pct}%)\n`);
    }
  };
}

/** Fixed-width table, left-aligned columns. */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}
