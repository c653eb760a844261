// Translates the user-facing configuration (one snake_case schema) into each stage's own options.
// This is the only place that knows both vocabularies, so a config key has exactly one meaning.
import type { DetectorOptionsInput } from '../inference/detector_options';
import type { StereoOptionsInput } from '../depth/stereo_options';
import type { FusionOptionsInput } from '../fusion/options';
import type { PerceptionConfig } from './config_schema';

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
  };
}

export function fusionOptions(c: PerceptionConfig): FusionOptionsInput {
  const t = c.tracking;
  const s = c.scan;
  const band = { minHeight: c.depth.obstacle_min_height_m, maxHeight: c.depth.obstacle_max_height_m };
  return {
    baseFrame: c.frames.base_frame,
    odomFrame: c.frames.odom_frame === '' ? 'odom' : c.frames.odom_frame,
    topics: { objects: c.topics.objects, tracks: c.topics.tracks, obstacles: c.topics.obstacles, scan: c.topics.scan, markers: c.topics.markers },
    tracker: { confirmHits: t.confirm_hits, maxMisses: t.max_misses, gateChi2: t.gate_mahalanobis, accelerationStd: t.process_accel_std },
    obstacles: { enabled: t.track_obstacles, ...band, maxRange: c.depth.max_range_m },
    cloud: { ...band, maxRange: c.depth.max_range_m },
    scan: {
      angleMin: s.angle_min, angleMax: s.angle_max, angleIncrement: s.angle_increment,
      rangeMin: s.range_min, rangeMax: s.range_max, minHeight: s.min_height_m, maxHeight: s.max_height_m,
      scanTime: 1 / c.scheduler.rate_hz,
    },
  };
}
