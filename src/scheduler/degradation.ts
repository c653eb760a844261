// The degradation ladder: what to run of a frame set when the full pipeline would miss its
// deadline. Rungs are cumulative: rung k applies its own degradation and every one before it.
// Each rung's cost is the sum of the stage budgets it still runs (a rung that makes a stage
// cheaper, such as stereo_half_resolution, uses that stage's budget for the rung), so the
// scheduler can pick the least-degraded rung that fits the slack left before the deadline.
import type { TimedStage } from './resource_timeline';
import type { RungName, StageOptions } from './scheduler_options';

/** What the pipeline must run for one frame set. */
export interface DegradationPlan {
  /** 'full' or the name of the deepest rung applied. */
  rung: string;
  /** 0 = full pipeline, k = k-th rung of the ladder. */
  level: number;
  skipLearnedDepth: boolean;
  /** Cameras to run detection on. */
  detectCameras: string[] | 'all';
  /** Match the stereo pairs at half resolution. */
  stereoHalfResolution: boolean;
  /** Publish the previous depth instead of computing depth. */
  reuseLastDepth: boolean;
  /** Stages to run, in pipeline order. */
  stages: string[];
  /** The stages' resources and predicted times, in pipeline order (for the resource timeline). */
  timed: TimedStage[];
  /** Predicted time of the plan (sum of its stage budgets), ms. */
  predictedMs: number;
}

export interface RungEffect {
  skipLearnedDepth: boolean;
  subset: boolean;
  stereoHalfResolution: boolean;
  reuseLastDepth: boolean;
  /** Rungs applied so far, in ladder order (a stage's rungBudgetsMs are looked up in them). */
  applied: RungName[];
}

const NO_EFFECT: RungEffect = { skipLearnedDepth: false, subset: false, stereoHalfResolution: false, reuseLastDepth: false, applied: [] };

function applyRung(e: RungEffect, rung: RungName): RungEffect {
  const next = { ...e, applied: [...e.applied, rung] };
  switch (rung) {
    case 'skip_learned_depth':
      return { ...next, skipLearnedDepth: true };
    case 'detect_subset_round_robin':
      return { ...next, subset: true };
    case 'stereo_half_resolution':
      return { ...next, stereoHalfResolution: true };
    case 'reuse_last_depth':
      return { ...next, reuseLastDepth: true, skipLearnedDepth: true };
  }
}

/** Cumulative effects of level 0 (full) .. ladder.length. */
export function ladderEffects(ladder: readonly RungName[]): RungEffect[] {
  const effects = [NO_EFFECT];
  for (const rung of ladder) effects.push(applyRung(effects[effects.length - 1], rung));
  return effects;
}

/** The deepest applied rung that has its own budget for `stage`, if any. */
export function rungFor(stage: StageOptions, effect: RungEffect): RungName | undefined {
  return [...effect.applied].reverse().find((r) => stage.rungBudgetsMs[r] !== undefined);
}

/**
 * The stages a plan runs and the rung each runs at ("sync+stereo_depth@stereo_half_resolution+fuse"):
 * plans of one shape cost the same. A stage's cost can depend on what ran before it (fusion of
 * learned depth's points), so host time measures each stage per shape too.
 */
export function planShape(run: readonly StageOptions[], effect: RungEffect): string {
  return run
    .map((s) => {
      const rung = rungFor(s, effect);
      return rung === undefined ? s.name : `${s.name}@${rung}`;
    })
    .join('+');
}

/**
 * Builds the plan for a ladder level. `stageMs(stage, rung, shape)` is the stage's current budget
 * for all cameras (at `rung` when one makes it cheaper, in a plan of `shape`); `subset` the
 * cameras chosen when the level runs detection on a subset.
 */
export function makePlan(
  level: number,
  ladder: readonly RungName[],
  effect: RungEffect,
  stages: readonly StageOptions[],
  stageMs: (s: StageOptions, rung: RungName | undefined, shape: string) => number,
  cameras: readonly string[],
  subset: string[],
): DegradationPlan {
  const dropped = (name: string) =>
    (effect.skipLearnedDepth && name === 'learned_depth') ||
    (effect.reuseLastDepth && (name === 'stereo_depth' || name === 'learned_depth'));
  const run = stages.filter((s) => !dropped(s.name));
  const fraction = effect.subset ? subset.length / cameras.length : 1;
  const shape = planShape(run, effect);
  const timed = run.map((s) => ({
    resource: s.resource,
    units: s.units,
    ms: stageMs(s, rungFor(s, effect), shape) * (s.perCamera ? fraction : 1),
  }));
  return {
    rung: level === 0 ? 'full' : ladder[level - 1],
    level,
    skipLearnedDepth: effect.skipLearnedDepth,
    detectCameras: effect.subset ? subset : 'all',
    stereoHalfResolution: effect.stereoHalfResolution,
    reuseLastDepth: effect.reuseLastDepth,
    stages: run.map((s) => s.name),
    timed,
    predictedMs: timed.reduce((sum, t) => sum + t.ms, 0),
  };
}

/** Round-robin subsets of the rig: each call returns the next `size` cameras, wrapping around. */
export class RoundRobinSubset {
  readonly #cameras: readonly string[];
  readonly #size: number;
  #start = 0;

  constructor(cameras: readonly string[], size: number) {
    this.#cameras = cameras;
    this.#size = Math.min(Math.max(1, size), cameras.length);
  }

  /** The subset the next use would get, without consuming it. */
  peek(): string[] {
    return Array.from({ length: this.#size }, (_, i) => this.#cameras[(this.#start + i) % this.#cameras.length]);
  }

  /** Consumes the current subset (call when a plan using it is dispatched). */
  advance(): void {
    this.#start = (this.#start + this.#size) % this.#cameras.length;
  }
}
