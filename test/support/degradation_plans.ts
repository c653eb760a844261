// A degradation plan for tests that run PerceptionPipeline.process directly: every stage in full,
// or the reuse_last_depth rung (learned depth skipped, the last depth reused).
import type { DegradationPlan } from '../../src/scheduler/degradation';

export const fullOrReusePlan = (reuseLastDepth: boolean): DegradationPlan => ({
  rung: reuseLastDepth ? 'reuse_last_depth' : 'full',
  level: reuseLastDepth ? 3 : 0,
  skipLearnedDepth: reuseLastDepth,
  detectCameras: 'all',
  stereoHalfResolution: false,
  reuseLastDepth,
  stages: [],
  timed: [],
  predictedMs: 0,
});
