// `dx-perception replay <bag>`: the full pipeline over a bag (from the sim, a robot or the
// Gazebo bridge), every output topic written to an MCAP, and a summary.
import type { Command } from 'commander';
import { replayBag, type ReplaySummary } from '../pipeline/replay';
import { addPipelineOptions, configFromOptions, formatTable, progressLine, type PipelineCliOptions } from './cli_options';

interface ReplayCliOptions extends PipelineCliOptions {
  out?: string;
  rate: string;
  quiet?: boolean;
}

/** The summary lines printed after a replay. */
export function formatReplaySummary(s: ReplaySummary, timeMode: string): string[] {
  const shed = Object.entries(s.shed).map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
  return [
    `bag:            ${s.bag} (${s.durationSec.toFixed(1)} s)`,
    `cameras:        ${s.cameras.map((c) => c.camera).join(', ')}`,
    `time mode:      ${timeMode}`,
    `messages read:  ${s.messagesRead} (${s.badMessages} bad, skipped)`,
    `frame sets:     ${s.results} (${s.completed} completed; shed: ${shed})`,
    `warnings:       ${s.warnings}`,
    `peak RSS:       ${s.peakRssMb.toFixed(0)} MiB`,
    '',
    ...formatTable(['output topic', 'messages'], Object.entries(s.outputs).map(([t, n]) => [t, String(n)])),
  ];
}

export function registerReplayCommand(program: Command): void {
  addPipelineOptions(
    program
      .command('replay <bag>')
      .description('run the full pipeline over a rosbag2 bag (MCAP or sqlite3) and write every output topic to an MCAP')
      .option('--out <dir>', 'output bag directory (MCAP); nothing is written without it')
      .option('--rate <x>', 'host time: playback speed relative to the recording', '1')
      .option('--quiet', 'no progress line and no warnings on stderr'),
  ).action(async (bag: string, o: ReplayCliOptions) => {
    const config = configFromOptions(o);
    const summary = await replayBag(bag, {
      config,
      remaps: o.remap,
      outBag: o.out,
      rate: Number(o.rate),
      onWarning: o.quiet ? undefined : (m) => process.stderr.write(`warning: ${m}\n`),
      onProgress: o.quiet ? undefined : progressLine('replay'),
    });
    const mode = config.scheduler.time_mode === 'target' ? `target (${config.scheduler.profile})` : 'host';
    for (const line of formatReplaySummary(summary, mode)) process.stdout.write(`${line}\n`);
    if (o.out) process.stdout.write(`\nwrote ${o.out}\n`);
  });
}
