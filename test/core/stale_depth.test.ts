// The stale-output rule: when the scheduler degrades to reuse_last_depth, obstacles and scan
// come from the reused depth, so they carry that depth's stamp (a costmap must not take old
// obstacles as current), the depth's age is reported, and beyond scheduler.max_depth_age_ms
// they are not published at all. Runs the real pipeline on the project's own scene bag.
import { strict as assert } from 'node:assert';
import { timeToNanos } from '../../src/msgs/time';
import type { Header } from '../../src/msgs/types';
import { parseConfig } from '../../src/config/config';
import { PerceptionPipeline } from '../../src/core/perception_pipeline';
import { advertisedOutputs } from '../../src/ros/advertised_outputs';
import { sceneBag } from '../support/scene_bags';
import { firstFrameSets } from '../support/scene_frame_sets';
import { fullOrReusePlan } from '../support/degradation_plans';

const plan = fullOrReusePlan;

const stampOf = (msg: unknown): bigint => timeToNanos((msg as { header: Header }).header.stamp);

describe('pipeline: outputs from reused depth (reuse_last_depth)', function () {
  this.timeout(120_000);
  const cameras = ['front_left', 'front_right'];

  for (const [maxAgeMs, published] of [
    [1000, true],
    [20, false],
  ] as const) {
    it(`scheduler.max_depth_age_ms = ${maxAgeMs}: obstacles and scan ${published ? "carry the reused depth's stamp" : 'are not published'}`, async () => {
      const { sets, rig } = await firstFrameSets(
        await sceneBag('corridor_crossing', 1),
        parseConfig({ cameras, depth: { stereo_pairs: [cameras] } }),
        3,
      );
      assert.equal(sets.length, 3);
      const config = parseConfig({ cameras, depth: { stereo_pairs: [cameras] }, scheduler: { max_depth_age_ms: maxAgeMs } });
      const pipeline = await PerceptionPipeline.create(config);
      try {
        const ctx = { rig: rig.rig(cameras)!, pairs: rig.pairs };
        const fresh = await pipeline.process(sets[0]!, plan(false), ctx);
        assert.equal(fresh.depthAgeMs, 0);
        // The node advertises at start every topic the pipeline publishes (src/ros/advertised_outputs.ts).
        const advertised = new Set(advertisedOutputs(config).map((o) => o.topic));
        for (const o of fresh.outputs) assert.ok(advertised.has(o.topic), `${o.topic} is published but not advertised at start`);
        for (const topic of ['obstacles', 'scan', 'objects'])
          assert.equal(stampOf(fresh.outputs.find((o) => o.topic === topic)!.msg), sets[0]!.stamp, topic);
        const reused = await pipeline.process(sets[2]!, plan(true), ctx);
        const ageMs = Number(sets[2]!.stamp - sets[0]!.stamp) / 1e6;
        assert.ok(ageMs > 20 && ageMs < 1000, `sets 0 and 2 are ${ageMs} ms apart`);
        const byTopic = new Map(reused.outputs.map((o) => [o.topic, o.msg]));
        assert.equal(stampOf(byTopic.get('objects')), sets[2]!.stamp, "objects and tracks come from this set's images");
        assert.ok(!byTopic.has('front_left/depth') && !byTopic.has('front_left_front_right/disparity'), 'no depth was computed');
        if (published) {
          assert.equal(reused.depthAgeMs, ageMs);
          assert.equal(stampOf(byTopic.get('obstacles')), sets[0]!.stamp);
          assert.equal(stampOf(byTopic.get('scan')), sets[0]!.stamp);
        } else {
          assert.ok(Number.isNaN(reused.depthAgeMs));
          assert.ok(!byTopic.has('obstacles') && !byTopic.has('scan'), 'too old: not published as new');
        }
      } finally {
        await pipeline.dispose();
      }
    });
  }
});
