// `dx-perception regress <bag> --golden <file>`: a deterministic target-time replay compared
// with a reviewed golden digest; a regression exits non-zero with a diff naming quantity and frame.
import type { Command } from 'commander';
import { summarizeResult, type FrameSummary } from '../replay/frame_summary';
import { compareToGolden, formatDiffs, readGolden, toleranceSchema, writeGolden } from '../replay/golden';
import { replayBag } from '../replay/replay';
import { addPipelineOptions, configFromOptions, frameSetProgress, type PipelineCliOptions } from './cli_options';

interface RegressCliOptions extends PipelineCliOptions {
  golden: string;
  updateGolden?: boolean;
}

/** Replays in target time and returns the per-frame digests, in result order. */
export async function digestReplay(
  bag: string,
  o: PipelineCliOptions,
  onFrameSet?: () => void,
): Promise<{ frames: FrameSummary[]; timeMode: string }> {
  if (o.hostTime) throw new Error('regress replays in target time only (host time is not deterministic); drop --host-time');
  const config = configFromOptions({ ...o, targetTime: o.targetTime ?? true });
  const frames: FrameSummary[] = [];
  await replayBag(bag, {
    config,
    remaps: o.remap,
    onResult: (r) => {
      frames.push(summarizeResult(r));
      onFrameSet?.();
    },
  });
  return { frames, timeMode: `target:${config.scheduler.profile}` };
}

export function registerRegressCommand(program: Command): void {
  addPipelineOptions(
    program
      .command('regress <bag>')
      .description('replay a bag in target time and compare every frame set with a golden file')
      .requiredOption('--golden <file>', 'golden YAML file')
      .option('--update-golden', 'write the golden from this replay instead of comparing (keeps its tolerances)'),
    { hostTime: false },
  ).action(async (bag: string, o: RegressCliOptions) => {
    // A missing or malformed golden is reported before the replay, not after minutes of it.
    const golden = o.updateGolden ? undefined : readGolden(o.golden);
    const { frames, timeMode } = await digestReplay(bag, o, await frameSetProgress(bag, o.remap, 'regress'));
    if (!golden) {
      let tolerances = toleranceSchema.parse({});
      try {
        tolerances = readGolden(o.golden).tolerances;
      } catch {
        // No golden yet: default tolerances.
      }
      writeGolden(o.golden, { format: 1, bag, time_mode: timeMode, tolerances, frames });
      process.stdout.write(`wrote ${o.golden}: ${frames.length} frame sets\n`);
      return;
    }
    const diffs = compareToGolden(golden, frames);
    if (diffs.length === 0) {
      process.stdout.write(`regress: ${frames.length} frame sets match ${o.golden}\n`);
      return;
    }
    process.stdout.write(`${formatDiffs(diffs)}\n`);
    throw new Error(`regression: ${diffs.length} difference(s) from ${o.golden} (frame sets: ${frames.length})`);
  });
}
