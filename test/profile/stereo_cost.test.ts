// The stereo cost model: time from the cost volume's cells and the image's pixels on the
// profile's cores, lanes and clock, or with the cell passes on the NPU when the profile says so.
import { strict as assert } from 'node:assert';
import { loadHardwareProfile, type HardwareProfile } from '../../src/profile/hardware_profile';
import {
  OPS_PER_CELL,
  OPS_PER_PIXEL,
  predictCoarseToFineCost,
  predictStereoCost,
  REFINE_SCALAR_OPS_PER_PIXEL,
  REFINE_VECTOR_OPS_PER_PIXEL,
} from '../../src/profile/stereo_cost';
import { fitStereoTimes, nonNegativeLeastSquares3, STEREO_PROBES } from '../../src/profile/stereo_probe';

describe('stereo cost model', () => {
  const p = loadHardwareProfile('dx-v3');
  const fixedMs = p.stereo.perPairOverheadUs.value / 1e3;

  it('doubles only the cost-volume part when the disparities double', () => {
    const a = predictStereoCost({ width: 640, height: 480, disparities: 64 }, p);
    const b = predictStereoCost({ width: 640, height: 480, disparities: 128 }, p);
    assert.equal(b.cellOps, 2 * a.cellOps);
    assert.equal(b.pixelOps, a.pixelOps);
    const pixelMs = ((640 * 480 * OPS_PER_PIXEL) / (p.cpu.cores.value * p.cpu.clockGHz.value * 1e9 * p.stereo.pixelFraction.value)) * 1e3;
    assert.ok(Math.abs(b.ms - fixedMs - pixelMs - 2 * (a.ms - fixedMs - pixelMs)) < 1e-9);
    assert.equal(a.cellOps, 640 * 480 * 64 * OPS_PER_CELL);
    // The kernels' costs and path sums are u8: 16 lanes per 128-bit NEON instruction.
    assert.match(a.note, /SGM 640x480x64: .* of 16 lanes x 0\.5\/cycle/);
  });

  it('runs the cost-volume passes at the NPU rate when the profile places stereo there', () => {
    const onNpu: HardwareProfile = { ...p, stereo: { ...p.stereo, device: { value: 'npu', assumption: 'test' } } };
    const w = { width: 320, height: 240, disparities: 64 };
    const c = predictStereoCost(w, onNpu);
    const cpu = predictStereoCost(w, p);
    const npuOpsPerSec = p.npu.peakTops.value * 1e12 * p.npu.utilization.value;
    const cellMsCpu =
      (cpu.cellOps /
        (p.cpu.cores.value * p.cpu.clockGHz.value * 1e9 * 16 * p.cpu.simdOpsPerCycle.value * p.stereo.achievedFraction.value)) *
      1e3;
    assert.equal(c.device, 'npu');
    assert.ok(Math.abs(c.ms - (cpu.ms - cellMsCpu + (c.cellOps / npuOpsPerSec) * 1e3)) < 1e-9);
  });

  it('costs coarse-to-fine as the half-resolution match plus its own work per full-resolution pixel', () => {
    const w = { width: 640, height: 480, disparities: 64 };
    const half = predictStereoCost({ width: 320, height: 240, disparities: 32 }, p);
    const c2f = predictCoarseToFineCost(w, p);
    const pixels = 640 * 480;
    assert.equal(c2f.cellOps, half.cellOps + pixels * REFINE_VECTOR_OPS_PER_PIXEL * 16);
    assert.equal(c2f.pixelOps, half.pixelOps + pixels * REFINE_SCALAR_OPS_PER_PIXEL);
    const full = predictStereoCost(w, p);
    assert.ok(c2f.ms > half.ms && c2f.ms < full.ms, `half ${half.ms}, coarse-to-fine ${c2f.ms}, full ${full.ms} ms`);
    assert.match(c2f.note, /^SGM 320x240x32 refined at 640x480: /);
    assert.throws(() => predictCoarseToFineCost({ ...w, disparities: -1 }, p), /stereo disparities = -1; expected a positive integer/);
  });

  it('names a bad size', () => {
    assert.throws(() => predictStereoCost({ width: 0, height: 240, disparities: 64 }, p), /stereo width = 0; expected a positive integer/);
  });

  it("fits both matchers' probe timings with the cost model's own op counts; no probe is a size the bench checks", () => {
    const truth: HardwareProfile = {
      ...p,
      stereo: {
        ...p.stereo,
        achievedFraction: { value: 0.3, assumption: 'test' },
        pixelFraction: { value: 1.7, assumption: 'test' },
        perPairOverheadUs: { value: 2500, assumption: 'test' },
      },
    };
    assert.ok(STEREO_PROBES.some((c) => c.coarseToFine) && STEREO_PROBES.some((c) => !c.coarseToFine));
    const fit = fitStereoTimes(
      p,
      STEREO_PROBES.map((c) => ({ ...c, ms: (c.coarseToFine ? predictCoarseToFineCost : predictStereoCost)(c, truth).ms })),
    );
    assert.ok(Math.abs(fit.achievedFraction - 0.3) < 1e-9, `${fit.achievedFraction}`);
    assert.ok(Math.abs(fit.pixelFraction - 1.7) < 1e-9, `${fit.pixelFraction}`);
    assert.ok(Math.abs(fit.perPairOverheadUs - 2500) < 1e-6, `${fit.perPairOverheadUs}`);
    // No probe is a size the bench checks.
    const checked = ['320x240x64', '640x480x64', '640x480x128'];
    assert.ok(STEREO_PROBES.every((c) => !checked.includes(`${c.width}x${c.height}x${c.disparities}`)));
  });

  it('fits the probe timings without a negative term: exact timings give their costs back, noisy ones drop a term', () => {
    const sizes = [
      [256, 192, 32],
      [256, 192, 96],
      [384, 288, 32],
      [480, 360, 48],
    ];
    const row = ([w, h, d]: number[], t: number): [number, number, number, number] => [w * h * d, w * h, 1, t];
    const exact = nonNegativeLeastSquares3(sizes.map((s) => row(s, 2e-6 * s[0] * s[1] * s[2] + 3e-5 * s[0] * s[1] + 1.5)));
    [2e-6, 3e-5, 1.5].forEach((v, i) => assert.ok(Math.abs(exact[i] - v) < 1e-6 * Math.max(1, v / 1e-6), `${exact}`));
    // Timings where a free fit's cost per pixel is negative (the larger images ran relatively fast).
    const noisy = nonNegativeLeastSquares3(sizes.map((s, i) => row(s, 2e-6 * s[0] * s[1] * s[2] + [6, 9, 4, 5][i])));
    assert.ok(
      noisy.every((c) => c >= 0),
      `${noisy}`,
    );
    assert.ok(noisy[0] > 1e-6, `${noisy}`);
  });
});
