// The one configuration schema of dx_perception. ROS parameters (src/ros), YAML files and CLI
// flags (src/cli) are all validated by it, so a key means the same thing everywhere.
//
// Keys are snake_case, as ROS parameters are. A key that configures a stage is that stage's own
// option schema field (stage(...) below): its type, range and default are written once, in the
// stage's *options.ts, and only the description (the ROS parameter descriptor and the README
// table come from it) is added here. Keys that belong to no stage (topics, QoS, the rig, which
// outputs to publish) are defined here. Where a stage has no fixed default (the detector's score
// threshold comes from the model's preset, the scheduler's deadline is one period), a ROS
// parameter still needs a value, so the configuration picks one: those are the pick(...) keys.
// stage_options.ts maps the keys back onto each stage's options.
//
// A running node takes some keys without a restart: those read afresh for every frame set
// (thresholds of the detector, the tracker, the obstacle cloud, the scan, the sync policy's
// slop, the deadline). They are marked live(...) here, the one place that decides; config_changes.ts
// reads the marks. Every other key (models, cameras, the matcher's size) restarts the pipeline.
import { IMAGE_TOPIC_NAMES } from './image_topics';
import { z } from 'zod';
import { stereoOptionsSchema } from '../depth/stereo_options';
import { BUNDLED_MONO_DEPTH_MODEL, monoDepthOptionsSchema } from '../depth/mono_depth';
import { pointsOptionsSchema } from '../depth/points';
import { voxelOptionsSchema } from '../depth/voxel';
import {
  cloudOptionsSchema,
  fusionOptionsSchema,
  fusionTopicsSchema,
  obstacleOptionsSchema,
  scanOptionsSchema,
  trackerOptionsSchema,
} from '../fusion/options';
import { detectorOptionsSchema } from '../inference/detector_options';
import { schedulerOptionsSchema } from '../scheduler/scheduler_options';
import { syncSettingsSchema } from '../sync/sync_options';

/** A stage's own option field, with the description users see. */
const stage = <T extends z.ZodType>(field: T, description: string): T => field.describe(description);
/** A stage field that has no fixed default in the stage, with the value the configuration ships. */
const pick = <T extends z.ZodType>(field: T, value: z.output<T>, description: string) =>
  field.default(value as never).describe(description);
/** The JSON-schema mark of a key the running pipeline takes without a restart. */
export const LIVE_MARK = 'x-live';
/** A key the running stages read afresh for every frame set: a change needs no restart. */
const live = <T extends z.ZodType>(field: T): T => field.meta({ [LIVE_MARK]: true });

const stereo = stereoOptionsSchema.shape;
const detector = detectorOptionsSchema.shape;
const tracker = trackerOptionsSchema.shape;
const scan = scanOptionsSchema.shape;
const cloud = cloudOptionsSchema.shape;
const topics = fusionTopicsSchema.shape;
const scheduler = schedulerOptionsSchema.shape;
const sync = syncSettingsSchema.shape;

const cameraName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a ROS name segment: a letter, then letters, digits or _');

// The optical frame id comes from each camera's CameraInfo header, so a mount is only its pose.
const extrinsic = z.object({
  xyz: z.array(z.number()).length(3).describe('position of the optical frame in base_link, metres'),
  rpy: z.array(z.number()).length(3).describe('roll, pitch, yaw of base_link -> camera body (x forward), radians'),
});

export const configSchema = z.object({
  cameras: z
    .array(cameraName)
    .min(1)
    .max(8)
    .default(['front_left', 'front_right', 'left', 'right'])
    .describe('camera namespaces of the rig, 1-8 (3-4 typical)'),
  topics: z
    .object({
      input_prefix: z.string().default('').describe('prefix before each camera namespace, e.g. "/robot"'),
      image: z.enum(IMAGE_TOPIC_NAMES).default('image_raw').describe('image topic under each camera namespace'),
      camera_info: z.string().default('camera_info').describe('CameraInfo topic under each camera namespace'),
      output_namespace: z.string().default('/perception').describe('namespace of every output topic'),
      objects: stage(topics.objects, 'vision_msgs/Detection3DArray output'),
      tracks: stage(topics.tracks, 'dx_perception/TrackedObjectArray output'),
      obstacles: stage(topics.obstacles, 'sensor_msgs/PointCloud2 obstacle cloud output'),
      scan: stage(topics.scan, 'sensor_msgs/LaserScan virtual scan output'),
      markers: stage(topics.markers, 'visualization_msgs/MarkerArray output'),
      status: z.string().default('status').describe('dx_perception/PipelineStatus output'),
    })
    .prefault({}),
  frames: z
    .object({
      base_frame: stage(fusionOptionsSchema.shape.baseFrame, 'robot frame every 3D output is in (REP-105)'),
      odom_frame: z.string().default('odom').describe('odometry frame for tracking; "" tracks in base_frame'),
    })
    .prefault({}),
  rig: z.record(cameraName, extrinsic).default({}).describe('camera extrinsics used only when /tf_static does not publish them'),
  qos: z
    .object({
      reliability: z.enum(['best_effort', 'reliable']).default('best_effort').describe('subscription reliability'),
      depth: z.number().int().min(1).max(100).default(5).describe('subscription history depth'),
    })
    .prefault({}),
  sync: z
    .object({
      policy: stage(sync.policy, 'message_filters policy'),
      queue_size: stage(sync.queueSize, 'per-camera queue of the policy'),
      max_interval_ms: live(stage(sync.maxIntervalMs, 'largest stamp spread inside one set; 0 = unlimited')),
      age_penalty: live(stage(sync.agePenalty, 'ApproximateTime age penalty')),
      camera_info: stage(sync.cameraInfo, 'how CameraInfo pairs with images'),
      dropout_mode: stage(sync.dropoutMode, 'when a camera stops: wait, or continue without it'),
      dropout_timeout_ms: stage(sync.dropoutTimeoutMs, 'silence after which a camera counts as stopped'),
      min_cameras: stage(sync.minCameras, 'fewest cameras a degraded set may have'),
      time_jump_ms: stage(sync.timeJumpMs, 'a stamp this far behind the newest one is a time jump (bag loop, sim reset): sync restarts'),
    })
    .prefault({}),
  detection: z
    .object({
      model_path: z.string().default('').describe('ONNX detector; "" runs without detection (depth obstacles only)'),
      decoder: stage(detector.decoder, 'output layout of the detector'),
      labels_path: z.string().default('').describe('class names, one per line; "" uses the 80 COCO names'),
      score_threshold: live(pick(detector.scoreThreshold.unwrap(), 0.35, 'minimum detection score')),
      nms_iou_threshold: live(stage(detector.nmsIouThreshold, 'class-aware NMS IoU threshold')),
      max_detections: live(stage(detector.maxDetections, 'per image, after NMS')),
      intra_op_threads: stage(detector.intraOpThreads, 'onnxruntime intra-op threads (detector and learned depth); 0 = every core'),
      execution_providers: stage(
        detector.executionProviders,
        'onnxruntime providers, in order (cpu, cuda); unavailable ones are skipped with a warning',
      ),
    })
    .prefault({}),
  depth: z
    .object({
      stereo_pairs: z
        .array(z.array(cameraName).length(2))
        .default([['front_left', 'front_right']])
        .describe('[left, right] camera pairs matched by stereo'),
      min_disparity: stage(stereo.minDisparity, 'smallest disparity searched, px'),
      num_disparities: stage(stereo.numDisparities, 'disparity range searched, px, multiple of 16'),
      uniqueness_ratio: stage(stereo.uniquenessRatio, 'percent margin of the best cost over the second'),
      speckle_window_size: stage(stereo.speckleWindowSize, 'largest speckle removed, px; 0 = off'),
      speckle_range: stage(stereo.speckleRange, 'disparity step inside one speckle region, px'),
      stereo_resolution: stage(
        stereo.resolution,
        'coarse_to_fine (half-resolution SGM refined at full resolution), full (SGM at full resolution, about 1.5x the CPU) or half',
      ),
      learned_model_path: z
        .string()
        .default(BUNDLED_MONO_DEPTH_MODEL)
        .describe(
          'ONNX monocular depth model for cameras without a stereo partner (default: the bundled model, training/README.md); "" = stereo only',
        ),
      learned_output: pick(
        monoDepthOptionsSchema.shape.output,
        'metric_inverse',
        'learned model output: relative_inverse (MiDaS, Depth-Anything), metric_inverse (1/m up to a scale: the bundled model) or metric (m)',
      ),
      max_range_m: live(stage(cloud.maxRange, 'depth beyond this is ignored')),
      point_stride: live(stage(pointsOptionsSchema.shape.stride, 'pixel stride when turning depth into points')),
      voxel_size_m: live(stage(voxelOptionsSchema.shape.leafSize, 'obstacle cloud voxel size')),
      obstacle_min_height_m: live(stage(cloud.minHeight, 'points lower than this above ground are ground')),
      obstacle_max_height_m: live(stage(cloud.maxHeight, 'points higher than this are ignored (overhangs)')),
    })
    .prefault({}),
  tracking: z
    .object({
      confirm_hits: live(stage(tracker.confirmHits, 'hits before a track is confirmed')),
      max_misses: live(stage(tracker.maxMisses, 'frame sets without a hit before a confirmed track is deleted')),
      gate_mahalanobis: live(stage(tracker.gateChi2, 'association gate (chi-square, 3 dof)')),
      process_accel_std: live(stage(tracker.accelerationStd, 'constant-velocity model acceleration noise, m/s^2')),
      track_obstacles: live(stage(obstacleOptionsSchema.shape.enabled, 'cluster and track class-agnostic obstacles')),
    })
    .prefault({}),
  scan: z
    .object({
      angle_min: live(stage(scan.angleMin, 'radians')),
      angle_max: live(stage(scan.angleMax, 'radians')),
      angle_increment: live(stage(scan.angleIncrement, 'radians')),
      range_min: live(stage(scan.rangeMin, 'metres')),
      range_max: live(stage(scan.rangeMax, 'metres')),
      min_height_m: live(stage(scan.minHeight, 'lowest point counted, above base_link')),
      max_height_m: live(stage(scan.maxHeight, 'highest point counted, above base_link')),
    })
    .prefault({}),
  scheduler: z
    .object({
      rate_hz: stage(scheduler.rateHz, 'fixed frame-set rate; the period is 1/rate'),
      deadline_ms: live(pick(scheduler.deadlineMs.unwrap(), 100, 'deadline measured from the sensor stamp')),
      time_mode: stage(
        scheduler.timeMode,
        "host: wall clock, budgets measured on this machine (live node); target: virtual clock advanced by the profile's budgets (deterministic replays; replay, regress and demo default to it)",
      ),
      profile: stage(scheduler.profile, 'hardware profile name or YAML path'),
      ladder: stage(scheduler.ladder, 'degradation rungs tried, in order, before a set is shed'),
      mailbox_depth: stage(scheduler.mailboxDepth, 'frame sets waiting to start, at most; a newer one supersedes the oldest'),
      pipeline_depth: stage(
        scheduler.pipelineDepth,
        'host time: frame sets in flight at once, overlapping across the main thread and the worker pools (1: one at a time)',
      ),
      max_depth_age_ms: live(
        z
          .number()
          .min(0)
          .max(10000)
          .default(250)
          .describe(
            "reuse_last_depth reuses depth at most this old; obstacles and scan carry the depth's stamp, and are not published when it is older",
          ),
      ),
    })
    .prefault({}),
  outputs: z
    .object({
      detections_2d: z.boolean().default(true).describe('publish <cam>/detections'),
      depth_images: z.boolean().default(true).describe('publish <cam>/depth and its camera_info'),
      disparity: z.boolean().default(true).describe('publish <pair>/disparity'),
      markers: z.boolean().default(true).describe('publish RViz markers'),
      diagnostics: z.boolean().default(true).describe('publish /diagnostics'),
    })
    .prefault({}),
});

export type PerceptionConfig = z.infer<typeof configSchema>;
