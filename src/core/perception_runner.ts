// The core behind every source: synchroniser -> deadline scheduler -> pipeline stages -> results.
// A source (the ROS node, a bag replay, the demo) pushes messages in and gets PipelineResults
// out; it never sees the stages. In target time the scheduler's virtual clock follows the
// profiled stage times, so what is run, degraded or shed depends only on the input stamps.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Nanos } from '../msgs/time';
import type { CameraInfo, CompressedImage, Image, TFMessage } from '../msgs/types';
import type { Clock } from '../scheduler/clock';
import { DeadlineScheduler } from '../scheduler/deadline_scheduler';
import type { DegradationPlan } from '../scheduler/degradation';
import type { Outcome } from '../scheduler/outcomes';
import type { SchedulerOptionsInput } from '../scheduler/scheduler_options';
import type { FrameSet } from '../sync/frame';
import { FrameSynchronizer } from '../sync/frame_synchronizer';
import { configChange } from '../config/config_changes';
import type { PerceptionConfig } from '../config/config_schema';
import { DiagnosticsReport } from './diagnostics_report';
import type { FrameJob } from './frame_job';
import { PerceptionPipeline, type ProcessedFrame } from './perception_pipeline';
import { schedulerOptionsFor } from './pipeline_budgets';
import { resultFor, type InputCounters } from './outcome_result';
import type { PipelineResult } from './result';
import { PeriodicReport, RigState } from './rig_state';
import type { InputDropCount, PerceptionRunner } from './runner_api';
import { SetExecutor } from './set_executor';
import type { Stopwatch } from './source_clock';
import { synchronizerOptions } from '../config/stage_options';
import { HostTime, TargetTime, type TimeMode } from './time_mode';

/** A runner that can also be waited on, for replays and tests. */
export interface ReplayableRunner extends PerceptionRunner {
  /** Resolves when every frame set handed in so far has been offered to the scheduler and, in host time, dispatched. */
  flush(): Promise<void>;
}

export interface RunnerOptions {
  /** Called with each completed set's stage data (images, detections, fusion) for evaluation. */
  onProcessed?: (set: FrameSet, frame: ProcessedFrame) => void;
  /**
   * Host time: the clock deadlines and latencies are measured on, in the stamps' domain. Default:
   * one that follows the source's ticks (SourceAlignedClock); a paced replay passes its PlaybackClock.
   */
  hostClock?: Clock;
  /** Measures stage times (default: process.hrtime.bigint). */
  stopwatch?: Stopwatch;
  /** Every scheduler decision with its times (offered, started, finished, stage times): a per-set timeline. */
  onOutcome?: (o: Outcome<FrameJob>) => void;
}

/** Builds the runner for `config`: loads models, starts stereo workers. */
export async function createPerceptionRunner(config: PerceptionConfig, options: RunnerOptions = {}): Promise<ReplayableRunner> {
  const pipeline = await PerceptionPipeline.create(config);
  return new CoreRunner(config, pipeline, options);
}

class CoreRunner implements ReplayableRunner {
  #scheduler: DeadlineScheduler<FrameJob>;
  #schedulerOptions: SchedulerOptionsInput;
  #config: PerceptionConfig;
  readonly #pipeline: PerceptionPipeline;
  readonly #sync: FrameSynchronizer;
  readonly #rig: RigState;
  readonly #time: TimeMode;
  /** sync.time_jump_ms: the synchroniser, the source clock and the runner's restart use the one setting. */
  readonly #timeJumpNs: Nanos;
  readonly #options: RunnerOptions;
  readonly #resultCbs: Array<(r: PipelineResult) => void> = [];
  readonly #warningCbs: Array<(m: string) => void> = [];
  readonly #executor: SetExecutor;
  #lastSetStamp: Nanos | undefined;
  #chain: Promise<void> = Promise.resolve();
  readonly #counters: InputCounters = { dropped: 0n, notReady: 0, backlogDrops: 0, staleSets: 0 };
  readonly #diagnostics = new DiagnosticsReport();
  /** Rig problems are repeated while they last, so a long replay that outputs little says why. */
  readonly #rigReports = new PeriodicReport();
  #closed = false;
  /** Main-thread event-loop delay: while it is high, the node cannot receive images. */
  readonly #loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(config: PerceptionConfig, pipeline: PerceptionPipeline, options: RunnerOptions) {
    this.#config = config;
    this.#pipeline = pipeline;
    this.#options = options;
    this.#rig = new RigState(config);
    this.#executor = new SetExecutor(config, pipeline, this.#rig, options.stopwatch, (m) => this.#warn(m));
    const syncOptions = synchronizerOptions(config);
    this.#timeJumpNs = syncOptions.timeJumpThresholdNs!;
    this.#sync = new FrameSynchronizer(syncOptions);
    this.#sync.onSet((set) => this.#onSet(set));
    this.#sync.onDrop(() => this.#counters.dropped++);
    this.#sync.onWarning((m) => this.#warn(`sync: ${m}`));

    this.#time =
      config.scheduler.time_mode === 'target' ? new TargetTime(config.sync.queue_size) : new HostTime(options.hostClock, this.#timeJumpNs);
    this.#schedulerOptions = schedulerOptionsFor(config, pipeline);
    this.#scheduler = this.#startScheduler();
    this.#loopDelay.enable();
  }

  /** A scheduler on the time mode's clock; in host time its dispatch loop runs until stopped. */
  #startScheduler(): DeadlineScheduler<FrameJob> {
    const scheduler = new DeadlineScheduler<FrameJob>(this.#schedulerOptions, this.#time.clock, { onOutcome: (o) => this.#onOutcome(o) });
    this.#time.start(scheduler, this.#exec, (job, plans) => this.#executor.warmUp(job, plans));
    return scheduler;
  }

  /**
   * The source jumped back in time (a bag loop, a simulation reset): the old timeline's
   * deadlines and busy times mean nothing on the new one, so its waiting sets are finished and
   * scheduling restarts (statistics included) on a fresh clock.
   */
  async #restartScheduler(from: Nanos, to: Nanos): Promise<void> {
    await this.#time.stop();
    await this.#scheduler.drain(this.#exec);
    this.#time.restart();
    this.#pipeline.reset();
    this.#scheduler = this.#startScheduler();
    this.#warn(`scheduler restarted: frame-set stamps jumped back from ${from} to ${to} ns (bag loop or simulation reset)`);
  }

  handleImage(camera: string, msg: Image | CompressedImage): void {
    if (this.#closed) return;
    this.#sync.addImage(camera, msg);
  }

  handleCameraInfo(camera: string, msg: CameraInfo): void {
    if (this.#closed) return;
    try {
      this.#rig.setCameraInfo(camera, msg);
      this.#sync.addCameraInfo(camera, msg);
    } catch (err) {
      this.#warn(`camera_info of "${camera}" ignored: ${(err as Error).message}`);
    }
  }

  handleTf(msg: TFMessage, isStatic: boolean): void {
    if (this.#closed) return;
    try {
      this.#rig.setTransforms(msg, isStatic);
    } catch (err) {
      this.#warn(`${isStatic ? '/tf_static' : '/tf'} message ignored: ${(err as Error).message}`);
    }
  }

  tick(now: Nanos): void {
    if (this.#closed) return;
    this.#time.observe(now);
    this.#sync.tick(now);
  }

  retune(config: PerceptionConfig): void {
    const { restart } = configChange(this.#config, config);
    if (restart.length > 0) throw new Error(`the running pipeline cannot take ${restart.join(', ')} without a restart`);
    this.#pipeline.retune(config);
    this.#sync.retune(synchronizerOptions(config));
    this.#schedulerOptions = { ...this.#schedulerOptions, deadlineMs: config.scheduler.deadline_ms };
    this.#scheduler.deadlineMs = config.scheduler.deadline_ms;
    this.#config = config;
  }

  onResult(cb: (result: PipelineResult) => void): void {
    this.#resultCbs.push(cb);
  }

  onWarning(cb: (message: string) => void): void {
    this.#warningCbs.push(cb);
  }

  inputDrops(): InputDropCount[] {
    const st = this.#sync.stats();
    const drops = Object.entries(st.perCamera).flatMap(([camera, c]) =>
      Object.entries(c.dropped).map(([reason, count]) => ({ camera, reason, count })),
    );
    if (st.unknownCameraMessages > 0) drops.push({ camera: '(not in the rig)', reason: 'unknown_camera', count: st.unknownCameraMessages });
    return drops;
  }

  async flush(): Promise<void> {
    await this.#chain;
    await this.#time.settled();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // The input has ended: the last set, which only a later image would prove best, goes out too.
    this.#sync.finish();
    this.#closed = true;
    await this.flush();
    await this.#time.stop();
    await this.#scheduler.drain(this.#exec);
    await this.#pipeline.dispose();
    this.#loopDelay.disable();
  }

  #warn(message: string): void {
    for (const cb of this.#warningCbs) cb(message);
  }

  #onSet(synced: FrameSet): void {
    const rig = this.#rig.rig(this.#config.cameras);
    const set = rig ? this.#withoutExcluded(synced) : undefined;
    if (!set) {
      this.#counters.notReady++;
      const why = this.#rig.error;
      if (this.#rigReports.due(why, synced.stamp)) this.#warn(`frame set at ${synced.stamp} ns skipped until the rig is known: ${why}`);
      return;
    }
    const last = this.#lastSetStamp;
    const jumped = last !== undefined && set.stamp < last - this.#timeJumpNs;
    if (last !== undefined && set.stamp <= last && !jumped) {
      // Tracking needs increasing stamps; the synchroniser's sets are in order, so this is rare.
      this.#counters.staleSets++;
      this.#warn(`frame set at ${set.stamp} ns dropped: not after the previous set (${last} ns)`);
      return;
    }
    this.#lastSetStamp = set.stamp;
    if (!this.#time.admit()) {
      if (this.#counters.backlogDrops++ === 0) {
        this.#warn(
          `target time: ${this.#time.backlogLimit} frame sets already wait for the pipeline; dropping new ones (a live source needs scheduler.time_mode: host)`,
        );
      }
      return;
    }
    this.#chain = this.#chain
      .then(async () => {
        if (jumped) await this.#restartScheduler(last, set.stamp);
        await this.#time.deliver(this.#scheduler, set, this.#exec);
      })
      .catch((err) => this.#warn(`frame set at ${set.stamp} ns failed: ${(err as Error).message}`))
      .finally(() => this.#time.release());
  }

  /** The set without the views of cameras left out of the rig; undefined when none is left. */
  #withoutExcluded(set: FrameSet): FrameSet | undefined {
    for (const problem of this.#rig.pairProblems) if (this.#rigReports.due(problem, set.stamp)) this.#warn(problem);
    const excluded = this.#rig.excluded;
    if (excluded.size === 0) return set;
    for (const [camera, why] of excluded) {
      if (this.#rigReports.due(`${camera}: ${why}`, set.stamp))
        this.#warn(`camera "${camera}" left out of the frame set at ${set.stamp} ns; the other cameras run degraded: ${why}`);
    }
    const views = set.views.filter((v) => !excluded.has(v.camera));
    if (views.length === 0) return undefined;
    // The set's stamp is its latest frame's: a left-out camera's bad clock must not set it.
    const stamp = views.reduce((m, v) => (v.stamp > m ? v.stamp : m), views[0]!.stamp);
    return { ...set, stamp, views, missing: [...new Set([...set.missing, ...excluded.keys()])] };
  }

  readonly #exec = (job: FrameJob, plan: DegradationPlan) => this.#executor.execute(job, plan);

  #onOutcome(o: Outcome<FrameJob>): void {
    this.#time.finished();
    this.#options.onOutcome?.(o);
    if (o.kind === 'completed' && o.item.frame) this.#options.onProcessed?.(o.item.set, o.item.frame);
    const result = resultFor(o, {
      config: this.#config,
      scheduler: this.#scheduler,
      sync: this.#sync,
      loopDelay: this.#loopDelay,
      counters: this.#counters,
      diagnostics: this.#diagnostics,
    });
    for (const cb of this.#resultCbs) cb(result);
  }
}
