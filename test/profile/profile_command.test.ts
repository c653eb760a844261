// `dx-perception profile` on every model in the data directory's models/ (README "Data"): a readable per-layer table, model
// totals, the multi-camera frame budget and a verdict; and the commander wiring and flag errors.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { registerProfileCommand, runProfileCommand } from '../../src/cli/profile_command';
import { loadHardwareProfile } from '../../src/profile/hardware_profile';
import { dataPath, requireData } from '../support/data_dir';

const MODELS_DIR = dataPath('models');
const SHARED_MODELS = !existsSync(MODELS_DIR)
  ? []
  : readdirSync(MODELS_DIR)
      .filter((f) => f.endsWith('.onnx'))
      .sort();

/** Runs the subcommand through commander and returns what it printed. */
async function cli(args: string[]): Promise<string> {
  const program = new Command('dx-perception').exitOverride().configureOutput({ writeErr: () => undefined });
  registerProfileCommand(program);
  const lines: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(' '));
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    console.log = original;
  }
  return lines.join('\n');
}

describe('dx-perception profile', () => {
  // Every test here runs the command on one of those models.
  before(function () {
    requireData(this, 'models/yolox_nano_416.onnx');
  });

  it('finds the shared models', () => assert.equal(SHARED_MODELS.length >= 4, true));

  for (const file of SHARED_MODELS) {
    it(`prints a readable report for ${file}`, async () => {
      const { text, cost, budget, analysis } = await runProfileCommand(join(MODELS_DIR, file), { layers: 10 });
      const lines = text.split('\n');
      const header = lines.findIndex((l) => /^\s*#\s+layer\s+op\s+output\s+dev\s+MMACs/.test(l));
      assert.ok(header > 0, 'layer table header');
      const rows = lines.slice(header + 2, header + 12);
      assert.equal(rows.length, 10);
      for (const row of rows) assert.match(row, /^\s*\d+\s+\S+\s+\w+\s+\[[\dx]+\]\s+(npu|cpu)\s+[\d.]+/);
      // Slowest first.
      const latencies = rows.map((r) => Number(r.trim().split(/\s+/)[9]));
      assert.deepEqual(
        latencies,
        [...latencies].sort((a, b) => b - a),
      );
      assert.match(text, new RegExp(`^${cost.gmacs.toFixed(3)}\\s+${(2 * cost.gmacs).toFixed(3)}`, 'm'));
      assert.match(text, /Frame budget: 4 cameras at 30 Hz \(period 33\.3 ms\)/);
      for (const stage of ['sync', 'preprocess', 'detect', 'stereo_depth', 'learned_depth', 'fuse', 'publish', 'total']) {
        assert.match(text, new RegExp(`^${stage}\\s+[\\d.]+`, 'm'), `stage ${stage}`);
      }
      assert.match(text, budget.fits ? /^VERDICT: FITS \(/m : /^VERDICT: DOES NOT FIT \(/m);
      assert.ok(analysis.layers.length > 50);
    });
  }

  it('lists all layers in graph order with --layers 0 and flips the verdict when the rate is too high', async () => {
    const model = join(MODELS_DIR, 'yolox_nano_416.onnx');
    const all = await cli(['profile', model, '--layers', '0', '--rate', '200', '--cameras', '4']);
    assert.match(all, /^All \d+ layers$/m);
    assert.match(all, /^VERDICT: DOES NOT FIT \(/m);
    const relaxed = await cli(['profile', model, '--rate', '5', '--profile', 'dx-m1', '--no-learned-depth']);
    assert.match(relaxed, /^profile dx-m1:/m);
    assert.doesNotMatch(relaxed, /^learned_depth/m);
    assert.match(relaxed, /^VERDICT: FITS \(/m);
    const batched = await cli(['profile', model, '--batched', '--cameras', '3']);
    assert.match(batched, /\(batch of 3\)/);
    assert.match(batched, /^detect\s+[\d.]+\s+accelerator\s+1 batch of 3 images/m);
    // The default matcher, coarse-to-fine: the half-resolution match refined at camera size.
    assert.match(batched, /^stereo_depth\s+[\d.]+\s+cpu\s+1 pair\(s\), SGM 320x240x32 refined at 640x480: /m);
    assert.match(batched, /^NPU\s+[\d.]+\s+[\d.]+%$/m);
    assert.match(batched, /^CPU \(4 cores\)\s+[\d.]+\s+[\d.]+%$/m);
    const small = await cli(['profile', model, '--stereo', '320x240x64']);
    assert.match(small, /SGM 160x120x32 refined at 320x240: /);
    await assert.rejects(cli(['profile', model, '--stereo', '320x240']), /--stereo "320x240"; expected WIDTHxHEIGHTxDISPARITIES/);
  });

  it('writes a measured host profile with --measure-host that loads back and profiles a model', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'measure-host-')), 'host_measured.yaml');
    const text = await cli(['profile', '--measure-host', out]);
    assert.match(text, /^wrote measured host profile /m);
    const p = loadHardwareProfile(out);
    for (const v of [
      p.npu.peakTops,
      p.npu.relativeRate,
      p.dram.bandwidthGBs,
      p.stereo.achievedFraction,
      p.stereo.pixelFraction,
      p.stereo.perPairOverheadUs,
    ]) {
      assert.match(v?.source ?? '', /^measured /);
    }
    assert.equal(p.npu.executesOn?.value, 'cpu');
    const report = await cli(['profile', join(MODELS_DIR, 'fastestdet_352.onnx'), '--profile', out]);
    assert.match(report, /^inference worker \(CPU\)\s+[\d.]+\s+[\d.]+%$/m);
    assert.doesNotMatch(report, /\bnpu\b|NPU/);
    await assert.rejects(cli(['profile']), /expected an ONNX model file \(or --measure-host <out\.yaml>\)/);
  });

  it('rejects bad flags and missing files with clear messages', async () => {
    await assert.rejects(cli(['profile', 'x.onnx', '--cameras', 'four']), /--cameras = "four"; expected an integer >= 1/);
    await assert.rejects(cli(['profile', 'x.onnx', '--profile', 'nope']), /hardware profile "nope" not found/);
    await assert.rejects(runProfileCommand(join(MODELS_DIR, 'missing.onnx')), /ONNX model ".*missing\.onnx" could not be read: ENOENT/);
  });
});
