// Soak: a 60 s, 4-camera, 30 Hz scene bag replayed in target time, sampling the process's RSS as
// it goes. Memory must stay flat after warm-up: every buffer in the pipeline is bounded, so the
// RSS at the end may not exceed the RSS after the first quarter by more than the target.
// SOAK_SECONDS shortens the bag for a quick look.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/config';
import { replayBag } from '../src/replay/replay';
import { loadScene, writeSceneBag } from '../src/sim';
import type { BenchRow } from './harness';

/** Replays in DX-V3 target time: deterministic, whatever this machine's speed. */
const TARGET_TIME = { scheduler: { time_mode: 'target' } };

const MB = 2 ** 20;

export default async function soak(): Promise<BenchRow[]> {
  const seconds = Number(process.env.SOAK_SECONDS ?? 60);
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  try {
    const bag = join(dir, 'bag');
    const t0 = Date.now();
    await writeSceneBag({ ...loadScene('corridor_crossing'), duration: seconds }, bag, {});
    const renderS = (Date.now() - t0) / 1000;
    const samples: Array<{ done: number; rss: number }> = [];
    const t1 = Date.now();
    const summary = await replayBag(bag, {
      config: parseConfig(TARGET_TIME),
      onProgress: (done) => samples.push({ done, rss: process.memoryUsage().rss / MB }),
    });
    const replayS = (Date.now() - t1) / 1000;
    const total = samples[samples.length - 1]?.done ?? 1;
    const after = (share: number) => samples.filter((s) => s.done >= share * total);
    const warm = Math.max(
      ...after(0.2)
        .slice(0, 5)
        .map((s) => s.rss),
    );
    const tail = Math.max(...after(0.8).map((s) => s.rss));
    const peak = Math.max(...samples.map((s) => s.rss));
    const note = `${seconds} s bag, ${summary.results} frame sets, ${summary.messagesRead} messages; render ${renderS.toFixed(0)} s, replay ${replayS.toFixed(0)} s`;
    return [
      { name: `soak ${seconds} s replay: peak RSS`, value: peak, unit: 'MiB', note },
      {
        name: `soak ${seconds} s replay: RSS growth after warm-up (max of last 20% - after first 20%)`,
        value: tail - warm,
        unit: 'MiB',
        target: 64,
        note: `warm ${warm.toFixed(0)} MiB, last 20% max ${tail.toFixed(0)} MiB`,
      },
      {
        name: `soak ${seconds} s replay: throughput`,
        value: summary.results / replayS,
        unit: 'sets/s',
        lowerIsBetter: false,
        note: `completed ${summary.completed}, shed ${JSON.stringify(summary.shed)}`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
