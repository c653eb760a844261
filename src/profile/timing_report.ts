// Measured model latencies, from onnxruntime on this host or from a timing report of the real
// chip's runtime (DX-RT), in one accepted format so `calibrate` does not care where they came from.
//
// Accepted report formats (the file extension or the first non-blank character decides):
// - JSON: an array of {"model": string, "meanMs": number, "stdMs"?: number}, or an object
//   {"measurements": [...same...]}. `mean_ms` / `std_ms` are accepted as spellings too.
// - CSV: a header line naming the columns `model`, `mean_ms` (or `meanMs`) and optionally
//   `std_ms` (or `stdMs`), in any order, comma separated; one model per line; `#` lines ignored.
// `model` is the path of the .onnx file the timing is for (relative paths resolve against the
// report's folder when read with readTimingReport).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../inference/validation_errors';

export interface LatencyMeasurement {
  model: string;
  meanMs: number;
  stdMs?: number;
}

const measurementSchema = z
  .object({
    model: z.string().min(1),
    meanMs: z.number().positive().optional(),
    mean_ms: z.number().positive().optional(),
    stdMs: z.number().nonnegative().optional(),
    std_ms: z.number().nonnegative().optional(),
  })
  .refine((m) => m.meanMs !== undefined || m.mean_ms !== undefined, { message: 'expected meanMs (a positive number)' })
  .transform((m): LatencyMeasurement => {
    const stdMs = m.stdMs ?? m.std_ms;
    return { model: m.model, meanMs: (m.meanMs ?? m.mean_ms) as number, ...(stdMs !== undefined ? { stdMs } : {}) };
  });

const reportSchema = z.array(measurementSchema);

/** The measurements of a JSON report: the array itself, or the `measurements` of an object. */
function measurementsOf(raw: unknown): unknown {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'measurements' in raw ? raw.measurements : raw;
}

function parseCsv(text: string, origin: string): unknown[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new Error(`timing report ${origin}: empty; expected a header line "model,mean_ms,std_ms"`);
  const header = lines[0].split(',').map((h) => h.trim());
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const model = col('model');
  const mean = col('mean_ms', 'meanMs');
  const std = col('std_ms', 'stdMs');
  if (model < 0 || mean < 0) {
    throw new Error(`timing report ${origin}: header "${lines[0]}" lacks "model" or "mean_ms"; expected "model,mean_ms[,std_ms]"`);
  }
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',').map((c) => c.trim());
    const num = (idx: number, what: string) => {
      const v = Number(cells[idx]);
      if (cells[idx] === undefined || cells[idx] === '' || !Number.isFinite(v)) {
        throw new Error(`timing report ${origin}: line ${i + 2} has ${what} = "${cells[idx] ?? ''}"; expected a number`);
      }
      return v;
    };
    return { model: cells[model], meanMs: num(mean, 'mean_ms'), ...(std >= 0 && cells[std] ? { stdMs: num(std, 'std_ms') } : {}) };
  });
}

/** Parses a timing report's text (see the formats above). Throws an Error naming `origin` and the bad entry. */
export function parseTimingReport(text: string, origin = '(text)'): LatencyMeasurement[] {
  const trimmed = text.trimStart();
  let raw: unknown;
  try {
    raw = trimmed.startsWith('[') || trimmed.startsWith('{') ? JSON.parse(trimmed) : parseCsv(text, origin);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw new Error(`timing report ${origin} is not valid JSON: ${err.message}`);
  }
  const entries = measurementsOf(raw);
  const parsed = reportSchema.safeParse(entries);
  if (!parsed.success) throw new Error(`timing report ${origin} is invalid (entries by index):\n${describeIssues(parsed.error, entries)}`);
  return parsed.data;
}

/** Reads a timing report file; relative model paths resolve against the report's folder. */
export function readTimingReport(path: string): LatencyMeasurement[] {
  return parseTimingReport(readFileSync(path, 'utf8'), `"${path}"`).map((m) => ({
    ...m,
    model: isAbsolute(m.model) ? m.model : resolve(dirname(path), m.model),
  }));
}
