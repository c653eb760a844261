// Shared shape of benchmark results. Each bench/*.bench.ts file exports a default async function
// returning rows; bench/run.ts runs them, prints one table and writes JSON. Speed targets are
// judged by these rows, preferably as a ratio to a reference implementation measured in the
// same run, because these machines are noisy.

export interface BenchRow {
  /** What was measured, e.g. "stereo SGM 640x480". */
  name: string;
  /** The measured value. */
  value: number;
  /** Unit of value, e.g. "ms", "ratio", "%". */
  unit: string;
  /** Target, in the same unit, when the issue sets one. */
  target?: number;
  /** Whether a lower value is better (default true). */
  lowerIsBetter?: boolean;
  /** Free-form context: sizes, the reference's time, repetitions. */
  note?: string;
}

export type BenchFn = () => Promise<BenchRow[]>;

/** Median of repeated timings, in milliseconds, after `warmup` untimed runs. */
export async function timeMedianMs(fn: () => unknown | Promise<unknown>, repeats = 10, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
