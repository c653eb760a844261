// Target-time budgets come from the hardware profile: the scheduler's full plan costs exactly the
// frame budget `dx-perception profile` prints, and the ladder saves what the profile says.
import { strict as assert } from 'node:assert';
import { predictCost } from '../../src/profile/cost_model';
import { frameBudget } from '../../src/profile/frame_budget';
import { loadHardwareProfile } from '../../src/profile/hardware_profile';
import { analyzeModel } from '../../src/profile/model_analysis';
import { VirtualClock } from '../../src/scheduler/clock';
import { DeadlineScheduler } from '../../src/scheduler/deadline_scheduler';
import { profileResources, stagesFromFrameBudget } from '../../src/scheduler/stage_budgets';
import { dataPath, requireData } from '../support/data_dir';

const MODEL = dataPath('models/yolox_nano_416.onnx');

describe('scheduler budgets from the DX-V3 profile', () => {
  it('plans the full pipeline at the profiled frame budget and degrades by the profiled savings', function () {
    requireData(this, 'models/yolox_nano_416.onnx');
    const profile = loadHardwareProfile('dx-v3');
    const budget = frameBudget(profile, predictCost(analyzeModel(MODEL), profile), { cameras: 4, rateHz: 30, inputPixels: 416 * 416 });
    const sched = new DeadlineScheduler<number>(
      {
        rateHz: 30,
        timeMode: 'target',
        profile: 'dx-v3',
        cameras: ['a', 'b', 'c', 'd'],
        stages: stagesFromFrameBudget(budget),
        resources: profileResources(profile),
      },
      new VirtualClock(),
    );
    assert.ok(Math.abs(sched.planFor(0).predictedMs - budget.totalMs) < 1e-9);
    const detect = budget.stages.find((s) => s.name === 'detect')?.ms ?? NaN;
    const preprocess = budget.stages.find((s) => s.name === 'preprocess')?.ms ?? NaN;
    const learned = budget.stages.find((s) => s.name === 'learned_depth')?.ms ?? NaN;
    const stereo = budget.stages.find((s) => s.name === 'stereo_depth')?.ms ?? NaN;
    assert.ok(Math.abs(sched.planFor(1).predictedMs - (budget.totalMs - learned)) < 1e-9);
    assert.ok(Math.abs(sched.planFor(2).predictedMs - (budget.totalMs - learned - (detect + preprocess) / 2)) < 1e-9);
    // stereo_half_resolution has no budget of its own here (the pipeline adds it), so it saves nothing.
    assert.ok(Math.abs(sched.planFor(3).predictedMs - sched.planFor(2).predictedMs) < 1e-9);
    assert.ok(Math.abs(sched.planFor(4).predictedMs - (budget.totalMs - learned - stereo - (detect + preprocess) / 2)) < 1e-9);
  });
});
