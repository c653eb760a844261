// Hardware profiles as data (provenance enforced), timing reports, calibration (recovering known
// parameters, and fitting real onnxruntime timings on this host), and the frame budget.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { calibrate, fitCalibration } from '../../src/profile/calibrate';
import { predictCost } from '../../src/profile/cost_model';
import { frameBudget } from '../../src/profile/frame_budget';
import {
  listHardwareProfiles,
  loadHardwareProfile,
  parseHardwareProfile,
  PROFILES_DIR,
  type HardwareProfile,
} from '../../src/profile/hardware_profile';
import { measureHostProfile } from '../../src/profile/host_profile';
import { measureOnnxLatency } from '../../src/profile/onnx_timing';
import { analyzeModel, type ModelAnalysis } from '../../src/profile/model_analysis';
import { parseTimingReport, readTimingReport } from '../../src/profile/timing_report';
import { dataPath, requireData } from '../support/data_dir';
import { EXACT_MODEL } from './small_models';

const MODELS_DIR = dataPath('models');
const MODEL_FILES = ['yolox_nano_416.onnx', 'nanodet_m_416.onnx', 'nanodet_m_320.onnx', 'fastestdet_352.onnx'].map((f) =>
  join(MODELS_DIR, f),
);

describe('hardware profiles', () => {
  it('ships dx-v3 (default), dx-m1 and the host template, all valid', () => {
    assert.deepEqual(listHardwareProfiles(), ['dx-m1', 'dx-v3', 'host']);
    const p = loadHardwareProfile('dx-v3');
    assert.equal(p.npu.peakTops.value, 13);
    assert.equal(p.npu.precision.value, 'int8');
  });

  it('refuses a value that says neither where it came from nor why, naming the key', () => {
    const raw = parseYaml(readFileSync(join(PROFILES_DIR, 'dx-v3.yaml'), 'utf8')) as { npu: { peakTops: Record<string, unknown> } };
    delete raw.npu.peakTops.assumption;
    assert.throws(() => parseHardwareProfile(raw, 'test'), /npu\.peakTops = \{"value":13\}: expected a `source:` or an `assumption:`/);
    raw.npu.peakTops = { value: -1, source: 'x' };
    assert.throws(() => parseHardwareProfile(raw, 'test'), /npu\.peakTops\.value = -1/);
  });

  it('says which profiles exist when asked for a missing one', () => {
    assert.throws(() => loadHardwareProfile('dx-v9'), /"dx-v9" not found; expected one of \[dx-m1, dx-v3, host\]/);
  });
});

describe('timing reports', () => {
  it('reads JSON and CSV reports in the documented format', () => {
    assert.deepEqual(parseTimingReport('[{"model":"a.onnx","meanMs":2.5,"stdMs":0.1}]'), [{ model: 'a.onnx', meanMs: 2.5, stdMs: 0.1 }]);
    assert.deepEqual(parseTimingReport('{"measurements":[{"model":"b.onnx","mean_ms":3}]}'), [{ model: 'b.onnx', meanMs: 3 }]);
    assert.deepEqual(parseTimingReport('# DX-RT\nstd_ms,model,mean_ms\n0.2,c.onnx,4.5\n'), [{ model: 'c.onnx', meanMs: 4.5, stdMs: 0.2 }]);
    const dir = mkdtempSync(join(tmpdir(), 'dx-report-'));
    writeFileSync(join(dir, 'r.csv'), 'model,mean_ms\nm.onnx,1\n');
    assert.deepEqual(readTimingReport(join(dir, 'r.csv')), [{ model: join(dir, 'm.onnx'), meanMs: 1 }]);
  });

  it('rejects malformed reports naming the entry', () => {
    assert.throws(
      () => parseTimingReport('model,mean_ms\na.onnx,fast\n', 'r.csv'),
      /r\.csv: line 2 has mean_ms = "fast"; expected a number/,
    );
    assert.throws(() => parseTimingReport('name,ms\n'), /lacks "model" or "mean_ms"/);
    assert.throws(() => parseTimingReport('[{"model":"a.onnx"}]'), /\n {2}0 = \{"model":"a\.onnx"\}: expected meanMs/);
    assert.throws(() => parseTimingReport('{"measurements":[{"model":"a","meanMs":-1}]}'), /\n {2}0\.meanMs = -1: Too small/);
  });
});

describe('calibration', () => {
  let analyses: Map<string, ModelAnalysis>;
  before(function () {
    requireData(this, ...MODEL_FILES.map((f) => `models/${basename(f)}`));
    analyses = new Map(MODEL_FILES.map((f) => [f, analyzeModel(f)]));
  });

  it('recovers known utilisation and DRAM efficiency from latencies they produced', () => {
    const base = loadHardwareProfile('dx-v3');
    // A narrow-bandwidth variant so that several layers are memory-bound and both terms matter.
    const start: HardwareProfile = { ...base, dram: { ...base.dram, bandwidthGBs: { value: 2, assumption: 'test' } } };
    const truth: HardwareProfile = {
      ...start,
      npu: { ...start.npu, utilization: { value: 0.5, assumption: 'test truth' } },
      dram: { ...start.dram, efficiency: { value: 0.8, assumption: 'test truth' } },
    };
    const measurements = MODEL_FILES.map((f) => ({ model: f, meanMs: predictCost(analyses.get(f) as ModelAnalysis, truth).latencyMs }));
    const fit = fitCalibration(start, measurements, { analyses });
    assert.ok(fit.fittedBandwidth);
    assert.ok(Math.abs(fit.utilization - 0.5) < 0.005, `utilization ${fit.utilization}`);
    assert.ok(Math.abs(fit.dramEfficiency - 0.8) < 0.008, `efficiency ${fit.dramEfficiency}`);
    assert.ok(fit.rmsMs < 1e-3 * Math.max(...measurements.map((m) => m.meanMs)));
    const calibrated = calibrate(start, measurements, { analyses });
    assert.match(calibrated.npu.utilization.source ?? '', /least-squares fit to 4 measured latencies/);
  });

  it('fits utilisation alone from a single DX-RT-style measurement', () => {
    const p = loadHardwareProfile('dx-v3');
    const model = MODEL_FILES[0];
    const before = predictCost(analyses.get(model) as ModelAnalysis, p).latencyMs;
    const measured = before * 1.5;
    const fitted = calibrate(p, [{ model, meanMs: measured, stdMs: 0.1 }], { analyses });
    assert.ok(fitted.npu.utilization.value < p.npu.utilization.value);
    assert.equal(fitted.dram.efficiency.value, p.dram.efficiency.value);
    assert.ok(Math.abs(predictCost(analyses.get(model) as ModelAnalysis, fitted).latencyMs - measured) < 0.01 * measured);
  });

  it('measures the host with onnxruntime and calibrates it to real model timings', async function () {
    // ~15 s unloaded (convolution and transpose probes, the SGM fit); far more on a shared machine.
    this.timeout(90_000);
    const host = await measureHostProfile();
    assert.match(host.npu.peakTops.source ?? '', /^measured .*onnxruntime/);
    assert.ok(host.npu.peakTops.value > 0 && host.dram.bandwidthGBs.value > 0);
    const runtime = host.npu.runtime;
    assert.match(runtime?.source ?? '', /^measured .*channel block.*network probe/);
    assert.ok(runtime && [8, 16].includes(runtime.value.channelBlock) && runtime.value.perNodeUs > 0, JSON.stringify(runtime?.value));
    // One real measurement determines utilisation; the calibrated host then predicts it.
    const measured = await measureOnnxLatency(MODEL_FILES[0], { repeats: 4 });
    const analysis = analyses.get(MODEL_FILES[0]) as ModelAnalysis;
    const calibrated = calibrate(host, [measured], { analyses });
    const predicted = predictCost(analysis, calibrated).latencyMs;
    if (calibrated.npu.utilization.value < 1) {
      assert.ok(
        Math.abs(predicted - measured.meanMs) < 0.05 * measured.meanMs,
        `predicted ${predicted} ms, measured ${measured.meanMs} ms`,
      );
    } else {
      // Utilisation is capped at 1: only when the model outran the probe (load changed in between).
      assert.ok(predicted >= 0.95 * measured.meanMs, `clamped fit predicts ${predicted} ms for a measured ${measured.meanMs} ms`);
    }
  });
});

describe('frame budget', () => {
  const p = loadHardwareProfile('dx-v3');
  const cost = predictCost(analyzeModel(EXACT_MODEL.bytes()), p);

  it('costs every stage from its work and compares the sum with the period', () => {
    const b = frameBudget(p, cost, { cameras: 4, rateHz: 30, inputPixels: 32 * 32, stereoResolution: 'full' });
    const ms = (name: string) => b.stages.find((s) => s.name === name)?.ms ?? NaN;
    // Stereo by hand: 640x480 px x 64 disparities x 73 vector instructions per 16 cells (cost 12, the 4 paths'
    // two sweeps 54, selection 7) on 4 cores x 1.5 GHz x 16 u8 lanes x 0.5 ops/cycle x 0.58 achieved, + 225
    // instructions per pixel at 0.8 per cycle of 4 cores x 1.5 GHz, + 3 ms per pair.
    const stereo = ((640 * 480 * 64 * 73) / (4 * 1.5e9 * 16 * 0.5 * 0.58) + (640 * 480 * 225) / (4 * 1.5e9 * 0.8)) * 1e3 + 3;
    assert.ok(Math.abs(ms('stereo_depth') - stereo) < 1e-9, `stereo ${ms('stereo_depth')} vs ${stereo}`);
    // Fusion: 320x240 points (stride 2) x 60 ops + 80 objects x 4000 ops on one 8 GFLOP/s core.
    assert.ok(Math.abs(ms('fuse') - ((76800 * 60 + 80 * 4000) / 8e9) * 1e3) < 1e-9);
    // Publish: (76800 x 16 + 80 x 256) bytes x 3 copies at 25.6 GB/s x 0.6, + 8 messages x 50 us.
    assert.ok(Math.abs(ms('publish') - ((((76800 * 16 + 80 * 256) * 3) / (25.6e9 * 0.6)) * 1e3 + 0.4)) < 1e-9);
    const s = p.stageBudgetsMs;
    const expected = s.sync.value + (4 * 1024) / 400e3 + 4 * cost.latencyMs + stereo + s.learnedDepth.value + ms('fuse') + ms('publish');
    assert.ok(Math.abs(b.totalMs - expected) < 1e-9);
    assert.equal(b.fits, expected <= 1000 / 30);
    for (const st of b.stages) assert.match(st.note, /assumed \(profile\): \S|ops|Gop|cost model|MP\/s|MB/, st.name);
    assert.match(b.stages.find((st) => st.name === 'sync')?.note ?? '', /^assumed \(profile\): /);
    const fast = frameBudget(p, cost, { cameras: 4, rateHz: 100, inputPixels: 1024 });
    assert.equal(fast.fits, false);
    assert.throws(() => frameBudget(p, cost, { cameras: 0, inputPixels: 1 }), /cameras = 0; expected a positive number/);
    assert.throws(() => frameBudget(p, cost, { stereoPairs: -1, inputPixels: 1 }), /stereoPairs = -1; expected a positive number/);
  });

  it('loads each resource with the stages placed on it, CPU time spread over the cores', () => {
    const b = frameBudget(p, cost, { cameras: 4, rateHz: 30, inputPixels: 32 * 32, learnedDepth: false });
    const load = (r: string) => b.resources.find((x) => x.resource === r)?.busyMs ?? NaN;
    const ms = (name: string) => b.stages.find((s) => s.name === name)?.ms ?? NaN;
    assert.ok(Math.abs(load('accelerator') - ms('detect')) < 1e-9);
    assert.ok(Math.abs(load('scaler') - ms('preprocess')) < 1e-9);
    const cpu = ms('stereo_depth') + (ms('sync') + ms('fuse') + ms('publish')) / 4;
    assert.ok(Math.abs(load('cpu') - cpu) < 1e-9);
    assert.ok(Math.abs(b.resources[0].load - load('accelerator') / b.periodMs) < 1e-12);
    assert.equal(b.resources[0].label, 'NPU');
  });

  it('costs learned depth from its model when one is given, and runs without a detector', () => {
    const depth = predictCost(analyzeModel(EXACT_MODEL.bytes()), p);
    const b = frameBudget(p, undefined, { learnedDepthCost: depth });
    assert.deepEqual(
      b.stages.map((s) => s.name),
      ['sync', 'stereo_depth', 'learned_depth', 'fuse', 'publish'],
    );
    const learned = b.stages.find((s) => s.name === 'learned_depth');
    assert.equal(learned?.ms, depth.latencyMs);
    assert.match(learned?.note ?? '', /ONNX cost model/);
  });

  it('names the host accelerator as the inference worker, not an NPU', () => {
    const host = loadHardwareProfile('host');
    const b = frameBudget(host, predictCost(analyzeModel(EXACT_MODEL.bytes()), host), { inputPixels: 1024 });
    assert.equal(b.resources[0].label, 'inference worker (CPU)');
    assert.ok(b.stages.find((s) => s.name === 'detect')?.note.includes('inference worker (CPU)'));
  });
});
