// One source of budgets: the scheduler's target-time stages are the frame budget `profile`
// prints, stereo and its half-resolution rung from their cost volumes and learned depth from its
// ONNX graph, with no flat constant left in between.
import { strict as assert } from 'node:assert';
import { BUNDLED_MONO_DEPTH_MODEL, resolveModelPath } from '../../src/depth/mono_depth';
import { parseConfig } from '../../src/config/config';
import { pipelineStages, schedulerOptionsFor } from '../../src/core/pipeline_budgets';
import { frameBudget } from '../../src/profile/frame_budget';
import { loadHardwareProfile } from '../../src/profile/hardware_profile';
import { halfResolutionWork, learnedDepthCost, stereoRungNote, stereoRungs } from '../../src/profile/pipeline_costs';
import { predictCoarseToFineCost, predictStereoCost } from '../../src/profile/stereo_cost';

const DEPTH_MODEL = resolveModelPath(BUNDLED_MONO_DEPTH_MODEL);

describe('pipeline budgets from the profile costing', () => {
  it('budgets stereo, its half-resolution rung and learned depth as the profile costs them on DX-V3', () => {
    const profile = loadHardwareProfile('dx-v3');
    const { stages } = pipelineStages({
      profile,
      cameras: 4,
      rateHz: 30,
      learnedDepth: true,
      learnedDepthModel: DEPTH_MODEL,
      stereoPairs: 1,
      disparities: 64,
      pointStride: 2,
    });
    const stage = (name: string) => stages.find((s) => s.name === name);
    const full = predictStereoCost({ width: 640, height: 480, disparities: 64 }, profile).ms;
    const half = predictCoarseToFineCost({ width: 640, height: 480, disparities: 64 }, profile).ms;
    assert.equal(stage('stereo_depth')?.budgetMs, full);
    assert.deepEqual(stage('stereo_depth')?.rungBudgetsMs, { stereo_half_resolution: half });
    // Full resolution does not fit DX-V3's 33 ms period; the coarse-to-fine rung does.
    assert.ok(full > 1000 / 30 && half < 1000 / 30, `full ${full} ms, half ${half} ms`);
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

  it('puts stereo_half_resolution first in the ladder only where full-resolution stereo cannot keep up', () => {
    const pipeline = { hasDetector: false, hasLearnedDepth: true };
    const dxv3 = schedulerOptionsFor(parseConfig({ scheduler: { time_mode: 'target' } }), pipeline);
    assert.deepEqual(dxv3.ladder, ['stereo_half_resolution', 'skip_learned_depth', 'detect_subset_round_robin', 'reuse_last_depth']);
    // At 10 Hz (100 ms) full-resolution stereo (~68.5 ms) keeps up: the configured order stands.
    const slow = schedulerOptionsFor(parseConfig({ scheduler: { time_mode: 'target', rate_hz: 10 } }), pipeline);
    assert.deepEqual(slow.ladder, parseConfig({}).scheduler.ladder);
    // Host time schedules on this machine's measured times, not the profile's.
    assert.deepEqual(
      schedulerOptionsFor(parseConfig({ scheduler: { time_mode: 'host' } }), pipeline).ladder,
      parseConfig({}).scheduler.ladder,
    );
  });

  it('says when full-resolution stereo cannot keep up and what the half-resolution rung saves', () => {
    assert.deepEqual(halfResolutionWork({ width: 640, height: 480, disparities: 128 }), { width: 320, height: 240, disparities: 64 });
    assert.deepEqual(halfResolutionWork({ width: 641, height: 481, disparities: 40 }), { width: 320, height: 240, disparities: 32 });
    const r = stereoRungs(loadHardwareProfile('dx-v3'), { width: 640, height: 480, disparities: 64 }, 1, 1000 / 30);
    assert.equal(r.fullExceedsPeriod, true);
    assert.match(
      stereoRungNote(r, 1000 / 30),
      /640x480x64 \(\d+\.\d\d ms\) alone exceeds the 33\.3 ms period: admission runs the stereo_half_resolution rung \(320x240x32 refined at full resolution: \d+\.\d\d ms, saving \d+\.\d\d ms\)/,
    );
    const slow = stereoRungs(loadHardwareProfile('dx-v3'), { width: 640, height: 480, disparities: 64 }, 1, 100);
    assert.equal(slow.fullExceedsPeriod, false);
    assert.match(stereoRungNote(slow, 100), /fits the period/);
  });
});
