// `dx-perception replay <bag>`: the full pipeline over a bag (from the sim, a robot or the
// Gazebo bridge), every output topic written to an MCAP, and a summary.
import type { Command } from 'commander';
import { replayBag, type ReplaySummary } from '../replay/replay';
import {
  addModelOption,
  addPipelineOptions,
  configFromOptions,
  formatTable,
  frameSetProgress,
  modelDefaults,
  type PipelineCliOptions,
} from './cli_options';

interface ReplayCliOptions extends PipelineCliOptions {
  out?: string;
  rate: string;
  quiet?: boolean;
  model?: string;
}

/** The summary lines printed after a replay. */
export function formatReplaySummary(s: ReplaySummary, timeMode: string): string[] {
  const shed =
    Object.entries(s.shed)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ') || 'none';
  return [
    `bag:            ${s.bag} (${s.durationSec.toFixed(1)} s)`,
    `cameras:        ${s.cameras.map((c) => c.camera).join(', ')}`,
    `time mode:      ${timeMode}`,
    `messages read:  ${s.messagesRead} (${s.badMessages} bad, skipped)`,
    `damaged input:  ${s.skipped.parts === 0 ? 'none' : `${s.skipped.parts} part(s) skipped, ${s.skipped.messages} message(s) known lost`}`,
    `frame sets:     ${s.results} (${s.completed} completed; shed: ${shed})`,
    `warnings:       ${s.warnings}`,
    `peak RSS:       ${s.peakRssMb.toFixed(0)} MiB`,
    '',
    ...formatTable(
      ['output topic', 'messages'],
      Object.entries(s.outputs).map(([t, n]) => [t, String(n)]),
    ),
  ];
}

export function registerReplayCommand(program: Command): void {
  addPipelineOptions(
    addModelOption(
      program
        .command('replay <bag>')
        .description('run the full pipeline over a rosbag2 bag (MCAP or sqlite3) and write every output topic to an MCAP')
        .option('--out <dir>', 'output bag directory (MCAP); nothing is written without it')
        .option('--rate <x>', 'host time: playback speed relative to the recording', '1')
        .option('--quiet', 'no progress line and no warnings on stderr'),
    ),
  ).action(async (bag: string, o: ReplayCliOptions) => {
    if (o.out === '') throw new Error('--out "": expected the output bag directory to write, e.g. --out replay_out');
    const config = configFromOptions(o, modelDefaults(o.model));
    const progress = o.quiet ? undefined : await frameSetProgress(bag, o.remap, 'replay');
    const stop = stopOnSignal();
    try {
      const summary = await replayBag(bag, {
        config,
        remaps: o.remap,
        outBag: o.out,
        rate: Number(o.rate),
        onWarning: o.quiet ? undefined : (m) => process.stderr.write(`warning: ${m}\n`),
        onResult: progress,
        signal: stop.signal,
      });
      const mode = config.scheduler.time_mode === 'target' ? `target (${config.scheduler.profile})` : 'host';
      for (const line of formatReplaySummary(summary, mode)) process.stdout.write(`${line}\n`);
      if (o.out) process.stdout.write(`\nwrote ${o.out}\n`);
      if (summary.interrupted) {
        process.stderr.write(
          `dx-perception: replay stopped by ${stop.received}; ${o.out ? `${o.out} is a complete bag of the ${summary.results} frame sets before it` : 'nothing was written'}\n`,
        );
        process.exitCode = stop.received === 'SIGINT' ? 130 : 143;
      }
    } finally {
      stop.dispose();
    }
  });
}

/**
 * SIGINT/SIGTERM abort the replay so it can close its output bag; a second signal exits at once
 * (the output then holds every chunk written so far, readable record by record).
 */
function stopOnSignal(): { signal: AbortSignal; readonly received: string | undefined; dispose: () => void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (received) process.exit(sig === 'SIGINT' ? 130 : 143);
    received = sig;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
