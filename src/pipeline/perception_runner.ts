// The core behind every source: synchroniser -> deadline scheduler -> pipeline stages -> results.
// A source (the ROS node, a bag replay, the demo) pushes messages in and gets PipelineResults
// out; it never sees the stages. In target time the scheduler's virtual clock follows the
// profiled stage times, so what is run, degraded or shed depends only on the input stamps.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { mat4 } from 'gl-matrix';
import { nanosToTime, type Nanos } from '../msgs/time';
import type { CameraInfo, CompressedImage, DiagnosticStatus, Header, Image, TFMessage } from '../msgs/types';
import { DiagnosticLevel } from '../msgs/types';
import { loadHardwareProfile } from '../profile/hardware_profile';
import { VirtualClock, type Clock } from '../scheduler/clock';
import { DeadlineScheduler, type Outcome } from '../scheduler/deadline_scheduler';
import type { SchedulerOptionsInput } from '../scheduler/scheduler_options';
import type { DegradationPlan } from '../scheduler/degradation';
import type { StageTimings } from '../scheduler/deadline_scheduler';
import type { FrameSet } from '../sync/frame';
import { FrameSynchronizer } from '../sync/frame_synchronizer';
import type { PerceptionConfig } from './config_schema';
import { PerceptionPipeline, type ProcessedFrame } from './perception_pipeline';
import { pipelineStages } from './pipeline_budgets';
import { DIAGNOSTICS_TOPIC, OUTPUT_TYPES } from './output_topics';
import type { PerceptionOutput, PipelineResult } from './result';
import { PeriodicReport, RigState } from './rig_state';
import type { InputDropCount, PerceptionRunner } from './runner_api';
import { hostStopwatch, SourceAlignedClock, type Stopwatch } from './source_clock';

const msToNs = (ms: number): Nanos => BigInt(Math.round(ms * 1e6));

/**
 * Target time assumes a source that waits for the pipeline (a replay awaiting flush()). Fed
 * live instead, sets would queue without bound; beyond this many waiting, new sets are dropped.
 */
const MAX_TARGET_BACKLOG = 4;

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
}

/** Builds the runner for `config`: loads models, starts stereo workers. */
export async function createPerceptionRunner(config: PerceptionConfig, options: RunnerOptions = {}): Promise<ReplayableRunner> {
  const pipeline = await PerceptionPipeline.create(config);
  return new CoreRunner(config, pipeline, options);
}

class CoreRunner implements ReplayableRunner {
  #scheduler: DeadlineScheduler<FrameSet>;
  readonly #schedulerOptions: SchedulerOptionsInput;
  readonly #config: PerceptionConfig;
  readonly #pipeline: PerceptionPipeline;
  readonly #sync: FrameSynchronizer;
  readonly #rig: RigState;
  #clock: Clock;
  readonly #options: RunnerOptions;
  readonly #resultCbs: Array<(r: PipelineResult) => void> = [];
  readonly #warningCbs: Array<(m: string) => void> = [];
  readonly #processed = new Map<FrameSet, ProcessedFrame>();
  #abort = new AbortController();
  #hostLoop: Promise<void> | undefined;
  #lastSetStamp: Nanos | undefined;
  #chain: Promise<void> = Promise.resolve();
  #dropped = 0n;
  #dropsSinceReport = 0;
  #notReady = 0;
  #targetBacklog = 0;
  #backlogDrops = 0;
  #staleSets = 0;
  /** Rig problems are repeated while they last, so a long replay that outputs little says why. */
  readonly #rigReports = new PeriodicReport();
  #odomSeen = false;
  #lastOdom: mat4 | undefined;
  #closed = false;
  /** Main-thread event-loop delay: while it is high, the node cannot receive images. */
  readonly #loopDelay = monitorEventLoopDelay({ resolution: 10 });

  constructor(config: PerceptionConfig, pipeline: PerceptionPipeline, options: RunnerOptions) {
    this.#config = config;
    this.#pipeline = pipeline;
    this.#options = options;
    this.#rig = new RigState(config);
    const s = config.sync;
    this.#sync = new FrameSynchronizer({
      cameras: config.cameras,
      policy: s.policy,
      queueSize: s.queue_size,
      maxIntervalNs: s.max_interval_ms > 0 ? msToNs(s.max_interval_ms) : undefined,
      agePenalty: s.age_penalty,
      cameraInfo: s.camera_info,
      dropout: { mode: s.dropout_mode, timeoutNs: msToNs(s.dropout_timeout_ms), minCameras: Math.min(s.min_cameras, config.cameras.length) },
      timeJumpThresholdNs: msToNs(s.time_jump_ms),
    });
    this.#sync.onSet((set) => this.#onSet(set));
    this.#sync.onDrop(() => {
      this.#dropped++;
      this.#dropsSinceReport++;
    });
    this.#sync.onWarning((m) => this.#warn(`sync: ${m}`));

    const sc = config.scheduler;
    const profile = loadHardwareProfile(sc.profile);
    this.#clock = sc.time_mode === 'target' ? new VirtualClock() : (options.hostClock ?? new SourceAlignedClock());
    this.#schedulerOptions = {
      rateHz: sc.rate_hz,
      deadlineMs: sc.deadline_ms,
      timeMode: sc.time_mode,
      profile: profile.name,
      mailboxDepth: sc.mailbox_depth,
      ladder: sc.ladder,
      cameras: config.cameras,
      // Host time: a margin for this machine's jitter (GC, other processes) at admission.
      admissionMarginMs: sc.time_mode === 'host' ? 5 : 0,
      stages: pipelineStages({
        profile,
        cameras: config.cameras.length,
        rateHz: sc.rate_hz,
        detectorPath: pipeline.hasDetector ? config.detection.model_path : undefined,
        learnedDepth: pipeline.hasLearnedDepth,
      }),
    };
    this.#scheduler = this.#startScheduler();
    this.#loopDelay.enable();
  }

  /** A scheduler on the current clock; in host time its dispatch loop runs until #abort fires. */
  #startScheduler(): DeadlineScheduler<FrameSet> {
    const scheduler = new DeadlineScheduler<FrameSet>(this.#schedulerOptions, this.#clock, { onOutcome: (o) => this.#onOutcome(o) });
    if (this.#clock.mode === 'host') {
      this.#abort = new AbortController();
      this.#hostLoop = scheduler.run((set, plan) => this.#execute(set, plan), this.#abort.signal, (set) => this.#warmUp(set, scheduler.planFor(0)));
    }
    return scheduler;
  }

  /**
   * The source jumped back in time (a bag loop, a simulation reset): the old timeline's
   * deadlines and busy times mean nothing on the new one, so its waiting sets are finished and
   * scheduling restarts (statistics included) on a fresh clock.
   */
  async #restartScheduler(from: Nanos, to: Nanos): Promise<void> {
    if (this.#hostLoop) {
      this.#abort.abort();
      await this.#hostLoop;
    }
    await this.#scheduler.drain((set, plan) => this.#execute(set, plan));
    if (this.#clock instanceof VirtualClock) this.#clock = new VirtualClock();
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
    if (this.#clock instanceof SourceAlignedClock) this.#clock.observe(now);
    this.#sync.tick(now);
  }

  onResult(cb: (result: PipelineResult) => void): void {
    this.#resultCbs.push(cb);
  }

  onWarning(cb: (message: string) => void): void {
    this.#warningCbs.push(cb);
  }

  inputDrops(): InputDropCount[] {
    const st = this.#sync.stats();
    const drops = Object.entries(st.perCamera).flatMap(([camera, c]) => Object.entries(c.dropped).map(([reason, count]) => ({ camera, reason, count })));
    if (st.unknownCameraMessages > 0) drops.push({ camera: '(not in the rig)', reason: 'unknown_camera', count: st.unknownCameraMessages });
    return drops;
  }

  async flush(): Promise<void> {
    await this.#chain;
    if (this.#clock.mode === 'host') {
      while (this.#scheduler.pending > 0 || this.#processed.size > 0) await new Promise((r) => setTimeout(r, 2));
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // The input has ended: the last set, which only a later image would prove best, goes out too.
    this.#sync.finish();
    this.#closed = true;
    await this.#chain;
    if (this.#hostLoop) {
      await this.flush();
      this.#abort.abort();
      await this.#hostLoop;
    }
    await this.#scheduler.drain((set, plan) => this.#execute(set, plan));
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
      this.#notReady++;
      const why = this.#rig.error;
      if (this.#rigReports.due(why, synced.stamp)) this.#warn(`frame set at ${synced.stamp} ns skipped until the rig is known: ${why}`);
      return;
    }
    const last = this.#lastSetStamp;
    const jumped = last !== undefined && set.stamp < last - msToNs(this.#config.sync.time_jump_ms);
    if (last !== undefined && set.stamp <= last && !jumped) {
      // Tracking needs increasing stamps; the synchroniser's sets are in order, so this is rare.
      this.#staleSets++;
      this.#warn(`frame set at ${set.stamp} ns dropped: not after the previous set (${last} ns)`);
      return;
    }
    this.#lastSetStamp = set.stamp;
    if (this.#clock instanceof VirtualClock) {
      if (this.#targetBacklog >= MAX_TARGET_BACKLOG) {
        if (this.#backlogDrops++ === 0) {
          this.#warn(`target time: ${MAX_TARGET_BACKLOG} frame sets already wait for the pipeline; dropping new ones (a live source needs scheduler.time_mode: host)`);
        }
        return;
      }
      this.#targetBacklog++;
      // Target time: the set arrives at its stamp; sets before it run in virtual time first.
      this.#chain = this.#chain
        .then(async () => {
          if (jumped) await this.#restartScheduler(last, set.stamp);
          await this.#scheduler.runUntil(set.stamp, (s, plan) => this.#execute(s, plan));
          this.#scheduler.offer(set, set.stamp);
        })
        .catch((err) => this.#warn(`frame set at ${set.stamp} ns failed: ${(err as Error).message}`))
        .finally(() => this.#targetBacklog--);
    } else if (jumped) {
      this.#chain = this.#chain
        .then(async () => {
          await this.#restartScheduler(last, set.stamp);
          this.#scheduler.offer(set, set.stamp);
        })
        .catch((err) => this.#warn(`frame set at ${set.stamp} ns failed: ${(err as Error).message}`));
    } else {
      this.#chain = this.#chain.then(() => void this.#scheduler.offer(set, set.stamp));
    }
  }

  /** The set without the views of cameras left out of the rig; undefined when none is left. */
  #withoutExcluded(set: FrameSet): FrameSet | undefined {
    for (const problem of this.#rig.pairProblems) if (this.#rigReports.due(problem, set.stamp)) this.#warn(problem);
    const excluded = this.#rig.excluded;
    if (excluded.size === 0) return set;
    for (const [camera, why] of excluded) {
      if (this.#rigReports.due(`${camera}: ${why}`, set.stamp)) this.#warn(`camera "${camera}" left out of the frame set at ${set.stamp} ns; the other cameras run degraded: ${why}`);
    }
    const views = set.views.filter((v) => !excluded.has(v.camera));
    if (views.length === 0) return undefined;
    // The set's stamp is its latest frame's: a left-out camera's bad clock must not set it.
    const stamp = views.reduce((m, v) => (v.stamp > m ? v.stamp : m), views[0]!.stamp);
    return { ...set, stamp, views, missing: [...new Set([...set.missing, ...excluded.keys()])] };
  }

  /**
   * Host time, before the first set is admitted: runs the full pipeline twice on it at camera
   * size (stereo workers, JIT, model sessions), discards the cold run and returns the warm run's
   * stage times. Its outputs and tracks are forgotten; the set is then scheduled as any other.
   */
  async #warmUp(set: FrameSet, plan: DegradationPlan): Promise<StageTimings> {
    await this.#execute(set, plan);
    const warm = await this.#execute(set, plan);
    this.#processed.delete(set);
    this.#pipeline.reset();
    this.#warn(`host time: stages warmed up on the first frame set (${Object.entries(warm).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')})`);
    return warm;
  }

  async #execute(set: FrameSet, plan: DegradationPlan): Promise<StageTimings> {
    const stopwatch = this.#options.stopwatch ?? hostStopwatch;
    const t0 = stopwatch();
    const frame = await this.#pipeline.process(set, plan, {
      rig: this.#rig.rig(this.#config.cameras)!,
      pairs: this.#rig.pairs,
      odomFromBase: this.#odom(set.stamp),
      stopwatch,
    });
    for (const w of frame.warnings) this.#warn(w);
    this.#processed.set(set, frame);
    // Time outside the named stages (views, rig lookups, bookkeeping) is booked to 'sync', the
    // profile's stage for per-set coordination, so the stage times add up to the set's time.
    return { ...frame.timings, sync: Number(stopwatch() - t0) / 1e6 - Object.values(frame.timings).reduce((a, b) => a + b, 0) };
  }

  /** base_link -> odom from /tf, once odometry has been seen; the last one if a lookup fails later. */
  #odom(stamp: Nanos): mat4 | undefined {
    const odom = this.#config.frames.odom_frame;
    if (odom === '') return undefined;
    try {
      this.#lastOdom = this.#rig.tf.lookup(odom, this.#config.frames.base_frame, stamp);
      this.#odomSeen = true;
    } catch (err) {
      if (this.#odomSeen) this.#warn(`odometry lookup at ${stamp} ns failed, using the last one: ${(err as Error).message}`);
    }
    return this.#odomSeen ? this.#lastOdom : undefined;
  }

  #onOutcome(o: Outcome<FrameSet>): void {
    const set = o.item;
    const frame = this.#processed.get(set);
    this.#processed.delete(set);
    if (o.kind === 'completed' && frame) this.#options.onProcessed?.(set, frame);
    const header: Header = { stamp: nanosToTime(set.stamp), frame_id: this.#config.frames.base_frame };
    const depthAgeMs = frame?.depthAgeMs ?? Number.NaN;
    const status = this.#scheduler.toPipelineStatus(header, {
      activeCameras: set.views.map((v) => v.camera),
      droppedMessages: this.#dropped,
      depthAgeMs,
    });
    const outputs: PerceptionOutput[] = [...(frame?.outputs ?? []), { topic: this.#config.topics.status, type: OUTPUT_TYPES.status, msg: status }];
    if (this.#config.outputs.diagnostics) {
      const diag = this.#scheduler.toDiagnostics(header);
      // Since the previous report, ms; not part of target time's decisions.
      diag.status[0].values.push(
        { key: 'event_loop_delay_p99_ms', value: (this.#loopDelay.percentile(99) / 1e6).toFixed(1) },
        { key: 'event_loop_delay_max_ms', value: (this.#loopDelay.max / 1e6).toFixed(1) },
      );
      this.#loopDelay.reset();
      diag.status.push(this.#syncDiagnostics(), this.#depthDiagnostics(depthAgeMs, o.kind === 'completed'));
      outputs.push({ topic: DIAGNOSTICS_TOPIC, type: OUTPUT_TYPES.diagnostics, msg: diag });
    }
    const result: PipelineResult = o.kind === 'completed'
      ? { seq: set.seq, stamp: set.stamp, outputs, decision: 'completed', rung: o.plan.rung }
      : { seq: set.seq, stamp: set.stamp, outputs, decision: 'shed', shedReason: o.reason, rung: 'shed' };
    for (const cb of this.#resultCbs) cb(result);
  }

  /** How old the depth behind obstacles and scan is; WARN when reused or, for a completed set, missing. */
  #depthDiagnostics(ageMs: number, completed: boolean): DiagnosticStatus {
    const maxMs = this.#config.scheduler.max_depth_age_ms;
    const [level, message] = Number.isNaN(ageMs)
      ? completed
        ? [DiagnosticLevel.WARN, `no depth for this set (none computed, or older than scheduler.max_depth_age_ms = ${maxMs} ms): obstacles and scan not published`]
        : [DiagnosticLevel.OK, 'set shed: no outputs']
      : ageMs > 0
        ? [DiagnosticLevel.WARN, `depth reused from ${ageMs.toFixed(1)} ms ago: obstacles and scan carry its stamp`]
        : [DiagnosticLevel.OK, 'depth computed for this set'];
    const values = [{ key: 'depth_age_ms', value: String(ageMs) }, { key: 'max_depth_age_ms', value: String(maxMs) }];
    return { level, name: 'dx_perception: depth', message, hardware_id: 'cameras', values };
  }

  #syncDiagnostics(): DiagnosticStatus {
    const st = this.#sync.stats();
    const values = Object.entries(st.perCamera).flatMap(([cam, c]) => [
      { key: `${cam}.received`, value: String(c.received) },
      ...Object.entries(c.dropped).map(([reason, n]) => ({ key: `${cam}.dropped.${reason}`, value: String(n) })),
    ]);
    values.push({ key: 'sets', value: String(st.sets) }, { key: 'degraded_sets', value: String(st.degradedSets) }, { key: 'resets', value: String(st.resets) }, { key: 'sets_before_rig_known', value: String(this.#notReady) }, { key: 'sets_dropped_target_backlog', value: String(this.#backlogDrops) }, { key: 'sets_dropped_stale', value: String(this.#staleSets) });
    const level = this.#dropsSinceReport > 0 ? DiagnosticLevel.WARN : DiagnosticLevel.OK;
    const message = this.#dropsSinceReport > 0 ? `${this.#dropsSinceReport} input message(s) dropped since the last report` : 'all cameras synchronised';
    this.#dropsSinceReport = 0;
    return { level, name: 'dx_perception: synchroniser', message, hardware_id: 'cameras', values };
  }
}
