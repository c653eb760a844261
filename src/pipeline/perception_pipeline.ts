// The stages of one frame set, in order: decode -> detect -> stereo depth -> learned depth ->
// fuse -> publish. Stateless about time and scheduling: the runner decides what to run (the
// degradation plan) and when; this class only runs it and measures each stage.
import { mat4 } from 'gl-matrix';
import type { Rig, RigCamera } from '../geometry/rig';
import type { Pinhole } from '../geometry/pinhole';
import { decodeImage } from '../io/image_codec';
import { toMono8 } from '../io/image_convert';
import type { Raster } from '../io/raster';
import { Detector } from '../inference/detector';
import type { Detection } from '../inference/detection';
import { depthImageMessage, disparityImageMessage, disparityToDepth, rectifiedCameraInfo } from '../depth/disparity_outputs';
import { estimateGroundPlane } from '../depth/ground_plane';
import { MonoDepthAdapter } from '../depth/mono_depth';
import { obstaclePoints } from '../depth/obstacles';
import { depthToPoints } from '../depth/points';
import { metricDepthFromMap } from '../depth/scale_recovery';
import { StereoMatcher } from '../depth/sgm_stereo';
import { voxelDownsample } from '../depth/voxel';
import { FusionStage } from '../fusion/fusion_stage';
import type { CameraView, Detection2DBox, FusionOutput } from '../fusion/types';
import { nanosToTime } from '../msgs/time';
import type { Header } from '../msgs/types';
import type { DegradationPlan } from '../scheduler/degradation';
import type { FrameSet } from '../sync/frame';
import type { PerceptionConfig } from './config_schema';
import { OUTPUT_TYPES } from './output_topics';
import type { PerceptionOutput } from './result';
import { remapUnlessIdentity } from './identity_remap';
import { rectifyPixel, type StereoPairGeometry } from './rig_state';
import { detectorOptions, fusionOptions, stereoOptions } from './stage_options';

/** Sub-pixel disparity noise of the matcher, 1 sigma (px): sets the stereo depth covariance. */
const DISPARITY_STD_PX = 0.25;

export interface StageContext {
  rig: Rig;
  pairs: readonly StereoPairGeometry[];
  /** base_link -> odom at the set's stamp, when odometry is available. */
  odomFromBase?: mat4;
  /** Measures the stage times, ns (default: process.hrtime.bigint). */
  stopwatch?: () => bigint;
}

/** One camera's depth, in the image it was computed for. */
interface CameraDepth {
  depth: Float32Array;
  intrinsics: Pinhole;
  baseFromCamera: mat4;
  /** Maps a raw pixel of the camera into the depth image. */
  toDepthPixel: (u: number, v: number) => [number, number];
  noise: CameraView['depthNoise'];
  /** Stamp of the frame set it was computed for (older than the current set when reused). */
  stamp: bigint;
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
}

export class PerceptionPipeline {
  readonly #config: PerceptionConfig;
  readonly #detector: Detector | undefined;
  readonly #mono: MonoDepthAdapter | undefined;
  readonly #stereo: StereoMatcher;
  /** The stereo_half_resolution rung's matcher, started the first time a plan asks for it. */
  #halfStereo: StereoMatcher | undefined;
  readonly #fusion: FusionStage;
  /** Last depth per camera, for the reuse_last_depth rung. */
  readonly #lastDepth = new Map<string, CameraDepth>();

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

  /** Runs the stages of `plan` on `set`. Cameras whose image cannot be decoded are left out, with a warning. */
  async process(set: FrameSet, plan: DegradationPlan, ctx: StageContext): Promise<ProcessedFrame> {
    const timings: Record<string, number> = {};
    const warnings: string[] = [];
    const now = ctx.stopwatch ?? (() => process.hrtime.bigint());
    const time = async <T>(stage: string, fn: () => T | Promise<T>): Promise<T> => {
      const t0 = now();
      const out = await fn();
      timings[stage] = (timings[stage] ?? 0) + Number(now() - t0) / 1e6;
      return out;
    };
    const cameras = new Map(ctx.rig.cameras.map((c) => [c.name, c]));

    const images = await time('preprocess', () => this.#decode(set, cameras, warnings));
    const detections = this.#detector ? await time('detect', () => this.#detect(images, plan, ctx)) : new Map<string, Detection[]>();
    const depth = new Map<string, CameraDepth>();
    const outputs: PerceptionOutput[] = [];
    if (plan.reuseLastDepth) {
      const maxAgeNs = BigInt(Math.round(this.#config.scheduler.max_depth_age_ms * 1e6));
      for (const [cam, d] of this.#lastDepth) if (images.has(cam) && set.stamp - d.stamp <= maxAgeNs) depth.set(cam, d);
    } else {
      const matcher = plan.stereoHalfResolution ? this.#halfResolutionMatcher() : this.#stereo;
      await time('stereo_depth', () => this.#stereoDepth(matcher, images, ctx, set, depth, outputs, warnings));
      if (this.#mono && !plan.skipLearnedDepth)
        await time('learned_depth', () => this.#learnedDepth(images, cameras, ctx, set, depth, outputs, warnings));
      for (const [cam, d] of depth) this.#lastDepth.set(cam, d);
    }
    const fusion = await time('fuse', () => this.#fuse(set, images, cameras, detections, depth, ctx));
    const depthStamp = oldestStamp(depth);
    await time('publish', () => outputs.push(...this.#messages(set, cameras, detections, fusion, depthStamp)));
    const depthAgeMs = depthStamp === undefined ? Number.NaN : Number(set.stamp - depthStamp) / 1e6;
    return { outputs, timings, fusion, images, detections, warnings, depthAgeMs };
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
    this.#halfStereo ??= new StereoMatcher({ ...stereoOptions(this.#config), halfResolution: true });
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
    const rights = activeRightCameras(ctx, images);
    const chosen = [...images.keys()].filter((c) => !rights.has(c) && (plan.detectCameras === 'all' || plan.detectCameras.includes(c)));
    if (chosen.length === 0) return out;
    const results = await this.#detector.detect(chosen.map((c) => images.get(c)!));
    chosen.forEach((c, i) => out.set(c, results[i]));
    return out;
  }

  async #stereoDepth(
    matcher: StereoMatcher,
    images: Map<string, Raster>,
    ctx: StageContext,
    set: FrameSet,
    depth: Map<string, CameraDepth>,
    outputs: PerceptionOutput[],
    warnings: string[],
  ): Promise<void> {
    for (const pair of ctx.pairs) {
      const l = images.get(pair.left.name);
      const r = images.get(pair.right.name);
      if (!l || !r) continue;
      const { rect } = pair;
      let disparity;
      try {
        disparity = await matcher.compute(remapUnlessIdentity(toMono8(l), rect.leftMaps), remapUnlessIdentity(toMono8(r), rect.rightMaps));
      } catch (err) {
        warnings.push(`stereo pair ${pair.name}: ${(err as Error).message}`);
        continue;
      }
      const geometry = { fx: rect.pinhole.fx, baseline: rect.baseline };
      const d = disparityToDepth(disparity, geometry);
      const leftModel = pair.left.model;
      depth.set(pair.left.name, {
        depth: d,
        intrinsics: rect.pinhole,
        baseFromCamera: pair.baseFromRectified,
        toDepthPixel: (u, v) => rectifyPixel(leftModel, rect.R1, rect.P1, u, v),
        noise: { kind: 'stereo', focalBaseline: geometry.fx * geometry.baseline, disparityStd: DISPARITY_STD_PX },
        stamp: set.stamp,
      });
      const header = this.#header(set, pair.left.frameId);
      const o = this.#config.outputs;
      if (o.disparity)
        outputs.push({
          topic: `${pair.name}/disparity`,
          type: 'stereo_msgs/msg/DisparityImage',
          msg: disparityImageMessage(header, disparity, geometry),
        });
      if (o.depth_images) this.#pushDepth(outputs, set, pair.left.frameId, pair.left.name, d, rect.pinhole);
    }
  }

  /**
   * Learned depth for cameras without stereo (right cameras of active pairs excepted: their left
   * partner has the view's depth), scaled so the ground lies at the camera's height from TF and
   * the stereo depth agrees where the views overlap.
   */
  async #learnedDepth(
    images: Map<string, Raster>,
    cameras: Map<string, RigCamera>,
    ctx: StageContext,
    set: FrameSet,
    depth: Map<string, CameraDepth>,
    outputs: PerceptionOutput[],
    warnings: string[],
  ): Promise<void> {
    const rights = activeRightCameras(ctx, images);
    const stereoViews = [...depth.values()].filter((d) => d.noise?.kind === 'stereo');
    for (const [name, image] of images) {
      if (depth.has(name) || rights.has(name)) continue;
      const cam = cameras.get(name)!;
      const k = rawPinhole(cam);
      try {
        const map = await this.#mono!.predict(image);
        const values = metricDepthFromMap(map, k, cam.baseFromCamera, this.#config.depth.max_range_m, stereoViews);
        depth.set(name, {
          depth: values,
          intrinsics: k,
          baseFromCamera: cam.baseFromCamera,
          toDepthPixel: undistorter(cam),
          noise: { kind: 'relative', fraction: 0.1 },
          stamp: set.stamp,
        });
        if (this.#config.outputs.depth_images) this.#pushDepth(outputs, set, cam.frameId, name, values, k);
      } catch (err) {
        warnings.push(`learned depth for camera "${name}": ${(err as Error).message}`);
      }
    }
  }

  #fuse(
    set: FrameSet,
    images: Map<string, Raster>,
    cameras: Map<string, RigCamera>,
    detections: Map<string, Detection[]>,
    depth: Map<string, CameraDepth>,
    ctx: StageContext,
  ): FusionOutput {
    const c = this.#config.depth;
    const views: CameraView[] = [];
    const clouds: Float32Array[] = [];
    for (const name of images.keys()) {
      const cam = cameras.get(name)!;
      const d = depth.get(name);
      const toPixel = d?.toDepthPixel ?? undistorter(cam);
      const boxes = (detections.get(name) ?? []).map((det) => mapBox(det, toPixel));
      if (d) {
        views.push({
          camera: name,
          intrinsics: d.intrinsics,
          baseFromCamera: d.baseFromCamera,
          depth: d.depth,
          depthNoise: d.noise,
          detections: boxes,
        });
        clouds.push(depthToPoints(d.depth, d.intrinsics, d.baseFromCamera, { stride: c.point_stride, maxDepth: c.max_range_m }).points);
      } else if (boxes.length > 0) {
        views.push({ camera: name, intrinsics: rawPinhole(cam), baseFromCamera: cam.baseFromCamera, detections: boxes });
      }
    }
    const all = voxelDownsample(concat(clouds), { leafSize: c.voxel_size_m });
    const ground = estimateGroundPlane(all);
    const obstacles = obstaclePoints(all, ground, { minHeight: c.obstacle_min_height_m, maxHeight: c.obstacle_max_height_m });
    return this.#fusion.update(set.stamp, views, obstacles, ground ? { normal: ground.normal, d: ground.d } : undefined, ctx.odomFromBase);
  }

  /**
   * The set's messages. Obstacles and scan come from depth alone, so they carry the stamp of the
   * depth they came from (older than the set's when reused: a consumer must not take seconds-old
   * obstacles as current), and are left out when there is no depth young enough.
   */
  #messages(
    set: FrameSet,
    cameras: Map<string, RigCamera>,
    detections: Map<string, Detection[]>,
    f: FusionOutput,
    depthStamp: bigint | undefined,
  ): PerceptionOutput[] {
    const t = this.#config.topics;
    const out: PerceptionOutput[] = [];
    if (this.#config.outputs.detections_2d && this.#detector) {
      for (const [cam, dets] of detections) {
        out.push({
          topic: `${cam}/detections`,
          type: 'vision_msgs/msg/Detection2DArray',
          msg: this.#detector.toDetection2DArray(dets, this.#header(set, cameras.get(cam)!.frameId)),
        });
      }
    }
    out.push(
      { topic: t.objects, type: OUTPUT_TYPES.objects, msg: f.detections3d },
      { topic: t.tracks, type: OUTPUT_TYPES.tracks, msg: f.trackedObjects },
    );
    if (depthStamp !== undefined) {
      const stamp = nanosToTime(depthStamp);
      out.push(
        { topic: t.obstacles, type: OUTPUT_TYPES.obstacles, msg: { ...f.cloud, header: { ...f.cloud.header, stamp } } },
        { topic: t.scan, type: OUTPUT_TYPES.scan, msg: { ...f.scan, header: { ...f.scan.header, stamp } } },
      );
    }
    if (this.#config.outputs.markers) out.push({ topic: t.markers, type: OUTPUT_TYPES.markers, msg: f.markers });
    return out;
  }

  /** A camera's 32FC1 depth image and the CameraInfo of its (distortion-free) pixel grid. */
  #pushDepth(outputs: PerceptionOutput[], set: FrameSet, frameId: string, camera: string, depth: Float32Array, k: Pinhole): void {
    const header = this.#header(set, frameId);
    outputs.push({ topic: `${camera}/depth`, type: 'sensor_msgs/msg/Image', msg: depthImageMessage(header, k.width, k.height, depth) });
    outputs.push({ topic: `${camera}/depth/camera_info`, type: 'sensor_msgs/msg/CameraInfo', msg: rectifiedCameraInfo(header, k) });
  }

  #header(set: FrameSet, frameId: string): Header {
    return { stamp: nanosToTime(set.stamp), frame_id: frameId };
  }
}

/** The oldest stamp among the depths used (the set's own when all were computed for it). */
function oldestStamp(depth: Map<string, CameraDepth>): bigint | undefined {
  let oldest: bigint | undefined;
  for (const d of depth.values()) if (oldest === undefined || d.stamp < oldest) oldest = d.stamp;
  return oldest;
}

/** Right cameras of the stereo pairs whose left image is present: they share their partner's view. */
function activeRightCameras(ctx: StageContext, images: Map<string, Raster>): Set<string> {
  return new Set(ctx.pairs.filter((p) => images.has(p.left.name)).map((p) => p.right.name));
}

/** The camera's own intrinsics K as a distortion-free pinhole (for undistorted pixel coordinates). */
function rawPinhole(cam: RigCamera): Pinhole {
  const K = cam.model.K;
  return { fx: K[0], fy: K[4], cx: K[2], cy: K[5], width: cam.model.width, height: cam.model.height };
}

const IDENTITY3 = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);

/** Raw pixel -> undistorted pixel of the same camera (K, no rotation). */
function undistorter(cam: RigCamera): (u: number, v: number) => [number, number] {
  const K = cam.model.K;
  const P = Float64Array.from([K[0], K[1], K[2], 0, K[3], K[4], K[5], 0, K[6], K[7], K[8], 0]);
  return (u, v) => rectifyPixel(cam.model, IDENTITY3, P, u, v);
}

/** A raw-pixel box mapped through `toPixel`: the bounding box of its corners and edge midpoints. */
function mapBox(d: Detection, toPixel: (u: number, v: number) => [number, number]): Detection2DBox {
  const xs: number[] = [];
  const ys: number[] = [];
  const mx = (d.x1 + d.x2) / 2;
  const my = (d.y1 + d.y2) / 2;
  for (const [u, v] of [
    [d.x1, d.y1],
    [d.x2, d.y1],
    [d.x1, d.y2],
    [d.x2, d.y2],
    [mx, d.y1],
    [mx, d.y2],
    [d.x1, my],
    [d.x2, my],
  ]) {
    const [x, y] = toPixel(u, v);
    xs.push(x);
    ys.push(y);
  }
  return {
    x1: Math.min(...xs),
    y1: Math.min(...ys),
    x2: Math.max(...xs),
    y2: Math.max(...ys),
    score: d.score,
    classId: d.classId,
    className: d.className,
  };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
