// Calls OpenCV through Debian's python3-opencv (test/support/opencv_reference.py), the
// independent reference for the geometry tests. Fails with a clear message when no Python with
// cv2 is found, so CI cannot silently skip the comparison.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { requireOpenCvPython } from './opencv_python';

const SCRIPT = join(__dirname, 'opencv_reference.py');

/** Runs one request through the OpenCV reference script and returns its JSON answer. */
export function opencv<T>(request: Record<string, unknown>): T {
  const r = spawnSync(requireOpenCvPython(), [SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`OpenCV reference failed (${request.op}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export function f64(b64: string): Float64Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function f32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function b64(a: Float32Array | Uint8Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Runs several requests in one Python process (importing cv2 costs ~0.3 s per process). */
export function opencvBatch<T>(requests: Record<string, unknown>[]): T[] {
  return opencv<T[]>({ op: 'batch', batch: requests });
}

/** Largest absolute difference between two equal-length arrays (Infinity if lengths differ or NaN). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
