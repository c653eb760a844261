// One source of budgets: the scheduler's target-time stages are the frame budget `profile`
// prints, stereo and its half-resolution rung from their cost volumes and learned depth from its
// ONNX graph, with no flat constant left in between.
import { strict as assert } from 'node:assert';
import { BUNDLED_MONO_DEPTH_MODEL, resolveModelPath } from '../../src/depth/mono_depth';
import { parseConfig } from '../../src/config/config';
import { pipelineStages, schedulerOptionsFor } from '../../src/core/pipeline_budgets';
import { frameBudget } from '../../src/profile/frame_budget';
import { loadHardwareProfile, type HardwareProfile } from '../../src/profile/hardware_profile';
import { halfResolutionWork, learnedDepthCost, stereoRungNote, stereoRungs } from '../../src/profile/pipeline_costs';
import { predictCoarseToFineCost, predictHalfResolutionCost, predictStereoCost } from '../../src/profile/stereo_cost';

const DEPTH_MODEL = resolveModelPath(BUNDLED_MONO_DEPTH_MODEL);
const inputs = (profile: HardwareProfile) => ({
  profile,
  cameras: 4,
  rateHz: 30,
  learnedDepth: true,
  learnedDepthModel: DEPTH_MODEL,
  stereoPairs: 1,
  disparities: 64,
  pointStride: 2,
});

describe('pipeline budgets from the profile costing', () => {
  it('budgets stereo, its half-resolution rung and learned depth as the profile costs them on DX-V3', () => {
    const profile = loadHardwareProfile('dx-v3');
    const { stages } = pipelineStages(inputs(profile));
    const stage = (name: string) => stages.find((s) => s.name === name);
    const work = { width: 640, height: 480, disparities: 64 };
    const c2f = predictCoarseToFineCost(work, profile).ms;
    const half = predictHalfResolutionCost(work, profile).ms;
    // The default matcher (coarse-to-fine) is what the stage is budgeted at; the rung is half resolution alone.
    assert.equal(stage('stereo_depth')?.budgetMs, c2f);
    assert.deepEqual(stage('stereo_depth')?.rungBudgetsMs, { stereo_half_resolution: half });
    // Full resolution does not fit DX-V3's 33 ms period; coarse-to-fine and the rung do.
    const full = predictStereoCost(work, profile).ms;
    assert.ok(full > 1000 / 30 && c2f < 1000 / 30 && half < c2f, `full ${full} ms, coarse-to-fine ${c2f} ms, half ${half} ms`);
    const configuredFull = pipelineStages({ ...inputs(profile), stereoResolution: 'full' }).stages.find((s) => s.name === 'stereo_depth');
    assert.equal(configuredFull?.budgetMs, full);
    const learned = learnedDepthCost(DEPTH_MODEL, profile, 4, 1);
    assert.equal(learned.batch, 2);
    assert.equal(stage('learned_depth')?.budgetMs, learned.latencyMs);
    const budget = frameBudget(profile, undefined, { cameras: 4, rateHz: 30, learnedDepthCost: learned, pointStride: 2 });
    assert.deepEqual(
      stages.map((s) => s.budgetMs),
      budget.stages.map((s) => s.ms),
    );
    // Without a model, learned depth is the profile's stated assumption and says so.
    const assumed = frameBudget(profile, undefined, { cameras: 4, rateHz: 30 }).stages.find((s) => s.name === 'learned_depth');
    assert.equal(assumed?.ms, profile.stageBudgetsMs.learnedDepth.value);
    assert.match(assumed?.note ?? '', /^assumed \(profile\): /);
  });

  it('puts stereo_half_resolution first in the ladder only where the configured matcher cannot keep up', () => {
    const pipeline = { hasDetector: false, hasLearnedDepth: true };
    const full = { stereo_resolution: 'full' } as const;
    const dxv3 = schedulerOptionsFor(parseConfig({ depth: full, scheduler: { time_mode: 'target' } }), pipeline);
    assert.deepEqual(dxv3.ladder, ['stereo_half_resolution', 'skip_learned_depth', 'detect_subset_round_robin', 'reuse_last_depth']);
    // Coarse-to-fine (the default matcher, ~31.5 ms on DX-V3) fits the 33.3 ms period: the configured order stands.
    const c2f = schedulerOptionsFor(parseConfig({ scheduler: { time_mode: 'target' } }), pipeline);
    assert.deepEqual(c2f.ladder, parseConfig({}).scheduler.ladder);
    // At 10 Hz (100 ms) full-resolution stereo (~68.5 ms) keeps up: the configured order stands.
    const slow = schedulerOptionsFor(parseConfig({ depth: full, scheduler: { time_mode: 'target', rate_hz: 10 } }), pipeline);
    assert.deepEqual(slow.ladder, parseConfig({}).scheduler.ladder);
    // Host time schedules on this machine's measured times, not the profile's.
    assert.deepEqual(
      schedulerOptionsFor(parseConfig({ scheduler: { time_mode: 'host' } }), pipeline).ladder,
      parseConfig({}).scheduler.ladder,
    );
  });

  it('says when the configured matcher cannot keep up and what the half-resolution rung saves', () => {
    assert.deepEqual(halfResolutionWork({ width: 640, height: 480, disparities: 128 }), { width: 320, height: 240, disparities: 64 });
    assert.deepEqual(halfResolutionWork({ width: 641, height: 481, disparities: 40 }), { width: 320, height: 240, disparities: 32 });
    const dxv3 = loadHardwareProfile('dx-v3');
    const work = { width: 640, height: 480, disparities: 64 };
    const r = stereoRungs(dxv3, work, 1, 1000 / 30, 'full');
    assert.equal(r.matcherExceedsPeriod, true);
    assert.match(
      stereoRungNote(r, 1000 / 30),
      /640x480x64 \(full\) \(\d+\.\d\d ms\) alone exceeds the 33\.3 ms period: admission runs the stereo_half_resolution rung \(320x240x32 alone, scaled up: \d+\.\d\d ms, saving \d+\.\d\d ms\)/,
    );
    // The rung costs less than either matcher at camera size; coarse-to-fine less than full resolution.
    const c2f = stereoRungs(dxv3, work, 1, 1000 / 30);
    assert.equal(c2f.resolution, 'coarse_to_fine');
    assert.ok(r.halfMs < c2f.matcherMs && c2f.matcherMs < r.matcherMs, JSON.stringify({ r, c2f }));
    const slow = stereoRungs(dxv3, work, 1, 100, 'full');
    assert.equal(slow.matcherExceedsPeriod, false);
    assert.match(stereoRungNote(slow, 100), /fits the period/);
  });
});
