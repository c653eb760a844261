// I/O hot paths per camera frame: raw and Bayer image decode, JPEG decode, CDR of a full image,
// and bag write/read throughput. OpenCV (python3-opencv, timed inside Python) is the reference
// where one exists, reported as a ratio ours / OpenCV measured in the same run.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openBag } from '../src/io/bag_reader';
import { McapBagWriter } from '../src/io/bag_writer';
import { decodeImage, encodeCompressed, encodeImage } from '../src/io/image_codec';
import { createRaster } from '../src/io/raster';
import { decodeMessage, encodeMessage } from '../src/msgs/codec';
import type { Image } from '../src/msgs/types';
import { requireOpenCvPython } from '../test/support/opencv_python';
import { timeMedianMs, type BenchRow } from './harness';

const W = 1280;
const H = 720;
const header = { stamp: { sec: 1, nanosec: 0 }, frame_id: 'cam' };

/** Median ms of an OpenCV expression over `img` (bytes from stdin), or undefined without OpenCV. */
function opencvMs(input: Uint8Array, setup: string, expr: string): number | undefined {
  const script = [
    'import sys, time, numpy as np, cv2',
    'buf = np.frombuffer(sys.stdin.buffer.read(), np.uint8)',
    setup,
    'ts = []',
    'for _ in range(12):',
    '    t = time.perf_counter(); ' + expr + '; ts.append((time.perf_counter() - t) * 1e3)',
    'print(sorted(ts[2:])[len(ts[2:]) // 2])',
  ].join('\n');
  const res = spawnSync(requireOpenCvPython(), ['-c', script], { input, maxBuffer: 64 << 20 });
  return res.status === 0 ? Number(res.stdout.toString().trim()) : undefined;
}

function withReference(name: string, ours: number, ref: number | undefined, note: string): BenchRow[] {
  const rows: BenchRow[] = [{ name, value: ours, unit: 'ms', note }];
  if (ref !== undefined) rows.push({ name: `${name} / OpenCV`, value: ours / ref, unit: 'ratio', note: `OpenCV ${ref.toFixed(2)} ms` });
  return rows;
}

export default async function ioBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rgb = createRaster(W, H, 'rgb8');
  for (let i = 0; i < rgb.data.length; i++) rgb.data[i] = (i * 31 + (i >> 11)) & 0xff;

  const raw = encodeImage(rgb, header);
  rows.push({ name: `decode rgb8 ${W}x${H} (view)`, value: await timeMedianMs(() => decodeImage(raw), 50), unit: 'ms' });
  const step = W * 3 + 64;
  const padded: Image = { ...raw, step, data: new Uint8Array(step * H) };
  rows.push({ name: `decode rgb8 ${W}x${H} padded step`, value: await timeMedianMs(() => decodeImage(padded), 30), unit: 'ms' });

  const mosaic: Image = { ...raw, encoding: 'bayer_rggb8', step: W, data: rgb.data.subarray(0, W * H) as Uint8Array };
  rows.push(
    ...withReference(
      `demosaic bayer_rggb8 ${W}x${H}`,
      await timeMedianMs(() => decodeImage(mosaic), 10),
      opencvMs(mosaic.data, `img = buf.reshape(${H}, ${W})`, 'cv2.cvtColor(img, cv2.COLOR_BayerBG2RGB)'),
      'bilinear',
    ),
  );

  const jpeg = encodeCompressed(rgb, header, 'jpeg', 90);
  rows.push(
    ...withReference(
      `decode jpeg ${W}x${H}`,
      await timeMedianMs(() => decodeImage(jpeg), 5, 1),
      opencvMs(jpeg.data, 'img = buf', 'cv2.imdecode(img, cv2.IMREAD_COLOR)'),
      `${(jpeg.data.length / 1024).toFixed(0)} KiB, jpeg-js`,
    ),
  );

  const cdr = encodeMessage('sensor_msgs/msg/Image', raw);
  rows.push({
    name: `CDR encode Image ${W}x${H} rgb8`,
    value: await timeMedianMs(() => encodeMessage('sensor_msgs/msg/Image', raw), 20),
    unit: 'ms',
  });
  rows.push({
    name: `CDR decode Image ${W}x${H} rgb8`,
    value: await timeMedianMs(() => decodeMessage('sensor_msgs/msg/Image', cdr), 20),
    unit: 'ms',
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-io-bench-'));
  try {
    const frames = 60;
    const mb = (frames * cdr.length) / 1e6;
    const t0 = process.hrtime.bigint();
    const writer = await McapBagWriter.create(path.join(dir, 'bag'), { compression: 'none' });
    for (let i = 0; i < frames; i++) await writer.writeSerialized('/cam/image_raw', 'sensor_msgs/msg/Image', BigInt(i) * 100_000_000n, cdr);
    await writer.close();
    const writeS = Number(process.hrtime.bigint() - t0) / 1e9;
    rows.push({
      name: 'bag write (mcap, uncompressed)',
      value: mb / writeS,
      unit: 'MB/s',
      lowerIsBetter: false,
      note: `${frames} x ${(cdr.length / 1e6).toFixed(1)} MB`,
    });
    const t1 = process.hrtime.bigint();
    const reader = await openBag(path.join(dir, 'bag'));
    for await (const m of reader.messages()) m.decode();
    await reader.close();
    const readS = Number(process.hrtime.bigint() - t1) / 1e9;
    rows.push({
      name: 'bag read + decode (mcap)',
      value: mb / readS,
      unit: 'MB/s',
      lowerIsBetter: false,
      note: `${frames} Image messages`,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
