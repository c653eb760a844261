// Translates the user-facing configuration (one snake_case schema) into each stage's own options.
// This is the only place that knows both vocabularies, so a config key has exactly one meaning;
// test/config_keys.test.ts checks that every key reaches a stage and that the defaults agree.
import type { DetectorOptionsInput } from '../inference/detector_options';
import type { ObstacleOptionsInput } from '../depth/obstacles';
import type { PointsOptionsInput } from '../depth/points';
import type { StereoOptionsInput } from '../depth/stereo_options';
import type { VoxelOptionsInput } from '../depth/voxel';
import type { FusionOptionsInput } from '../fusion/options';
import type { Nanos } from '../msgs/time';
import type { SchedulerOptionsInput, StageOptionsInput } from '../scheduler/scheduler_options';
import type { FrameSynchronizerOptions } from '../sync/frame_synchronizer';
import type { PerceptionConfig } from './config_schema';

const msToNs = (ms: number): Nanos => BigInt(Math.round(ms * 1e6));

export function synchronizerOptions(c: PerceptionConfig): FrameSynchronizerOptions {
  const s = c.sync;
  return {
    cameras: c.cameras,
    policy: s.policy,
    queueSize: s.queue_size,
    maxIntervalNs: msToNs(s.max_interval_ms), // 0n: unlimited
    agePenalty: s.age_penalty,
    cameraInfo: s.camera_info,
    dropout: { mode: s.dropout_mode, timeoutNs: msToNs(s.dropout_timeout_ms), minCameras: Math.min(s.min_cameras, c.cameras.length) },
    timeJumpThresholdNs: msToNs(s.time_jump_ms),
  };
}

/**
 * The scheduler's options: `stages` are the pipeline's budgets and `resources` the units of each
 * resource they occupy (pipeline_budgets.ts costs both on the profile), `profile` its name.
 */
export function schedulerOptions(
  c: PerceptionConfig,
  profile: string,
  stages: StageOptionsInput[],
  resources?: Record<string, number>,
): SchedulerOptionsInput {
  const sc = c.scheduler;
  return {
    rateHz: sc.rate_hz,
    deadlineMs: sc.deadline_ms,
    timeMode: sc.time_mode,
    profile,
    mailboxDepth: sc.mailbox_depth,
    pipelineDepth: sc.pipeline_depth,
    ladder: sc.ladder,
    cameras: c.cameras,
    // Host time: a margin for this machine's jitter (GC, other processes) at admission.
    admissionMarginMs: sc.time_mode === 'host' ? 5 : 0,
    stages,
    resources,
  };
}

export function detectorOptions(c: PerceptionConfig): DetectorOptionsInput {
  const d = c.detection;
  return {
    modelPath: d.model_path,
    decoder: d.decoder,
    labelsPath: d.labels_path === '' ? undefined : d.labels_path,
    scoreThreshold: d.score_threshold,
    nmsIouThreshold: d.nms_iou_threshold,
    maxDetections: d.max_detections,
    intraOpThreads: d.intra_op_threads,
    executionProviders: d.execution_providers,
  };
}

export function stereoOptions(c: PerceptionConfig): StereoOptionsInput {
  const d = c.depth;
  return {
    minDisparity: d.min_disparity,
    numDisparities: d.num_disparities,
    uniquenessRatio: d.uniqueness_ratio,
    speckleWindowSize: d.speckle_window_size,
    speckleRange: d.speckle_range,
    resolution: d.stereo_resolution,
  };
}

/** Depth -> points, for the obstacle cloud. */
export function pointsOptions(c: PerceptionConfig): PointsOptionsInput {
  return { stride: c.depth.point_stride, maxDepth: c.depth.max_range_m };
}

export function voxelOptions(c: PerceptionConfig): VoxelOptionsInput {
  return { leafSize: c.depth.voxel_size_m };
}

/** The height band above the ground plane whose points are obstacles (fusion's cloud takes the same). */
export function groundObstacleOptions(c: PerceptionConfig): ObstacleOptionsInput {
  return { minHeight: c.depth.obstacle_min_height_m, maxHeight: c.depth.obstacle_max_height_m };
}

export function fusionOptions(c: PerceptionConfig): FusionOptionsInput {
  const t = c.tracking;
  const s = c.scan;
  const band = { minHeight: c.depth.obstacle_min_height_m, maxHeight: c.depth.obstacle_max_height_m };
  return {
    baseFrame: c.frames.base_frame,
    odomFrame: c.frames.odom_frame === '' ? 'odom' : c.frames.odom_frame,
    topics: {
      objects: c.topics.objects,
      tracks: c.topics.tracks,
      obstacles: c.topics.obstacles,
      scan: c.topics.scan,
      markers: c.topics.markers,
    },
    tracker: { confirmHits: t.confirm_hits, maxMisses: t.max_misses, gateChi2: t.gate_mahalanobis, accelerationStd: t.process_accel_std },
    obstacles: { enabled: t.track_obstacles, ...band, maxRange: c.depth.max_range_m },
    cloud: { ...band, maxRange: c.depth.max_range_m },
    scan: {
      angleMin: s.angle_min,
      angleMax: s.angle_max,
      angleIncrement: s.angle_increment,
      rangeMin: s.range_min,
      rangeMax: s.range_max,
      minHeight: s.min_height_m,
      maxHeight: s.max_height_m,
      scanTime: 1 / c.scheduler.rate_hz,
    },
  };
}
