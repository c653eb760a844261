// Cost model speed, and the cost model proven on this host: a measured host profile (the same
// micro-benchmarks `dx-perception profile --measure-host` runs) predicts each shared detector's
// onnxruntime latency and the SGM matcher's at three sizes, next to what this machine measures
// in the same run. Rows report |predicted / measured - 1| in percent against the 25 %.
// The machine is shared: timings take the fastest of interleaved rounds, and the load average
// at start and end is part of every row's note.
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { predictCost } from '../src/profile/cost_model';
import { loadHardwareProfile } from '../src/profile/hardware_profile';
import { measureHostProfile } from '../src/profile/host_profile';
import { timeRunsInterleaved } from '../src/profile/onnx_timing';
import { analyzeModel } from '../src/profile/model_analysis';
import { predictMatcherCost, type StereoWork } from '../src/profile/stereo_cost';
import { caseResolution, timeStereoCases, type StereoCase } from '../src/profile/stereo_probe';
import { timeMedianMs, type BenchRow } from './harness';

const MODELS_DIR = resolve(__dirname, '..', '..', 'shared', 'models');
const DETECTORS = ['yolox_nano_416.onnx', 'nanodet_m_320.onnx', 'nanodet_m_416.onnx', 'fastestdet_352.onnx'];
const STEREO_SIZES: StereoWork[] = [
  { width: 320, height: 240, disparities: 64 },
  { width: 640, height: 480, disparities: 64 },
  { width: 640, height: 480, disparities: 128 },
];
/** Both matchers at each size: the product's default is whichever the configuration selects. */
const STEREO_CASES: StereoCase[] = STEREO_SIZES.flatMap((w) => [w, { ...w, coarseToFine: true }]);
/** onnxruntime threads and SGM workers: the pipeline's defaults. */
const THREADS = 2;
const STEREO_WORKERS = 2;

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

function errorRow(name: string, predictedMs: number, measuredMs: number, loadNote: string): BenchRow {
  return {
    name,
    value: Math.abs(predictedMs / measuredMs - 1) * 100,
    unit: '%',
    target: 25,
    note: `predicted ${predictedMs.toFixed(2)} ms, measured ${measuredMs.toFixed(2)} ms; load avg ${loadNote}`,
  };
}

async function costModelSpeed(files: string[]): Promise<BenchRow[]> {
  const profile = loadHardwareProfile('dx-v3');
  const rows: BenchRow[] = [];
  for (const file of files) {
    const path = join(MODELS_DIR, file);
    const ms = await timeMedianMs(() => predictCost(analyzeModel(path), profile), 5, 1);
    const ortMs = await timeMedianMs(async () => (await ort.InferenceSession.create(path, { logSeverityLevel: 3 })).release(), 5, 1);
    rows.push({
      name: `analyze + cost ${file}`,
      value: ms / ortMs,
      unit: 'ratio',
      note: `${ms.toFixed(1)} ms vs onnxruntime session create ${ortMs.toFixed(1)} ms`,
    });
  }
  return rows;
}

export default async function (): Promise<BenchRow[]> {
  const rows = await costModelSpeed(
    readdirSync(MODELS_DIR)
      .filter((f) => f.endsWith('.onnx'))
      .sort(),
  );
  const before = load();
  const paths = DETECTORS.map((f) => join(MODELS_DIR, f));
  const host = await measureHostProfile({ threads: THREADS, stereoWorkers: STEREO_WORKERS });
  // The detectors in rounds of their own: taking turns with the dozen probe sessions, whose
  // thread pools spin after each run, measured yolox-nano at 33 ms instead of ~9 at load 0.1-1.7.
  const times = await timeRunsInterleaved(paths, THREADS, 30);
  const stereoMs = await timeStereoCases(STEREO_CASES, STEREO_WORKERS, 9);
  const loadNote = `${before} -> ${load()}`;
  DETECTORS.forEach((file, i) => {
    rows.push(
      errorRow(`host prediction error ${file}`, predictCost(analyzeModel(paths[i]), host).latencyMs, Math.min(...times[i]), loadNote),
    );
  });
  STEREO_CASES.forEach((c, i) => {
    const matcher = c.coarseToFine ? 'coarse-to-fine' : 'full resolution';
    const predicted = predictMatcherCost(c, host, caseResolution(c)).ms;
    rows.push(
      errorRow(`host prediction error stereo ${matcher} ${c.width}x${c.height}x${c.disparities}`, predicted, stereoMs[i], loadNote),
    );
  });
  return rows;
}
