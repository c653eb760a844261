// Timing ONNX models with onnxruntime on this host: sessions on zero-filled float32 inputs,
// warm-up rounds, and models taking turns within each round so that load from other processes
// on a shared machine hits every model alike.
import { cpus } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { LatencyMeasurement } from './timing_report';

export function medianMs(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function openSession(
  model: string | Uint8Array,
  threads: number,
): Promise<{ session: ort.InferenceSession; feeds: Record<string, ort.Tensor> }> {
  // logSeverityLevel 3: old exporters' "initializer in graph inputs" warnings are noise here.
  const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 };
  const session =
    typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of session.inputNames) {
    const meta = session.inputMetadata.find((m) => m.name === name);
    const dims = meta && meta.isTensor ? meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1)) : [];
    feeds[name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
  }
  return { session, feeds };
}

/**
 * Wall times (ms) of `repeats` rounds over float32-input models on zero-filled inputs, after 3
 * warm-up rounds; one list per model. Models take turns within each round, so a burst of load
 * from other processes on a shared machine hits them all alike rather than one model's runs.
 */
export async function timeRunsInterleaved(models: Array<string | Uint8Array>, threads: number, repeats: number): Promise<number[][]> {
  const sessions = [];
  for (const m of models) sessions.push(await openSession(m, threads));
  try {
    const times: number[][] = models.map(() => []);
    for (let i = 0; i < repeats + 3; i++) {
      for (const [k, { session, feeds }] of sessions.entries()) {
        const t0 = process.hrtime.bigint();
        await session.run(feeds);
        if (i >= 3) times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
    return times;
  } finally {
    for (const { session } of sessions) await session.release();
  }
}

/**
 * Measures a float32-input model's latency on this host with onnxruntime (mean and standard
 * deviation of `repeats` runs), in the form `calibrate` takes.
 */
export async function measureOnnxLatency(
  modelPath: string,
  opts: { threads?: number; repeats?: number } = {},
): Promise<LatencyMeasurement> {
  const { threads = cpus().length, repeats = 10 } = opts;
  const [times] = await timeRunsInterleaved([modelPath], threads, repeats);
  const meanMs = times.reduce((a, b) => a + b, 0) / times.length;
  const stdMs = Math.sqrt(times.reduce((s, t) => s + (t - meanMs) ** 2, 0) / Math.max(1, times.length - 1));
  return { model: modelPath, meanMs, stdMs };
}
