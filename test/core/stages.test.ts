// The stage list in src/core/stages.ts is the one a reader trusts, so it must be what runs:
// the pipeline times its stages under these names and in this order, and the scheduler's budgets
// (from the hardware profile, with and without a detector) name only these stages, in this order.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHardwareProfile } from '../../src/profile/hardware_profile';
import { frameBudget } from '../../src/profile/frame_budget';
import { pipelineStages } from '../../src/core/pipeline_budgets';
import { STAGE_ORDER, STAGES } from '../../src/core/stages';
import { HOST_RUN_ORDER } from '../../src/scheduler/host_resources';
import { dataPath, requireData } from '../support/data_dir';

/** `names` keeps the relative order of STAGE_ORDER and names nothing else. */
function assertInStageOrder(names: readonly string[], what: string): void {
  const unknown = names.filter((n) => !(STAGE_ORDER as readonly string[]).includes(n));
  assert.deepEqual(unknown, [], `${what} names stages not in src/core/stages.ts`);
  const order = names.map((n) => (STAGE_ORDER as readonly string[]).indexOf(n));
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
    `${what} runs ${names.join(', ')}, not in the order of src/core/stages.ts`,
  );
}

describe('pipeline/stages: the one list of stages', () => {
  it('gives each stage a unique name and a one-line purpose', () => {
    assert.equal(new Set(STAGE_ORDER).size, STAGES.length);
    for (const s of STAGES) assert.ok(s.purpose.length > 20 && !s.purpose.includes('\n'), s.name);
  });

  it('is the order perception_pipeline.ts times its stages in', () => {
    const source = readFileSync(join(__dirname, '../../src/core/perception_pipeline.ts'), 'utf8');
    const timed = [...source.matchAll(/(?:time|gated)\('([a-z_]+)'/g)].map((m) => m[1]!);
    assert.ok(timed.length >= 5, `found only ${timed.join(', ')}`);
    assertInStageOrder(timed, 'perception_pipeline.ts');
    // Everything after sync (the runner's) is timed by the pipeline.
    assert.deepEqual(
      timed,
      STAGE_ORDER.filter((n) => n !== 'sync'),
    );
  });

  it("is the order host time's pipelined executor predicts the stages in", () => {
    assert.deepEqual(HOST_RUN_ORDER, STAGE_ORDER);
  });

  it('names the scheduler budgets of a pipeline without a detector', () => {
    const profile = loadHardwareProfile('dx-v3');
    for (const learnedDepth of [false, true]) {
      assertInStageOrder(
        pipelineStages({ profile, cameras: 4, rateHz: 30, learnedDepth, stereoPairs: 1, disparities: 64, pointStride: 4 }).stages.map(
          (s) => s.name,
        ),
        'pipelineStages',
      );
    }
    const budget = frameBudget(profile, undefined, { cameras: 4, rateHz: 30, inputPixels: 416 * 416, learnedDepth: true });
    assertInStageOrder(
      budget.stages.map((s) => s.name),
      'frameBudget',
    );
  });

  it('names the scheduler budgets of a pipeline with a detector', function () {
    requireData(this, 'models/yolox_nano_416.onnx');
    const profile = loadHardwareProfile('dx-v3');
    const { stages } = pipelineStages({
      profile,
      cameras: 4,
      rateHz: 30,
      learnedDepth: true,
      stereoPairs: 1,
      disparities: 64,
      pointStride: 4,
      detectorPath: dataPath('models/yolox_nano_416.onnx'),
    });
    assert.ok(stages.some((s) => s.name === 'detect'));
    assertInStageOrder(
      stages.map((s) => s.name),
      'pipelineStages with a detector',
    );
  });
});
