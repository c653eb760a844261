// The one configuration schema of dx_perception. ROS parameters (src/ros), YAML files and CLI
// flags (src/cli) are all validated by it, so a key means the same thing everywhere.
//
// Keys are snake_case, as ROS parameters are. Every leaf has a default, a range where one
// applies, and a description (the ROS parameter descriptor and the README table come from it).
import { z } from 'zod';
import { BUNDLED_MONO_DEPTH_MODEL, MONO_DEPTH_OUTPUTS } from '../depth/mono_depth';

const cameraName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected a ROS name segment: a letter, then letters, digits or _');

const extrinsic = z.object({
  frame_id: z.string().min(1).describe('optical frame id of this camera'),
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
      image: z
        .enum(['image_raw', 'image_rect', 'image_raw/compressed', 'image_rect/compressed'])
        .default('image_raw')
        .describe('image topic under each camera namespace'),
      camera_info: z.string().default('camera_info').describe('CameraInfo topic under each camera namespace'),
      output_namespace: z.string().default('/perception').describe('namespace of every output topic'),
      objects: z.string().default('objects').describe('vision_msgs/Detection3DArray output'),
      tracks: z.string().default('tracks').describe('dx_perception/TrackedObjectArray output'),
      obstacles: z.string().default('obstacles').describe('sensor_msgs/PointCloud2 obstacle cloud output'),
      scan: z.string().default('scan').describe('sensor_msgs/LaserScan virtual scan output'),
      markers: z.string().default('markers').describe('visualization_msgs/MarkerArray output'),
      status: z.string().default('status').describe('dx_perception/PipelineStatus output'),
    })
    .prefault({}),
  frames: z
    .object({
      base_frame: z.string().min(1).default('base_link').describe('robot frame every 3D output is in (REP-105)'),
      odom_frame: z.string().default('odom').describe('odometry frame for tracking; "" tracks in base_frame'),
    })
    .prefault({}),
  rig: z
    .record(cameraName, extrinsic)
    .default({})
    .describe('camera extrinsics used only when /tf_static does not publish them'),
  qos: z
    .object({
      reliability: z.enum(['best_effort', 'reliable']).default('best_effort').describe('subscription reliability'),
      depth: z.number().int().min(1).max(100).default(5).describe('subscription history depth'),
    })
    .prefault({}),
  sync: z
    .object({
      policy: z.enum(['approximate', 'exact']).default('approximate').describe('message_filters policy'),
      queue_size: z.number().int().min(1).max(100).default(10).describe('per-camera queue of the policy'),
      max_interval_ms: z.number().min(0).max(1000).default(25).describe('largest stamp spread inside one set; 0 = unlimited'),
      age_penalty: z.number().min(0).max(100).default(1).describe('ApproximateTime age penalty'),
      camera_info: z.enum(['latched', 'per_frame']).default('latched').describe('how CameraInfo pairs with images'),
      dropout_mode: z.enum(['wait', 'degrade']).default('degrade').describe('when a camera stops: wait, or continue without it'),
      dropout_timeout_ms: z.number().min(1).max(60000).default(250).describe('silence after which a camera counts as stopped'),
      min_cameras: z.number().int().min(1).max(8).default(2).describe('fewest cameras a degraded set may have'),
      time_jump_ms: z
        .number()
        .min(10)
        .max(60000)
        .default(1000)
        .describe('a stamp this far behind the newest one is a time jump (bag loop, sim reset): sync restarts'),
    })
    .prefault({}),
  detection: z
    .object({
      model_path: z.string().default('').describe('ONNX detector; "" runs without detection (depth obstacles only)'),
      decoder: z
        .enum(['auto', 'yolox', 'nanodet', 'fastestdet', 'yolov5', 'yolov8', 'end2end'])
        .default('auto')
        .describe('output layout of the detector'),
      labels_path: z.string().default('').describe('class names, one per line; "" uses the 80 COCO names'),
      score_threshold: z.number().min(0).max(1).default(0.35).describe('minimum detection score'),
      nms_iou_threshold: z.number().min(0).max(1).default(0.45).describe('class-aware NMS IoU threshold'),
      max_detections: z.number().int().min(1).max(1000).default(100).describe('per image, after NMS'),
      intra_op_threads: z.number().int().min(1).max(64).default(2).describe('onnxruntime intra-op threads'),
      execution_providers: z.array(z.enum(['cpu', 'cuda'])).default(['cpu']).describe('onnxruntime providers, in order'),
    })
    .prefault({}),
  depth: z
    .object({
      stereo_pairs: z
        .array(z.array(cameraName).length(2))
        .default([['front_left', 'front_right']])
        .describe('[left, right] camera pairs matched by stereo'),
      min_disparity: z.number().int().min(0).max(256).default(0).describe('smallest disparity searched, px'),
      // A multiple of 16, as the matcher's SIMD lanes (and OpenCV's StereoSGBM) need.
      num_disparities: z.number().int().min(16).max(512).multipleOf(16).default(64).describe('disparity range searched, px, multiple of 16'),
      uniqueness_ratio: z.number().min(0).max(100).default(10).describe('percent margin of the best cost over the second'),
      speckle_window_size: z.number().int().min(0).max(1000).default(100).describe('largest speckle removed, px; 0 = off'),
      speckle_range: z.number().min(0).max(64).default(2).describe('disparity step inside one speckle region, px'),
      learned_model_path: z
        .string()
        .default(BUNDLED_MONO_DEPTH_MODEL)
        .describe('ONNX monocular depth model for cameras without a stereo partner (default: the bundled model, training/README.md); "" = stereo only'),
      learned_output: z
        .enum(MONO_DEPTH_OUTPUTS)
        .default('metric_inverse')
        .describe('learned model output: relative_inverse (MiDaS, Depth-Anything), metric_inverse (1/m up to a scale: the bundled model) or metric (m)'),
      max_range_m: z.number().min(0.5).max(100).default(12).describe('depth beyond this is ignored'),
      point_stride: z.number().int().min(1).max(16).default(2).describe('pixel stride when turning depth into points'),
      voxel_size_m: z.number().min(0.01).max(1).default(0.08).describe('obstacle cloud voxel size'),
      obstacle_min_height_m: z.number().min(0).max(2).default(0.12).describe('points lower than this above ground are ground'),
      obstacle_max_height_m: z.number().min(0.1).max(5).default(1.8).describe('points higher than this are ignored (overhangs)'),
    })
    .prefault({}),
  tracking: z
    .object({
      confirm_hits: z.number().int().min(1).max(20).default(3).describe('hits before a track is confirmed'),
      max_misses: z.number().int().min(1).max(100).default(10).describe('frame sets without a hit before deletion'),
      gate_mahalanobis: z.number().min(1).max(100).default(11.34).describe('association gate (chi-square, 3 dof)'),
      process_accel_std: z.number().min(0).max(50).default(2).describe('constant-velocity model acceleration noise, m/s^2'),
      track_obstacles: z.boolean().default(true).describe('cluster and track class-agnostic obstacles'),
    })
    .prefault({}),
  scan: z
    .object({
      angle_min: z.number().min(-Math.PI).max(Math.PI).default(-Math.PI).describe('radians'),
      angle_max: z.number().min(-Math.PI).max(Math.PI).default(Math.PI).describe('radians'),
      angle_increment: z.number().min(0.0001).max(0.5).default(Math.PI / 360).describe('radians'),
      range_min: z.number().min(0).max(10).default(0.2).describe('metres'),
      range_max: z.number().min(0.5).max(100).default(12).describe('metres'),
      min_height_m: z.number().min(-1).max(5).default(0.1).describe('lowest point counted, above base_link'),
      max_height_m: z.number().min(0).max(5).default(1.8).describe('highest point counted, above base_link'),
    })
    .prefault({}),
  scheduler: z
    .object({
      rate_hz: z.number().min(0.1).max(240).default(30).describe('fixed frame-set rate; the period is 1/rate'),
      deadline_ms: z.number().min(1).max(10000).default(100).describe('deadline measured from the sensor stamp'),
      time_mode: z
        .enum(['target', 'host'])
        .default('host')
        .describe('host: wall clock, budgets measured on this machine (live node); target: virtual clock advanced by the profile\'s budgets (deterministic replays; replay, regress and demo default to it)'),
      profile: z.string().default('dx-v3').describe('hardware profile name or YAML path'),
      ladder: z
        .array(z.enum(['skip_learned_depth', 'detect_subset_round_robin', 'reuse_last_depth']))
        .default(['skip_learned_depth', 'detect_subset_round_robin', 'reuse_last_depth'])
        .describe('degradation rungs tried, in order, before a set is shed'),
      mailbox_depth: z.number().int().min(1).max(8).default(1).describe('latest-only mailbox size between stages'),
      max_depth_age_ms: z
        .number()
        .min(0)
        .max(10000)
        .default(250)
        .describe('reuse_last_depth reuses depth at most this old; obstacles and scan carry the depth\'s stamp, and are not published when it is older'),
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
