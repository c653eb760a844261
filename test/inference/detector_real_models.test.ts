// The shared pretrained detectors on the shared real photos: (1) they find what a person sees,
// (2) every box agrees with an independent reference decode (numpy + cv2.dnn.NMSBoxes, in
// reference_decode.py) of the same raw model output.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Raster } from '../../src/io/raster';
import { Detector, type Detection } from '../../src/inference/detector';
import { OnnxRuntimeBackend } from '../../src/inference/onnxruntime_backend';
import { createPreprocessor } from '../../src/inference/preprocess';
import { requireData } from '../support/data_dir';
import { IMAGES_DIR, MODELS_DIR, loadPhoto } from './photos';
import { requireOpenCvPython } from '../support/opencv_python';

const MODELS = ['yolox_nano_416', 'nanodet_m_416', 'nanodet_m_320', 'fastestdet_352'] as const;

/** Classes each model must report per photo (set by looking at each photo's results once). */
const COMMON_EXPECTED: Record<string, string[]> = {
  'dog.jpg': ['dog', 'bicycle', 'car|truck'],
  'person.jpg': ['person', 'dog', 'horse'],
  '000000000139.jpg': ['tvmonitor', 'chair'],
  '000000000285.jpg': ['bear'],
  '000000000632.jpg': ['bed'],
  '000000000724.jpg': ['stop sign'],
  '000000000776.jpg': ['teddy bear'],
  '000000000785.jpg': ['person'],
  '000000000802.jpg': ['refrigerator', 'oven'],
  '000000000872.jpg': ['person'],
  '000000000885.jpg': ['person', 'tennis racket', 'sports ball'],
  '000000001000.jpg': ['person'],
  'street.png': ['person', 'car'],
};

/** Known model mistakes, stated rather than hidden: FastestDet (1M parameters) labels the
 * horse in person.jpg "sheep" with p = 0.97 (0.49 with RGB input), so a box is still there. */
const MODEL_EXCEPTIONS: Partial<Record<(typeof MODELS)[number], Record<string, string[]>>> = {
  fastestdet_352: { 'person.jpg': ['person', 'dog', 'horse|sheep'] },
};

/** Results per model, for the cross-model check at the end. */
const resultsByModel = new Map<string, Detection[][]>();

function iou(a: number[], b: Detection): number {
  const w = Math.min(a[2], b.x2) - Math.max(a[0], b.x1);
  const h = Math.min(a[3], b.y2) - Math.max(a[1], b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

describe('Detector on the shared models and photos', function () {
  let files: string[];
  let photos: Raster[];
  let work: string;

  before(function () {
    requireData(this, 'data/images', ...MODELS.map((m) => `models/${m}.onnx`));
    files = readdirSync(IMAGES_DIR)
      .filter((f) => /\.(jpg|png)$/.test(f))
      .sort();
    photos = files.map((f) => loadPhoto(join(IMAGES_DIR, f)));
    work = mkdtempSync(join(tmpdir(), 'dx-detector-'));
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const model of MODELS) {
    describe(model, () => {
      let results: Detection[][];
      let references: number[][][];

      before(async function () {
        this.timeout(60000);
        const modelPath = join(MODELS_DIR, `${model}.onnx`);
        const detector = await Detector.create({ modelPath, intraOpThreads: 2 });
        const info = detector.info;
        results = await detector.detect(photos);
        resultsByModel.set(model, results);
        await detector.dispose();
        // Raw outputs of the same model for the same input, dumped for the reference decoder.
        const backend = new OnnxRuntimeBackend();
        await backend.load(modelPath, { intraOpThreads: 2 });
        const pre = createPreprocessor('js', info.preprocess);
        const jobs = [];
        for (const [i, photo] of photos.entries()) {
          const { tensor, transforms } = await pre.run([photo]);
          const outputs = await backend.run({ [info.inputName]: tensor });
          const dumped = Object.entries(outputs).map(([name, t], k) => {
            const file = join(work, `${model}_${i}_${k}.f32`);
            writeFileSync(file, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
            return { name, file, dims: t.dims };
          });
          jobs.push({
            decoder: info.decoder,
            outputs: dumped,
            inputWidth: info.preprocess.width,
            inputHeight: info.preprocess.height,
            transform: transforms[0],
            scoreThreshold: info.scoreThreshold,
            nmsIouThreshold: 0.45,
            centerOffset: 0.5,
          });
        }
        await backend.dispose();
        const jobFile = join(work, `${model}.json`);
        writeFileSync(jobFile, JSON.stringify(jobs));
        const stdout = execFileSync(requireOpenCvPython(), [join(__dirname, 'reference_decode.py'), jobFile], { encoding: 'utf8' });
        references = JSON.parse(stdout) as number[][][];
      });

      it('finds the objects a person sees in each photo', () => {
        const expected = { ...COMMON_EXPECTED, ...MODEL_EXCEPTIONS[model] };
        files.forEach((file, i) => {
          const found = new Set(results[i].map((d) => d.className));
          for (const want of expected[file] ?? []) {
            assert.ok(
              want.split('|').some((c) => found.has(c)),
              `${model} on ${file}: no ${want} among [${[...found].join(', ')}]`,
            );
          }
        });
      });

      it('finds several people in the group photo and across the COCO photos the classes person, chair, tv, car', () => {
        const group = results[files.indexOf('000000001000.jpg')].filter((d) => d.className === 'person');
        assert.ok(group.length >= 5, `${model}: ${group.length} people in 000000001000.jpg; expected at least 5`);
        const all = new Set(results.flat().map((d) => d.className));
        for (const c of ['person', 'chair', 'tvmonitor', 'car']) assert.ok(all.has(c), `${model}: no ${c} in any photo`);
      });

      it('returns boxes inside the image, best score first', () => {
        photos.forEach((p, i) => {
          results[i].forEach((d, k) => {
            assert.ok(
              d.x1 >= 0 && d.y1 >= 0 && d.x2 <= p.width && d.y2 <= p.height && d.x2 > d.x1 && d.y2 > d.y1,
              `${files[i]}: box ${JSON.stringify(d)}`,
            );
            if (k > 0) assert.ok(results[i][k - 1].score >= d.score);
          });
        });
      });

      it('agrees box for box with the independent reference decode (IoU > 0.9, same class)', () => {
        files.forEach((file, i) => {
          const ours = results[i];
          const ref = references[i];
          assert.equal(ours.length, ref.length, `${model} on ${file}: ${ours.length} boxes; reference has ${ref.length}`);
          const used = new Set<number>();
          for (const d of ours) {
            let best = -1;
            let bestIou = 0;
            ref.forEach((r, k) => {
              const v = r[5] === d.classId && !used.has(k) ? iou(r, d) : 0;
              if (v > bestIou) {
                bestIou = v;
                best = k;
              }
            });
            assert.ok(
              bestIou > 0.9,
              `${model} on ${file}: ${d.className} ${d.score.toFixed(3)} has best reference IoU ${bestIou.toFixed(3)}`,
            );
            assert.ok(Math.abs(ref[best][4] - d.score) < 1e-4, `${model} on ${file}: score ${d.score} vs reference ${ref[best][4]}`);
            used.add(best);
          }
        });
      });
    });
  }

  // Independent of the decode check above: different models must put the same objects in the
  // same places. This is what settles NanoDet's cell-centre offset: with 0.5 stride the mean IoU
  // with YOLOX over these six objects is 0.86-0.88; with 0 it is 0.62-0.64.
  describe('across models', () =>
    it('puts the main objects of dog.jpg and person.jpg where YOLOX does (mean IoU > 0.8)', () => {
      const yolox = resultsByModel.get('yolox_nano_416')!;
      const objects = [
        ['dog.jpg', 'dog'],
        ['dog.jpg', 'bicycle'],
        ['dog.jpg', 'car'],
        ['person.jpg', 'person'],
        ['person.jpg', 'dog'],
        ['person.jpg', 'horse'],
      ];
      for (const model of MODELS.filter((m) => m !== 'yolox_nano_416')) {
        const ious: number[] = [];
        for (const [file, c] of objects) {
          const i = files.indexOf(file);
          const ref = yolox[i].find((d) => d.className === c)!;
          // FastestDet calls the horse a sheep (see MODEL_EXCEPTIONS): compare that box instead.
          const other = resultsByModel.get(model)![i].find((d) => d.className === c || (c === 'horse' && d.className === 'sheep'));
          if (other !== undefined) ious.push(iou([ref.x1, ref.y1, ref.x2, ref.y2], other));
        }
        const mean = ious.reduce((a, b) => a + b, 0) / ious.length;
        assert.ok(ious.length >= 5 && mean > 0.8, `${model}: IoUs with YOLOX ${ious.map((v) => v.toFixed(2)).join(', ')}`);
      }
    }));
});
