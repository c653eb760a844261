// Real time where it runs (issue #13): the 4-camera 640×480 30 Hz corridor scene replayed
// through the full pipeline, no detector.
// - host time at --rate 1: completed frame sets per second of bag, admitted sets on time by
//   wall-clock latency (sensor stamp -> result, queueing included), p50 latency, and the main
//   thread's event-loop delay (perf_hooks) during the replay;
// - the same with the shared yolox-nano detector, where ../shared is there;
// - target time (DX-V3): wall time as a ratio to reading and decoding the same bag, in this run.
// The machine's load average is printed with every row: these are shared, noisy cores.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openBag } from '../src/io/bag_reader';
import type { PipelineStatus } from '../src/msgs/types';
import type { FrameJob } from '../src/core/frame_job';
import type { Outcome } from '../src/scheduler/outcomes';
import { parseConfig } from '../src/config/config';
import type { PerceptionConfig } from '../src/config/config_schema';
import { replayBag } from '../src/replay/replay';
import { loadScene, writeSceneBag } from '../src/sim';
import type { BenchRow } from './harness';

const SECONDS = Number(process.env.REALTIME_BENCH_SECONDS ?? 4);
/** REALTIME_BENCH_TRACE=<file>: writes the host-time replay's per-set timeline there. */
const TRACE = process.env.REALTIME_BENCH_TRACE;
/** The shared yolox-nano detector (../shared/models); its row is left out where the data is not there. */
const YOLOX = resolve(__dirname, '..', '..', 'shared', 'models', 'yolox_nano_416.onnx');
const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(1);

/**
 * One line per frame set, times in ms from its sensor stamp: offered (the set is complete and
 * handed to the scheduler), started, finished, stage times and rung; or why and when it was shed.
 */
function traceLine(o: Outcome<FrameJob>, status: PipelineStatus): string {
  const head = `set ${o.item.set.seq} offered +${ms(o.offeredAt - o.stamp)}`;
  const budgets = status.stages.map((s) => `${s.name} ${s.predicted_ms.toFixed(1)}`).join(' ');
  if (o.kind === 'shed') {
    const predicted = o.predictedFinish === undefined ? '' : ` predicted finish +${ms(o.predictedFinish - o.stamp)}`;
    return `${head} SHED ${o.reason} at +${ms(o.at - o.stamp)}${predicted} | budgets ${budgets}`;
  }
  const stages = Object.entries(o.timings)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(' ');
  return `${head} started +${ms(o.startedAt - o.stamp)} finished +${ms(o.finishedAt - o.stamp)} ${o.plan.rung}${o.probe ? ' (probe)' : ''} | ${stages} | budgets ${budgets}`;
}
const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

async function readAndDecodeMs(bag: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const reader = await openBag(bag);
  for await (const m of reader.messages()) m.decode();
  await reader.close();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** A host-time replay of `bag` at --rate 1: its summary, latencies, misses and the main thread's event-loop delay. */
async function hostReplay(bag: string, config: PerceptionConfig, trace?: string[]) {
  const statuses: PipelineStatus[] = [];
  const latencies: number[] = [];
  const outcomes: Outcome<FrameJob>[] = [];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const startLoad = load();
  delay.enable();
  const summary = await replayBag(bag, {
    config,
    rate: 1,
    onOutcome: (o) => outcomes.push(o),
    onWarning: (m) => trace?.push(`warning: ${m}`),
    onResult: (r) => {
      const s = r.outputs.find((o) => o.type === 'dx_perception/msg/PipelineStatus')!.msg as PipelineStatus;
      statuses.push(s);
      trace?.push(traceLine(outcomes[outcomes.length - 1], s));
      if (r.decision === 'completed') latencies.push(s.latency_ms);
    },
  });
  delay.disable();
  latencies.sort((a, b) => a - b);
  const shed =
    Object.entries(summary.shed)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ') || 'none';
  return {
    summary,
    misses: Number(statuses[statuses.length - 1]?.deadline_misses ?? 0n),
    p50: latencies[Math.floor(latencies.length / 2)] ?? Number.NaN,
    latencies: latencies.length,
    delay,
    note: `${summary.completed}/${summary.results} sets of a ${summary.durationSec.toFixed(1)} s bag; shed: ${shed}; fell behind ≤ ${summary.maxBehindMs.toFixed(0)} ms, ${summary.lateImagesDropped} late images dropped unread, ${(summary.skippedAheadMs / 1e3).toFixed(1)} s of bag skipped; ${startLoad}`,
  };
}

export default async function realtimeBench(): Promise<BenchRow[]> {
  const bag = join(mkdtempSync(join(tmpdir(), 'realtime-bench-')), 'bag');
  await writeSceneBag({ ...loadScene('corridor_crossing'), duration: SECONDS }, bag);

  const trace: string[] = [];
  const host = await hostReplay(bag, parseConfig({ scheduler: { time_mode: 'host' } }), trace);
  if (TRACE) writeFileSync(TRACE, `${trace.join('\n')}\n`);
  const detector = existsSync(YOLOX)
    ? await hostReplay(bag, parseConfig({ scheduler: { time_mode: 'host' }, detection: { model_path: YOLOX } }))
    : undefined;

  const decodeMs = await readAndDecodeMs(bag);
  const targetLoad = load();
  const t0 = process.hrtime.bigint();
  await replayBag(bag, { config: parseConfig({ scheduler: { time_mode: 'target' } }) });
  const targetMs = Number(process.hrtime.bigint() - t0) / 1e6;
  rmSync(dirname(bag), { recursive: true, force: true });

  const rows: BenchRow[] = [
    {
      name: 'host time, 4×640×480 30 Hz, no detector: completed sets per second of bag',
      value: host.summary.completed / host.summary.durationSec,
      unit: 'sets/s',
      target: 15,
      lowerIsBetter: false,
      note: host.note,
    },
    {
      name: 'host time: admitted sets on time (wall-clock latency)',
      value: host.summary.completed > 0 ? (100 * (host.summary.completed - host.misses)) / host.summary.completed : 0,
      unit: '%',
      target: 99.9,
      lowerIsBetter: false,
      note: `${host.misses} misses of ${host.summary.completed}`,
    },
    {
      name: 'host time: p50 latency, image stamp -> scan',
      value: host.p50,
      unit: 'ms',
      target: 100,
      note: `${host.latencies} completed sets`,
    },
    {
      name: 'host time: main-thread event-loop delay p99',
      value: host.delay.percentile(99) / 1e6,
      unit: 'ms',
      target: 20,
      note: `max ${(host.delay.max / 1e6).toFixed(0)} ms, mean ${(host.delay.mean / 1e6).toFixed(1)} ms`,
    },
  ];
  if (detector)
    rows.push({
      name: 'host time, yolox-nano on the cameras it runs on: completed sets per second of bag',
      value: detector.summary.completed / detector.summary.durationSec,
      unit: 'sets/s',
      target: 8,
      lowerIsBetter: false,
      note: `${detector.note}; ${detector.misses} misses; event-loop delay p99 ${(detector.delay.percentile(99) / 1e6).toFixed(0)} ms`,
    });
  rows.push({
    name: 'target time (DX-V3) replay / read-and-decode of the same bag',
    value: targetMs / decodeMs,
    unit: 'ratio',
    target: 3,
    note: `${targetMs.toFixed(0)} ms vs ${decodeMs.toFixed(0)} ms; ${targetLoad}`,
  });
  return rows;
}
