// The degradation ladder: what to run of a frame set when the full pipeline would miss its
// deadline. Rungs are cumulative: rung k applies its own degradation and every one before it.
// Each rung's cost is the sum of the stage budgets it still runs, so the scheduler can pick the
// least-degraded rung that fits the slack left before the deadline.
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
  /** Publish the previous depth instead of computing depth. */
  reuseLastDepth: boolean;
  /** Stages to run, in pipeline order. */
  stages: string[];
  /** Predicted time of the plan (sum of its stage budgets), ms. */
  predictedMs: number;
}

interface RungEffect {
  skipLearnedDepth: boolean;
  subset: boolean;
  reuseLastDepth: boolean;
}

const NO_EFFECT: RungEffect = { skipLearnedDepth: false, subset: false, reuseLastDepth: false };

function applyRung(e: RungEffect, rung: RungName): RungEffect {
  switch (rung) {
    case 'skip_learned_depth': return { ...e, skipLearnedDepth: true };
    case 'detect_subset_round_robin': return { ...e, subset: true };
    case 'reuse_last_depth': return { ...e, reuseLastDepth: true, skipLearnedDepth: true };
  }
}

/** Cumulative effects of level 0 (full) .. ladder.length. */
export function ladderEffects(ladder: readonly RungName[]): RungEffect[] {
  const effects = [NO_EFFECT];
  for (const rung of ladder) effects.push(applyRung(effects[effects.length - 1], rung));
  return effects;
}

/**
 * Builds the plan for a ladder level. `stageMs(stage)` is the stage's current budget for all
 * cameras; `subset` the cameras chosen when the level runs detection on a subset.
 */
export function makePlan(
  level: number, ladder: readonly RungName[], effect: RungEffect, stages: readonly StageOptions[],
  stageMs: (s: StageOptions) => number, cameras: readonly string[], subset: string[],
): DegradationPlan {
  const dropped = (name: string) =>
    (effect.skipLearnedDepth && name === 'learned_depth') || (effect.reuseLastDepth && (name === 'stereo_depth' || name === 'learned_depth'));
  const run = stages.filter((s) => !dropped(s.name));
  const fraction = effect.subset ? subset.length / cameras.length : 1;
  const predictedMs = run.reduce((sum, s) => sum + stageMs(s) * (s.perCamera ? fraction : 1), 0);
  return {
    rung: level === 0 ? 'full' : ladder[level - 1],
    level,
    skipLearnedDepth: effect.skipLearnedDepth,
    detectCameras: effect.subset ? subset : 'all',
    reuseLastDepth: effect.reuseLastDepth,
    stages: run.map((s) => s.name),
    predictedMs,
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
