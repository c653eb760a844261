// The stages of one frame set, in order: decode -> detect -> stereo depth -> learned depth ->
// fuse -> publish. Stateless about time and scheduling: the runner decides what to run (the
// degradation plan) and when; this class only runs it and measures each stage.
import type { mat4 } from 'gl-matrix';
import type { Rig, RigCamera } from '../geometry/rig';
import { decodeImage } from '../io/image_codec';
import type { Raster } from '../io/raster';
import { Detector } from '../inference/detector';
import type { Detection } from '../inference/detection';
import { MonoDepthAdapter } from '../depth/mono_depth';
import { StereoMatcher } from '../depth/sgm_stereo';
import { FusionStage } from '../fusion/fusion_stage';
import type { FusionOutput } from '../fusion/types';
import type { DegradationPlan } from '../scheduler/degradation';
import type { FrameSet } from '../sync/frame';
import type { PerceptionConfig } from '../config/config_schema';
import { activeRightCameras, learnedDepth, oldestStamp, stereoDepth, type CameraDepth, type LearnedDepthInputs } from './depth_stages';
import { frameMessages } from './frame_messages';
import { fusionInputs } from './fusion_inputs';
import type { PerceptionOutput } from './result';
import type { StereoPairGeometry } from './rig_state';
import { detectorOptions, fusionOptions, stereoOptions } from '../config/stage_options';
import type { StageName } from './stages';
import { OrderedGate, type GateSlot } from './ordered_gate';

export interface StageContext {
  rig: Rig;
  pairs: readonly StereoPairGeometry[];
  /** base_link -> odom at the set's stamp, when odometry is available. */
  odomFromBase?: mat4;
  /** Measures the stage times, ns (default: process.hrtime.bigint). */
  stopwatch?: () => bigint;
}

/** Runs `fn` as stage `stage`, adding its time to the set's timings. */
type StageTimer = <T>(stage: StageName, fn: () => T | Promise<T>) => Promise<T>;
type GatedTimer = <T>(stage: StageName, slot: GateSlot, fn: () => T | Promise<T>) => Promise<T>;

/** The stages that keep state or use a non-reentrant resource, each entered by one set at a time. */
interface PipelineGates {
  detect: OrderedGate;
  stereo: OrderedGate;
  learned: OrderedGate;
  /** Fusion and tracking, the depth kept for reuse_last_depth, and the messages that carry them. */
  fuse: OrderedGate;
}

/** What one frame set produced, for the runner and for evaluation. */
export interface ProcessedFrame {
  outputs: PerceptionOutput[];
  /** Host milliseconds per stage that ran. */
  timings: Record<string, number>;
  fusion: FusionOutput;
  images: Map<string, Raster>;
  detections: Map<string, Detection[]>;
  warnings: string[];
  /**
   * Age of the depth behind this set's obstacles and scan, ms: 0 when computed for this set,
   * > 0 when reused (reuse_last_depth), NaN when there was none (never computed, or older than
   * scheduler.max_depth_age_ms: then obstacles and scan are not published for this set).
   */
  depthAgeMs: number;
  /** Time spent waiting for earlier sets to leave a stage, ms (queueing, not the set's own cost). */
  waitedMs: number;
}

export class PerceptionPipeline {
  #config: PerceptionConfig;
  readonly #detector: Detector | undefined;
  readonly #mono: MonoDepthAdapter | undefined;
  readonly #stereo: StereoMatcher;
  /** The stereo_half_resolution rung's matcher (the half-resolution match alone), started the first time a plan asks for it. */
  #halfStereo: StereoMatcher | undefined;
  readonly #fusion: FusionStage;
  /** Last depth per camera, for the reuse_last_depth rung. */
  readonly #lastDepth = new Map<string, CameraDepth>();
  readonly #gates: PipelineGates = {
    detect: new OrderedGate(),
    stereo: new OrderedGate(),
    learned: new OrderedGate(),
    fuse: new OrderedGate(),
  };

  private constructor(config: PerceptionConfig, detector: Detector | undefined, mono: MonoDepthAdapter | undefined) {
    this.#config = config;
    this.#detector = detector;
    this.#mono = mono;
    this.#stereo = new StereoMatcher(stereoOptions(config));
    this.#fusion = new FusionStage(fusionOptions(config));
  }

  /** Loads the configured models (none is required) and starts the stereo workers. */
  static async create(config: PerceptionConfig): Promise<PerceptionPipeline> {
    const detector = config.detection.model_path === '' ? undefined : await Detector.create(detectorOptions(config));
    const mono =
      config.depth.learned_model_path === ''
        ? undefined
        : await MonoDepthAdapter.load(
            config.depth.learned_model_path,
            { output: config.depth.learned_output },
            'depth.learned_model_path',
            config.detection.intra_op_threads,
          );
    return new PerceptionPipeline(config, detector, mono);
  }

  /** Whether a detector is configured (the scheduler budgets a detect stage only then). */
  get hasDetector(): boolean {
    return this.#detector !== undefined;
  }

  get hasLearnedDepth(): boolean {
    return this.#mono !== undefined;
  }

  /**
   * Runs the stages of `plan` on `set`. Cameras whose image cannot be decoded are left out, with a
   * warning. Sets may be processed concurrently (host time's pipelined executor): each stateful
   * stage is entered by one set at a time, in the order process() was called, so the results are
   * those of running the sets one after another.
   */
  async process(set: FrameSet, plan: DegradationPlan, ctx: StageContext): Promise<ProcessedFrame> {
    // Places in line are taken before the first await, so their order is the call order.
    const slots = {
      detect: this.#gates.detect.slot(),
      stereo: this.#gates.stereo.slot(),
      learned: this.#gates.learned.slot(),
      fuse: this.#gates.fuse.slot(),
    };
    try {
      return await this.#run(set, plan, ctx, slots);
    } finally {
      for (const slot of Object.values(slots)) slot.release();
    }
  }

  async #run(
    set: FrameSet,
    plan: DegradationPlan,
    ctx: StageContext,
    slots: Record<keyof PipelineGates, GateSlot>,
  ): Promise<ProcessedFrame> {
    const timings: Record<string, number> = {};
    const warnings: string[] = [];
    const now = ctx.stopwatch ?? (() => process.hrtime.bigint());
    let waitedMs = 0;
    // The wait for a gate runs from the end of the stage before (preprocess is never gated) to the
    // start of the gated one: no extra clock reads.
    let lastEnd: bigint | undefined;
    let waiting = false;
    const turn = async (slot: GateSlot) => {
      if (slot.open) return;
      await slot.ready;
      waiting = true;
    };
    const time: StageTimer = async (stage, fn) => {
      const t0 = now();
      if (waiting && lastEnd !== undefined) waitedMs += Number(t0 - lastEnd) / 1e6;
      waiting = false;
      const out = await fn();
      lastEnd = now();
      timings[stage] = (timings[stage] ?? 0) + Number(lastEnd - t0) / 1e6;
      return out;
    };
    /** `stage` at its turn at `slot`, which it leaves when done. */
    const gated: GatedTimer = async (stage, slot, fn) => {
      await turn(slot);
      try {
        return await time(stage, fn);
      } finally {
        slot.release();
      }
    };
    const cameras = new Map(ctx.rig.cameras.map((c) => [c.name, c]));

    const images = await time('preprocess', () => this.#decode(set, cameras, warnings));
    const detections = this.#detector
      ? await gated('detect', slots.detect, () => this.#detect(images, plan, ctx))
      : new Map<string, Detection[]>();
    // Depth computed for this set (kept for reuse_last_depth at the fusion gate, in set order).
    let fresh = new Map<string, CameraDepth>();
    if (!plan.reuseLastDepth) {
      const matcher = plan.stereoHalfResolution ? this.#halfResolutionMatcher() : this.#stereo;
      const stereo = await gated('stereo_depth', slots.stereo, () => stereoDepth(matcher, ctx.pairs, images, set.stamp, warnings));
      const mono = plan.skipLearnedDepth ? undefined : this.#mono;
      const learned = mono
        ? await gated('learned_depth', slots.learned, () =>
            learnedDepth(this.#learnedInputs(mono, set, images, cameras, ctx, stereo), warnings),
          )
        : new Map<string, CameraDepth>();
      fresh = new Map([...stereo, ...learned]);
    }
    for (const skipped of [slots.detect, slots.stereo, slots.learned]) skipped.release();
    // Fusion, the reused depth and the messages go in set order, so results leave in that order too.
    await turn(slots.fuse);
    for (const [cam, d] of fresh) this.#lastDepth.set(cam, d);
    const depth = plan.reuseLastDepth ? this.#reusableDepth(set, images) : fresh;
    const fusion = await time('fuse', () => this.#fuse(set, images, cameras, detections, depth, ctx));
    const depthStamp = oldestStamp(depth);
    const outputs = await time('publish', () =>
      frameMessages(this.#config, { set, cameras, freshDepth: fresh, detections, fusion, depthStamp }),
    );
    const depthAgeMs = depthStamp === undefined ? Number.NaN : Number(set.stamp - depthStamp) / 1e6;
    return { outputs, timings, fusion, images, detections, warnings, depthAgeMs, waitedMs };
  }

  #learnedInputs(
    mono: MonoDepthAdapter,
    set: FrameSet,
    images: Map<string, Raster>,
    cameras: Map<string, RigCamera>,
    ctx: StageContext,
    stereo: Map<string, CameraDepth>,
  ): LearnedDepthInputs {
    return { mono, images, cameras, pairs: ctx.pairs, stereo, maxRangeM: this.#config.depth.max_range_m, stamp: set.stamp };
  }

  /** reuse_last_depth: each present camera's last depth, unless older than scheduler.max_depth_age_ms. */
  #reusableDepth(set: FrameSet, images: Map<string, Raster>): Map<string, CameraDepth> {
    const maxAgeNs = BigInt(Math.round(this.#config.scheduler.max_depth_age_ms * 1e6));
    return new Map([...this.#lastDepth].filter(([cam, d]) => images.has(cam) && set.stamp - d.stamp <= maxAgeNs));
  }

  /**
   * Takes a configuration that differs in live keys only (config_changes.ts): the stages read it
   * from the next frame set on; models, stereo workers and tracks carry over.
   */
  retune(config: PerceptionConfig): void {
    const { scoreThreshold, nmsIouThreshold, maxDetections } = detectorOptions(config);
    this.#detector?.retune({ scoreThreshold, nmsIouThreshold, maxDetections });
    this.#fusion.retune(fusionOptions(config));
    this.#config = config;
  }

  /**
   * Forgets the past: tracks (ids stay unique), the last depth for reuse. For a source whose
   * time jumped back, where tracks of the old timeline would be predicted backwards.
   */
  reset(): void {
    this.#fusion.reset();
    this.#lastDepth.clear();
  }

  #halfResolutionMatcher(): StereoMatcher {
    this.#halfStereo ??= new StereoMatcher({ ...stereoOptions(this.#config), resolution: 'half' });
    return this.#halfStereo;
  }

  /** Stops the stereo workers and the model sessions. */
  async dispose(): Promise<void> {
    await this.#stereo.dispose();
    await this.#halfStereo?.dispose();
    await this.#detector?.dispose();
    await this.#mono?.dispose();
  }

  #decode(set: FrameSet, cameras: Map<string, RigCamera>, warnings: string[]): Map<string, Raster> {
    const out = new Map<string, Raster>();
    for (const f of set.views) {
      if (!cameras.has(f.camera)) continue;
      try {
        out.set(f.camera, decodeImage(f.image));
      } catch (err) {
        warnings.push(`camera "${f.camera}" image at ${f.stamp} ns dropped: ${(err as Error).message}`);
      }
    }
    return out;
  }

  /** Right cameras of active stereo pairs are not detected on: their left partner sees the same. */
  async #detect(images: Map<string, Raster>, plan: DegradationPlan, ctx: StageContext): Promise<Map<string, Detection[]>> {
    const out = new Map<string, Detection[]>();
    if (!this.#detector) return out;
    const rights = activeRightCameras(ctx.pairs, images);
    const chosen = [...images.keys()].filter((c) => !rights.has(c) && (plan.detectCameras === 'all' || plan.detectCameras.includes(c)));
    if (chosen.length === 0) return out;
    const results = await this.#detector.detect(chosen.map((c) => images.get(c)!));
    chosen.forEach((c, i) => out.set(c, results[i]));
    return out;
  }

  #fuse(
    set: FrameSet,
    images: Map<string, Raster>,
    cameras: Map<string, RigCamera>,
    detections: Map<string, Detection[]>,
    depth: Map<string, CameraDepth>,
    ctx: StageContext,
  ): FusionOutput {
    const { views, obstacles, ground } = fusionInputs(this.#config, images, cameras, detections, depth);
    return this.#fusion.update(set.stamp, views, obstacles, ground, ctx.odomFromBase);
  }
}
