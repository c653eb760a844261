// Runs a frame job's stages on the pipeline for the scheduler: gathers the rig and odometry the
// stages need, measures the set's time, stores the processed frame on the job, and warms the
// stages up before host time admits the first set.
import type { mat4 } from 'gl-matrix';
import type { Nanos } from '../msgs/time';
import type { DegradationPlan } from '../scheduler/degradation';
import type { StageTimings } from '../scheduler/outcomes';
import type { PerceptionConfig } from '../config/config_schema';
import type { FrameJob } from './frame_job';
import type { PerceptionPipeline } from './perception_pipeline';
import type { RigState } from './rig_state';
import { hostStopwatch, type Stopwatch } from './source_clock';

export class SetExecutor {
  readonly #config: PerceptionConfig;
  readonly #pipeline: PerceptionPipeline;
  readonly #rig: RigState;
  readonly #stopwatch: Stopwatch;
  readonly #warn: (message: string) => void;
  #odomSeen = false;
  #lastOdom: mat4 | undefined;
  /** Sets run before odometry was first seen: tracked in base_link, to be restarted in odom. */
  #setsWithoutOdom = 0;

  constructor(
    config: PerceptionConfig,
    pipeline: PerceptionPipeline,
    rig: RigState,
    stopwatch: Stopwatch | undefined,
    warn: (m: string) => void,
  ) {
    this.#config = config;
    this.#pipeline = pipeline;
    this.#rig = rig;
    this.#stopwatch = stopwatch ?? hostStopwatch;
    this.#warn = warn;
  }

  /** Runs `plan` on the job's set; the processed frame is left on the job. Resolves with the stage times. */
  async execute(job: FrameJob, plan: DegradationPlan): Promise<StageTimings> {
    const stopwatch = this.#stopwatch;
    const t0 = stopwatch();
    const frame = await this.#pipeline.process(job.set, plan, {
      rig: this.#rig.rig(this.#config.cameras)!,
      pairs: this.#rig.pairs,
      odomFromBase: this.#odom(job.set.stamp),
      stopwatch,
    });
    for (const w of frame.warnings) this.#warn(w);
    job.frame = frame;
    // Time outside the plan's stages (views, rig lookups, bookkeeping, and decoding when the
    // profile has no preprocess stage: it has one only with a detector) is booked to 'sync', the
    // profile's stage for per-set coordination, so the stage times add up to the set's time and
    // host budgets leave none of it out. Waiting behind earlier sets in flight is queueing, which
    // the set's latency shows; it is no stage's cost.
    const timings: Record<string, number> = {};
    for (const stage of plan.stages) if (frame.timings[stage] !== undefined) timings[stage] = frame.timings[stage];
    const booked = Object.values(timings).reduce((a, b) => a + b, 0);
    return { ...timings, sync: Math.max(0, Number(stopwatch() - t0) / 1e6 - booked - frame.waitedMs) };
  }

  /**
   * Host time, before the first set is admitted: runs each of `plans` on it at camera size, after
   * a discarded cold run where the plan starts something new (stereo workers of each matcher, JIT,
   * model sessions), and returns the warm runs' stage times. Its outputs and tracks are
   * forgotten; the set is then scheduled as any other.
   */
  async warmUp(job: FrameJob, plans: readonly DegradationPlan[]): Promise<StageTimings[]> {
    const trial: FrameJob = { set: job.set };
    const warm: StageTimings[] = [];
    let halfSeen = false;
    try {
      // A cold run (discarded) only where a plan starts something new: the first plan, and the
      // half-resolution matcher with its own workers; the other shapes reuse warm code and workers.
      for (const [i, plan] of plans.entries()) {
        if (i === 0 || (plan.stereoHalfResolution && !halfSeen)) await this.execute(trial, plan);
        halfSeen ||= plan.stereoHalfResolution;
        warm.push(await this.execute(trial, plan));
      }
    } catch (err) {
      // The set itself is still dispatched, and fails or completes there with its own warning.
      this.#warn(`host time: warming up on the first frame set failed (${(err as Error).message}); budgets start from the first sets run`);
    } finally {
      this.#pipeline.reset();
    }
    const times = (t: StageTimings) =>
      Object.entries(t)
        .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
        .join(', ');
    if (warm.length > 0)
      this.#warn(`host time: stages warmed up on the first frame set (${warm.map((t, i) => `${plans[i].rung}: ${times(t)}`).join('; ')})`);
    return warm;
  }

  /** base_link -> odom from /tf, once odometry has been seen; the last one if a lookup fails later. */
  #odom(stamp: Nanos): mat4 | undefined {
    const odom = this.#config.frames.odom_frame;
    if (odom === '') return undefined;
    try {
      this.#lastOdom = this.#rig.tf.lookup(odom, this.#config.frames.base_frame, stamp);
      if (!this.#odomSeen && this.#setsWithoutOdom > 0) {
        // Tracks so far are in base_link; positions and velocities do not carry over to odom.
        this.#warn(
          `odometry (${odom} -> ${this.#config.frames.base_frame} on /tf) arrived after ${this.#setsWithoutOdom} frame set(s): tracks restart in ${odom}`,
        );
        this.#pipeline.reset();
      }
      this.#odomSeen = true;
    } catch (err) {
      if (this.#odomSeen) this.#warn(`odometry lookup at ${stamp} ns failed, using the last one: ${(err as Error).message}`);
    }
    if (!this.#odomSeen) this.#setsWithoutOdom++;
    return this.#odomSeen ? this.#lastOdom : undefined;
  }
}
