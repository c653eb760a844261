// Preprocessing: the typed-array strategy against OpenCV (cv2.resize INTER_LINEAR, run in
// python3 on the same decoded pixels), and the ONNX-graph strategy against the typed-array one.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRaster, type Raster } from '../../src/io/raster';
import { createPreprocessor } from '../../src/inference/preprocess';
import { imageTransform, type PreprocessOptions } from '../../src/inference/preprocess_options';
import { IMAGES_DIR, loadPhoto } from './photos';
import { requireData } from '../support/data_dir';
import { requireOpenCvPython } from '../support/opencv_python';

const YOLOX_LIKE: PreprocessOptions = {
  width: 416,
  height: 416,
  mode: 'letterbox',
  letterboxAlign: 'topleft',
  padValue: 114,
  channelOrder: 'bgr',
  mean: [0, 0, 0],
  std: [1, 1, 1],
};
const NORMALISED_RGB: PreprocessOptions = {
  width: 320,
  height: 256,
  mode: 'resize',
  letterboxAlign: 'topleft',
  padValue: 0,
  channelOrder: 'rgb',
  mean: [123.675, 116.28, 103.53],
  std: [58.395, 57.12, 57.375],
};
const CENTRED: PreprocessOptions = {
  ...YOLOX_LIKE,
  width: 320,
  height: 320,
  letterboxAlign: 'center',
  channelOrder: 'rgb',
  std: [255, 255, 255],
};

const CV2_REFERENCE = `
import sys, json, numpy as np, cv2
a = json.loads(sys.argv[1])
img = np.fromfile(a["raw"], np.uint8).reshape(a["h"], a["w"], 3)
t = a["t"]
rw, rh = round(a["w"] * t["scaleX"]), round(a["h"] * t["scaleY"])
r = cv2.resize(img, (rw, rh), interpolation=cv2.INTER_LINEAR).astype(np.float32)
if a["order"] == "rgb": r = r[:, :, ::-1]
canvas = np.full((a["H"], a["W"], 3), a["pad"], np.float32)
canvas[t["padY"]:t["padY"] + rh, t["padX"]:t["padX"] + rw] = r
out = (canvas - np.array(a["mean"], np.float32)) / np.array(a["std"], np.float32)
ours = np.fromfile(a["ours"], np.float32).reshape(3, a["H"], a["W"]).transpose(1, 2, 0)
d = np.abs(out - ours) * np.array(a["std"], np.float32)
print(json.dumps({"max": float(d.max()), "mean": float(d.mean())}))
`;

describe('preprocessing', function () {
  let dir: string;
  let dog: Raster<Uint8Array>;
  before(function () {
    requireData(this, 'data/images/dog.jpg');
    dir = mkdtempSync(join(tmpdir(), 'dx-preprocess-'));
    dog = loadPhoto(join(IMAGES_DIR, 'dog.jpg'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, opts] of [
    ['letterbox BGR raw', YOLOX_LIKE],
    ['resize RGB mean/std', NORMALISED_RGB],
    ['centred letterbox RGB /255', CENTRED],
  ] as const) {
    it(`typed-array strategy matches OpenCV within 1 grey level: ${name}`, async () => {
      const { tensor, transforms } = await createPreprocessor('js', opts).run([dog]);
      const raw = join(dir, 'dog.bgr');
      const ours = join(dir, 'ours.f32');
      writeFileSync(raw, dog.data);
      writeFileSync(ours, tensor.data as Float32Array);
      const args = {
        raw,
        ours,
        w: dog.width,
        h: dog.height,
        W: opts.width,
        H: opts.height,
        t: transforms[0],
        pad: opts.padValue,
        order: opts.channelOrder,
        mean: opts.mean,
        std: opts.std,
      };
      const { max, mean } = JSON.parse(
        execFileSync(requireOpenCvPython(), ['-c', CV2_REFERENCE, JSON.stringify(args)], { encoding: 'utf8' }),
      ) as { max: number; mean: number };
      // OpenCV interpolates uint8 in 11-bit fixed point and rounds; we keep float.
      assert.ok(max <= 1.0 && mean < 0.3, `max |ours - cv2| = ${max}, mean ${mean} grey levels`);
    });
  }

  it('places letterboxed images as YOLOX (top-left) and YOLOv5/v8 (centred) expect', () => {
    assert.deepEqual(imageTransform(YOLOX_LIKE, 640, 480), { scaleX: 0.65, scaleY: 0.65, padX: 0, padY: 0, srcWidth: 640, srcHeight: 480 });
    assert.deepEqual(imageTransform(CENTRED, 640, 480), { scaleX: 0.5, scaleY: 0.5, padX: 0, padY: 40, srcWidth: 640, srcHeight: 480 });
    assert.deepEqual(imageTransform(NORMALISED_RGB, 640, 480), {
      scaleX: 0.5,
      scaleY: 256 / 480,
      padX: 0,
      padY: 0,
      srcWidth: 640,
      srcHeight: 480,
    });
  });

  it('the ONNX-graph strategy gives the same batch tensor as the typed-array one (3 cameras, bgr and mono)', async () => {
    const gray = createRaster(dog.width, dog.height, 'mono8');
    for (let i = 0; i < gray.data.length; i++) gray.data[i] = dog.data[3 * i + 1];
    for (const images of [[dog, dog, dog], [gray]]) {
      for (const opts of [YOLOX_LIKE, NORMALISED_RGB]) {
        const js = await createPreprocessor('js', opts).run(images);
        const graph = createPreprocessor('onnx', opts);
        try {
          const viaGraph = await graph.run(images);
          assert.deepEqual(viaGraph.tensor.dims, js.tensor.dims);
          assert.deepEqual(viaGraph.transforms, js.transforms);
          const a = js.tensor.data as Float32Array;
          const b = viaGraph.tensor.data as Float32Array;
          let max = 0;
          for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
          assert.ok(max < 0.02, `max difference ${max}`);
        } finally {
          await graph.dispose();
        }
      }
    }
  });

  it('rejects formats it cannot take and rasters whose data does not fit their size', async () => {
    const pre = createPreprocessor('js', YOLOX_LIKE);
    await assert.rejects(
      pre.run([createRaster(4, 4, 'mono16')]),
      /image format "mono16" is not supported; expected mono8, rgb8, bgr8, rgba8 or bgra8/,
    );
    const short: Raster = { width: 4, height: 4, channels: 3, format: 'bgr8', data: new Uint8Array(10) };
    await assert.rejects(pre.run([short]), /bgr8 image 4x4 has 10 values; expected 48/);
  });
});
