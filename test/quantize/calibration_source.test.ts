// Where calibration frames come from (`--calibration <dir|bag>`): a rendered scene bag's camera
// topics sampled across the recording (its depth topics left out), a photo folder, and errors
// that name the path for anything else. Then the MSE range on distributions whose optimum is
// known, and a shared detector quantised on bag frames that the pipeline's Detector runs.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Detector } from '../../src/inference/detector';
import { analyzeModel } from '../../src/profile/model_analysis';
import { detectionAgreement } from '../../src/quantize/detection_agreement';
import { activationParams, dequantizeValue, quantizeValue } from '../../src/quantize/qdq_math';
import { loadCalibrationFrames } from '../../src/quantize/calibration_source';
import { mseRange } from '../../src/quantize/mse_range';
import { quantizeDetector } from '../../src/quantize/quantize_model';
import { dataPath, requireData } from '../support/data_dir';
import { sceneBag } from '../support/scene_bags';
import { seededRandom } from '../support/seeded_random';
import { loadPhoto } from '../inference/photos';

function roundTripMse(values: Float32Array, r: { min: number; max: number }): number {
  const p = activationParams(r.min, r.max);
  return values.reduce((s, v) => s + (v - dequantizeValue(quantizeValue(v, p, 0, 255), p)) ** 2, 0) / values.length;
}

describe('quantize: calibration frames from a folder or a bag', function () {
  this.timeout(300_000);

  it('samples camera frames across a scene bag, leaving its depth images out', async () => {
    const bag = await sceneBag('corridor_crossing', 1, true);
    const frames = await loadCalibrationFrames(bag, 10);
    assert.equal(frames.length, 10);
    const topics = new Set(frames.map((f) => f.name.split('@')[0]));
    assert.ok(topics.size >= 2, `frames from ${[...topics].join(', ')}`);
    for (const t of topics) assert.match(t, /\/image_raw$/);
    for (const f of frames) assert.equal(f.image.format, 'rgb8');
    const times = frames.map((f) => BigInt(f.name.split('@')[1]));
    assert.ok(times[times.length - 1] - times[0] > 500_000_000n, 'frames span more than half of the 1 s bag');
  });

  it('reads a folder of photos', async function () {
    requireData(this, 'data/images/dog.jpg');
    const frames = await loadCalibrationFrames(dataPath('data/images'), 3);
    assert.deepEqual(
      frames.map((f) => f.name),
      ['000000000139.jpg', '000000000285.jpg', '000000000632.jpg'],
    );
  });

  it('names the path and what it expected for anything else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calib-'));
    const text = join(dir, 'frames.txt');
    writeFileSync(text, 'not images');
    await assert.rejects(
      loadCalibrationFrames(text, 5),
      /--calibration ".*frames\.txt" is a file that is not a bag; expected a folder of \.jpg\/\.png images or a rosbag2 bag/,
    );
    await assert.rejects(loadCalibrationFrames(dir, 5, '--check'), /--check ".*" holds no \.jpg\/\.png images and no bag/);
    await assert.rejects(loadCalibrationFrames(join(dir, 'missing'), 5), /"[^"]*missing" does not exist/);
    const broken = join(dir, 'broken.mcap');
    writeFileSync(broken, 'not an mcap file');
    await assert.rejects(loadCalibrationFrames(broken, 5), /--calibration ".*broken\.mcap": /);
  });
});

describe('quantize: MSE activation range', () => {
  it('keeps the whole range of a uniform tensor', () => {
    const rand = seededRandom(3);
    const values = Float32Array.from({ length: 20000 }, () => rand() * 6).sort();
    const r = mseRange(values);
    assert.ok(r.max > 5.8 && r.min === 0, `[${r.min}, ${r.max}]`);
  });

  it('has no more round-trip error than min-max or a percentile range on a long-tailed tensor', () => {
    const rand = seededRandom(5);
    // A stem-like activation: most values near 1, one in a thousand reaching 90.
    const values = Float32Array.from({ length: 20000 }, (_, i) => (i % 1000 === 0 ? 90 * rand() : -Math.log(1 - rand() * 0.999))).sort();
    const r = mseRange(values);
    const err = roundTripMse(values, r);
    const minmax = roundTripMse(values, { min: 0, max: values[values.length - 1] });
    const p999 = roundTripMse(values, { min: 0, max: values[Math.round(0.999 * (values.length - 1))] });
    assert.ok(err <= minmax && err <= p999, `MSE ${err}, min-max ${minmax}, 99.9 % ${p999}`);
    assert.ok(r.max < values[values.length - 1], `the range [${r.min}, ${r.max}] clips the largest value`);
  });
});

describe('quantize: a shared detector calibrated on bag frames', function () {
  this.timeout(300_000);

  it('writes a QDQ model the Detector runs, whose boxes on a photo match FP32', async function () {
    requireData(this, 'models/fastestdet_352.onnx', 'data/images/dog.jpg');
    const fp32 = dataPath('models/fastestdet_352.onnx');
    const bag = await sceneBag('corridor_crossing', 1);
    const frames = (await loadCalibrationFrames(bag, 6)).map((f) => f.image);
    const out = join(mkdtempSync(join(tmpdir(), 'fastestdet-int8-')), 'fastestdet_int8.onnx');
    const s = await quantizeDetector(fp32, out, frames, { method: 'mse', percentile: 99.99 });
    assert.equal(s.calibrationInputs, 6);
    assert.ok(s.quantizedWeights >= 60, `${s.quantizedWeights} weights`);
    assert.equal(analyzeModel(out).quantized, true);
    const photo = loadPhoto(dataPath('data/images/dog.jpg'));
    const boxes = async (model: string) => {
      const det = await Detector.create({ modelPath: model, warmupRuns: 0 });
      try {
        return await det.detect([photo]);
      } finally {
        await det.dispose();
      }
    };
    const a = detectionAgreement(await boxes(fp32), await boxes(out));
    assert.ok(a.reference >= 1, 'FP32 finds something in dog.jpg');
    // Six synthetic corridor frames are a poor calibration set for a photo; the model must still
    // find what FP32 finds in it.
    assert.ok(a.kept >= 1, `INT8 kept ${a.kept}/${a.reference} FP32 boxes`);
  });
});
