// Detector.retune: a live change of detection.score_threshold, nms_iou_threshold or
// max_detections applies to the next images on the same model session.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRaster } from '../../src/io/raster';
import { Detector } from '../../src/inference/detector';
import { constantDetectorModel } from './synthetic_models';

const N = (64 / 8) * (64 / 8) + (64 / 16) * (64 / 16) + (64 / 32) * (64 / 32); // grid cells at 64x64

describe('inference/Detector.retune', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'dx-retune-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('applies new thresholds to the next images and refuses a value out of range, naming it', async () => {
    const C = 3;
    const v = new Float32Array((4 + C) * N);
    const put = (i: number, cx: number, cls: number, score: number) => {
      [v[i], v[N + i], v[2 * N + i], v[3 * N + i], v[(4 + cls) * N + i]] = [cx, 30, 10, 20, score];
    };
    put(0, 10, 0, 0.9);
    put(1, 11, 0, 0.8); // IoU 0.82 with #0: suppressed at the default NMS threshold 0.45
    put(2, 40, 1, 0.5);
    put(3, 55, 2, 0.3);
    const path = join(dir, 'yolov8.onnx');
    writeFileSync(path, constantDetectorModel('yolov8', { width: 64, height: 64 }, [4 + C, N], v));
    const det = await Detector.create({ modelPath: path, scoreThreshold: 0.25 });
    const image = createRaster(64, 64, 'rgb8');
    const scores = async () => (await det.detect([image]))[0]!.map((d) => Math.round(d.score * 10) / 10);
    try {
      assert.deepEqual(await scores(), [0.9, 0.5, 0.3]);
      det.retune({ scoreThreshold: 0.4 });
      assert.deepEqual(await scores(), [0.9, 0.5]);
      det.retune({ scoreThreshold: 0.4, nmsIouThreshold: 0.9 });
      assert.deepEqual(await scores(), [0.9, 0.8, 0.5]);
      det.retune({ scoreThreshold: 0.4, nmsIouThreshold: 0.9, maxDetections: 1 });
      assert.deepEqual(await scores(), [0.9]);
      assert.throws(() => det.retune({ scoreThreshold: 2 }), /scoreThreshold = 2: Too big/);
      assert.deepEqual(await scores(), [0.9], 'a refused change leaves the thresholds as they were');
    } finally {
      await det.dispose();
    }
  });
});
