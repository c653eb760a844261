// Inference benchmarks per shared detector: preprocessing per 640x480 image (each strategy, and
// OpenCV doing the same operation in python as the reference), single-image inference, a
// 4-camera frame set, and decode + NMS per image.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandidateBuffer } from '../src/inference/candidates';
import { createDecoder } from '../src/inference/decoders';
import { Detector } from '../src/inference/detector';
import { nmsClassAware } from '../src/inference/nms';
import { OnnxRuntimeBackend } from '../src/inference/onnxruntime_backend';
import { createPreprocessor, type PreprocessStrategy } from '../src/inference/preprocess';
import type { PreprocessOptions } from '../src/inference/preprocess_options';
import { IMAGES_DIR, MODELS_DIR, loadPhoto } from '../test/inference/photos';
import { requireOpenCvPython } from '../test/support/opencv_python';
import { timeMedianMs, type BenchRow } from './harness';

const MODELS = ['yolox_nano_416', 'nanodet_m_416', 'nanodet_m_320', 'fastestdet_352'];
const THREADS = 2;

const CV2_TIMING = `
import sys, json, time, numpy as np, cv2
a = json.loads(sys.argv[1])
img = np.fromfile(a["raw"], np.uint8).reshape(480, 640, 3)
W, H = a["W"], a["H"]
mean = np.array(a["mean"], np.float32); inv = 1 / np.array(a["std"], np.float32)
def once():
    if a["mode"] == "letterbox":
        r = min(W / 640, H / 480); rw, rh = round(640 * r), round(480 * r)
        out = np.full((H, W, 3), a["pad"], np.uint8)
        out[:rh, :rw] = cv2.resize(img, (rw, rh), interpolation=cv2.INTER_LINEAR)
    else:
        out = cv2.resize(img, (W, H), interpolation=cv2.INTER_LINEAR)
    return ((out.astype(np.float32) - mean) * inv).transpose(2, 0, 1).copy()
for _ in range(20): once()
ts = []
for _ in range(100):
    t = time.perf_counter(); once(); ts.append((time.perf_counter() - t) * 1e3)
print(sorted(ts)[50])
`;

function cv2PreprocessMs(raw: string, p: PreprocessOptions): number {
  const args = JSON.stringify({ raw, W: p.width, H: p.height, mode: p.mode, pad: p.padValue, mean: p.mean, std: p.std });
  return Number(execFileSync(requireOpenCvPython(), ['-c', CV2_TIMING, args], { encoding: 'utf8' }).trim());
}

export default async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // 000000001000.jpg is 640x480: the camera size the targets are set for.
  const image = loadPhoto(join(IMAGES_DIR, '000000001000.jpg'));
  const cams = [image, image, image, image];
  const dir = mkdtempSync(join(tmpdir(), 'dx-bench-inference-'));
  const raw = join(dir, 'cam.bgr');
  writeFileSync(raw, image.data);
  try {
    for (const model of MODELS) {
      const modelPath = join(MODELS_DIR, `${model}.onnx`);
      const detector = await Detector.create({ modelPath, intraOpThreads: THREADS });
      const { preprocess, inputName, decoder: decoderName, scoreThreshold, batchSize } = detector.info;
      const size = `${preprocess.width}x${preprocess.height}`;

      const cv2Ms = cv2PreprocessMs(raw, preprocess);
      rows.push({
        name: `${model} preprocess 640x480 -> ${size}, OpenCV reference (python)`,
        value: cv2Ms,
        unit: 'ms',
        note: 'cv2.resize + normalise + HWC->CHW, same run',
      });
      for (const strategy of ['js', 'onnx'] as PreprocessStrategy[]) {
        const pre = createPreprocessor(strategy, preprocess, { intraOpThreads: THREADS });
        const one = await timeMedianMs(() => pre.run([image]), 30, 5);
        const four = await timeMedianMs(() => pre.run(cams), 15, 3);
        await pre.dispose();
        const dflt = strategy === 'js' ? ' (default)' : '';
        rows.push({
          name: `${model} preprocess 640x480 -> ${size}, ${strategy}${dflt}`,
          value: one,
          unit: 'ms',
          target: 2,
          note: `${(one / cv2Ms).toFixed(2)}x OpenCV`,
        });
        rows.push({ name: `${model} preprocess 4 cameras, ${strategy}, per image`, value: four / 4, unit: 'ms', target: 2 });
      }

      const backend = new OnnxRuntimeBackend();
      await backend.load(modelPath, { intraOpThreads: THREADS });
      const { tensor } = await createPreprocessor('js', preprocess).run([image]);
      const feed = { [inputName]: tensor };
      await backend.warmup(2);
      rows.push({
        name: `${model} inference, 1 image`,
        value: await timeMedianMs(() => backend.run(feed), 15, 2),
        unit: 'ms',
        note: `onnxruntime CPU, ${THREADS} threads`,
      });
      const fixedBatch = Number.isFinite(batchSize);
      rows.push({
        name: `${model} inference, 4 cameras`,
        value: await timeMedianMs(() => Promise.all(cams.map(() => backend.run(feed))), 8, 1),
        unit: 'ms',
        note: fixedBatch ? `model batch fixed at ${batchSize}: 4 sequential runs queued at once` : 'one batched run',
      });

      const outputs = await backend.run(feed);
      const dec = createDecoder(decoderName, {
        model: modelPath,
        outputs: backend.outputs(),
        inputWidth: preprocess.width,
        inputHeight: preprocess.height,
        normalizedCoords: false,
        centerOffset: 0.5,
      });
      const cands = new CandidateBuffer();
      let kept = 0;
      const decodeMs = await timeMedianMs(
        () => {
          cands.clear();
          dec.decode(outputs, 0, scoreThreshold, cands);
          kept = nmsClassAware(cands, 0.45, 100).length;
        },
        50,
        10,
      );
      rows.push({
        name: `${model} decode + NMS, per image`,
        value: decodeMs,
        unit: 'ms',
        target: 1,
        note: `${cands.count} candidates -> ${kept} boxes`,
      });
      await backend.dispose();

      rows.push({
        name: `${model} Detector.detect, 4 cameras (end to end)`,
        value: await timeMedianMs(() => detector.detect(cams), 8, 1),
        unit: 'ms',
      });
      await detector.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
