// YOLOv5, YOLOv8 and end-to-end layouts on small models the project builds, with outputs known
// by construction, so the exact boxes after decode + NMS + mapping back are known.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Raster } from '../../src/io/raster';
import { createRaster } from '../../src/io/raster';
import { Detector, type Detection } from '../../src/inference/detector';
import { constantDetectorModel } from './synthetic_models';

const N = (64 / 8) * (64 / 8) + (64 / 16) * (64 / 16) + (64 / 32) * (64 / 32); // 84 grid cells at 64x64

function box(d: Detection): number[] {
  return [d.x1, d.y1, d.x2, d.y2, d.score, d.classId].map((v) => Math.round(v * 1e4) / 1e4);
}

describe('decoders on project-built models with known outputs', function () {
  let dir: string;
  // 128x64 letterboxes to scale 0.5 with 16 px bands top and bottom (centred, the YOLOv5/v8
  // preset); 64x64 is the identity; 32x64 sits between 16 px bands left and right.
  let wide: Raster, square: Raster, tall: Raster;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dx-decoders-'));
    wide = createRaster(128, 64, 'bgr8');
    square = createRaster(64, 64, 'rgb8');
    tall = createRaster(32, 64, 'mono8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function save(name: string, bytes: Uint8Array): string {
    const path = join(dir, `${name}.onnx`);
    writeFileSync(path, bytes);
    return path;
  }

  describe('yolov8 [batch, 4 + C, N]', () => {
    let path: string;
    before(() => {
      const C = 3;
      const v = new Float32Array((4 + C) * N);
      const put = (i: number, cx: number, cy: number, w: number, h: number, cls: number, score: number) => {
        v[i] = cx;
        v[N + i] = cy;
        v[2 * N + i] = w;
        v[3 * N + i] = h;
        v[(4 + cls) * N + i] = score;
      };
      put(0, 20, 30, 10, 20, 0, 0.9);
      put(1, 21, 30, 10, 20, 0, 0.8); // same class, IoU 0.82 with #0: suppressed
      put(2, 20, 30, 10, 20, 1, 0.7); // same place, other class: kept
      put(3, 50, 50, 8, 8, 2, 0.2); // under the 0.25 preset threshold
      put(4, 40, 30, 6, 4, 2, 0.6);
      path = save('yolov8', constantDetectorModel('yolov8', { width: 64, height: 64 }, [4 + C, N], v));
    });

    it('auto-detects the layout and maps each image of one batched run back to its own pixels', async () => {
      const det = await Detector.create({ modelPath: path });
      try {
        assert.equal(det.info.decoder, 'yolov8');
        assert.equal(det.info.batchSize, Number.POSITIVE_INFINITY);
        const [a, b, c] = await det.detect([wide, square, tall]);
        assert.deepEqual(a.map(box), [
          [30, 8, 50, 48, 0.9, 0],
          [30, 8, 50, 48, 0.7, 1],
          [74, 24, 86, 32, 0.6, 2],
        ]);
        assert.deepEqual(b.map(box), [
          [15, 20, 25, 40, 0.9, 0],
          [15, 20, 25, 40, 0.7, 1],
          [37, 28, 43, 32, 0.6, 2],
        ]);
        // Tall image: x shifted by the 16 px band; the first two boxes start left of the image and are clipped.
        assert.deepEqual(c.map(box), [
          [0, 20, 9, 40, 0.9, 0],
          [0, 20, 9, 40, 0.7, 1],
          [21, 28, 27, 32, 0.6, 2],
        ]);
        assert.deepEqual(
          a.map((d) => d.className),
          ['person', 'bicycle', 'car'],
        );
      } finally {
        await det.dispose();
      }
    });

    it('gives the same boxes with one run per image, and honours thresholds and maxDetections', async () => {
      const det = await Detector.create({
        modelPath: path,
        batch: 'sequential',
        scoreThreshold: 0.65,
        maxDetections: 1,
        nmsIouThreshold: 0.9,
      });
      try {
        const [b] = await det.detect([square]);
        assert.deepEqual(b.map(box), [[15, 20, 25, 40, 0.9, 0]]);
      } finally {
        await det.dispose();
      }
      const loose = await Detector.create({ modelPath: path, batch: 'sequential', nmsIouThreshold: 0.9 });
      try {
        const [b] = await loose.detect([square]);
        // IoU 0.82 < 0.9: the second class-0 box survives this time.
        assert.deepEqual(
          b.map((d) => [d.classId, Math.round(d.score * 100)]),
          [
            [0, 90],
            [0, 80],
            [1, 70],
            [2, 60],
          ],
        );
      } finally {
        await loose.dispose();
      }
    });
  });

  describe('yolov5 [batch, N, 5 + C]', () => {
    it('scores obj x class, suppresses per class and maps back', async () => {
      const C = 2;
      const rows = 3 * N;
      const v = new Float32Array(rows * (5 + C));
      const put = (r: number, vals: number[]) => v.set(vals, r * (5 + C));
      put(0, [32, 32, 16, 16, 0.9, 1.0, 0.1]); // 0.9, class 0
      put(5, [34, 32, 16, 16, 0.95, 0.8, 0.0]); // 0.76 class 0, IoU 0.78 with row 0: suppressed
      put(7, [10, 10, 4, 4, 1.0, 0.2, 0.5]); // 0.5, class 1
      put(9, [50, 50, 4, 4, 0.5, 0.4, 0.0]); // 0.2: under threshold
      const path = save('yolov5', constantDetectorModel('yolov5', { width: 64, height: 64, batch: 1 }, [rows, 5 + C], v));
      const det = await Detector.create({ modelPath: path });
      try {
        assert.equal(det.info.decoder, 'yolov5');
        assert.equal(det.info.batchSize, 1);
        const [a, b] = await det.detect([wide, square]);
        // The class-1 box lies inside the top letterbox band of the wide image: dropped.
        assert.deepEqual(a.map(box), [[48, 16, 80, 48, 0.9, 0]]);
        assert.deepEqual(b.map(box), [
          [24, 24, 40, 40, 0.9, 0],
          [8, 8, 12, 12, 0.5, 1],
        ]);
      } finally {
        await det.dispose();
      }
    });
  });

  describe('end2end [batch, N, 6]', () => {
    const rows = [
      [0.1, 0.2, 0.3, 0.4, 0.9, 16],
      [0.12, 0.2, 0.3, 0.4, 0.8, 16], // overlaps row 0, same class: kept (no NMS for end-to-end output)
      [0.5, 0.5, 0.75, 1.0, 0.1, 2], // under threshold
      [0.5, 0.5, 0.75, 1.0, 0.3, 2],
      [0, 0, 0, 0, 0, 0],
    ];

    it('reads normalised coordinates when told to, and keeps overlapping boxes', async () => {
      const path = save('e2e_norm', constantDetectorModel('e2e', { width: 64, height: 64 }, [5, 6], Float32Array.from(rows.flat())));
      const det = await Detector.create({ modelPath: path, normalizedCoords: true, resizeMode: 'resize' });
      try {
        assert.equal(det.info.decoder, 'end2end');
        const [a] = await det.detect([wide]);
        // resize 128x64 -> 64x64: x scales by 2, y by 1, after x64 from normalised.
        assert.deepEqual(a.map(box), [
          [12.8, 12.8, 38.4, 25.6, 0.9, 16],
          [15.36, 12.8, 38.4, 25.6, 0.8, 16],
          [64, 32, 96, 64, 0.3, 2],
        ]);
        assert.deepEqual(
          a.map((d) => d.className),
          ['dog', 'dog', 'car'],
        );
      } finally {
        await det.dispose();
      }
    });

    it('reads pixel coordinates by default', async () => {
      const pixels = rows.map((r) => [r[0] * 64, r[1] * 64, r[2] * 64, r[3] * 64, r[4], r[5]]);
      const path = save('e2e_px', constantDetectorModel('e2e', { width: 64, height: 64 }, [5, 6], Float32Array.from(pixels.flat())));
      const det = await Detector.create({ modelPath: path });
      try {
        const [b] = await det.detect([square]);
        assert.deepEqual(b.map(box), [
          [6.4, 12.8, 19.2, 25.6, 0.9, 16],
          [7.68, 12.8, 19.2, 25.6, 0.8, 16],
          [32, 32, 48, 64, 0.3, 2],
        ]);
      } finally {
        await det.dispose();
      }
    });
  });
});
