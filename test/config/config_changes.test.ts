// Which parameter changes a running pipeline takes, decided by the schema's live(...) marks.
import { strict as assert } from 'node:assert';
import { parseConfig } from '../../src/config/config';
import { LIVE_KEYS, configChange } from '../../src/config/config_changes';
import { createPerceptionRunner } from '../../src/core/perception_runner';

describe('pipeline/config changes: live keys and restarts', () => {
  const base = parseConfig({});

  it('reads the live keys from the schema: thresholds, sync slop, deadline; no model, camera or matcher key', () => {
    for (const key of [
      'detection.score_threshold',
      'tracking.max_misses',
      'scan.range_max',
      'depth.obstacle_min_height_m',
      'sync.max_interval_ms',
      'scheduler.deadline_ms',
    ]) {
      assert.ok(LIVE_KEYS.has(key), `${key} is live`);
    }
    for (const key of [
      'detection.model_path',
      'cameras',
      'depth.num_disparities',
      'depth.stereo_pairs',
      'scheduler.rate_hz',
      'sync.queue_size',
    ]) {
      assert.ok(!LIVE_KEYS.has(key), `${key} needs a restart`);
    }
  });

  it('lists the changed keys and the ones among them that need a restart', () => {
    const live = parseConfig({ tracking: { max_misses: 20 }, scan: { range_max: 8 } });
    assert.deepEqual(configChange(base, live), { changed: ['tracking.max_misses', 'scan.range_max'], restart: [] });
    const heavy = parseConfig({ tracking: { max_misses: 20 }, depth: { num_disparities: 96 } });
    assert.deepEqual(configChange(base, heavy), {
      changed: ['depth.num_disparities', 'tracking.max_misses'],
      restart: ['depth.num_disparities'],
    });
    const rig = parseConfig({ rig: { left: { xyz: [0, 0, 1], rpy: [0, 0, 0] } } });
    assert.deepEqual(configChange(base, rig).restart, ['rig.left.xyz', 'rig.left.rpy']);
    assert.deepEqual(configChange(base, parseConfig({})), { changed: [], restart: [] });
  });

  it('a running runner takes live keys and refuses the others, naming them', async function () {
    this.timeout(60_000);
    const config = parseConfig({
      cameras: ['front_left', 'front_right'],
      depth: { learned_model_path: '' },
      scheduler: { time_mode: 'target' },
    });
    const runner = await createPerceptionRunner(config);
    try {
      runner.retune(
        parseConfig({
          ...config,
          tracking: { max_misses: 20 },
          sync: { max_interval_ms: 10 },
          scheduler: { ...config.scheduler, deadline_ms: 80 },
        }),
      );
      assert.throws(
        () => runner.retune(parseConfig({ ...config, depth: { ...config.depth, num_disparities: 96 } })),
        /cannot take depth\.num_disparities without a restart/,
      );
    } finally {
      await runner.close();
    }
  });
});
