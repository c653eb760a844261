// The one place where fusion's options and their defaults live. The pipeline composes
// `fusionOptionsSchema` into the global configuration schema; every fusion module takes the
// resolved (parsed) slice it needs, never a partial with its own defaults.
import { z } from 'zod';
import { describeIssues } from '../inference/validation_errors';

const positive = () => z.number().positive();
const nonNegative = () => z.number().nonnegative();
const fraction = () => z.number().gt(0).lte(1);

export const liftingOptionsSchema = z.object({
  /** Central share of the 2D box (per axis) whose depth is used; the rim holds background. */
  innerFraction: fraction().default(0.6),
  /** Depth samples per detection at most; larger boxes are strided. */
  maxSamples: z.number().int().min(16).default(900),
  /** Samples lower than this above ground are ground, not object (m). */
  groundClearance: nonNegative().default(0.12),
  /** Height of the ground in base_link when no ground plane is given (m). */
  groundZ: z.number().default(0),
  /** Width of the range window that finds the nearest dense mode: max(min, relative * range). */
  modeWindowMin: positive().default(0.3),
  modeWindowRelative: positive().default(0.04),
  /** The nearest window holding at least this share of the densest window's samples is the object. */
  modeMinShare: fraction().default(0.5),
  /** Fewer depth samples than this on the object: fall back to size-prior ranging. */
  minPoints: z.number().int().min(3).default(12),
  /** Depth noise assumed for views without a noise model: sigma_z = fraction * z. */
  defaultRelativeDepthStd: positive().default(0.02),
  /** Share of stereo variance that does not average out over a box (errors are correlated). */
  correlatedDepthShare: fraction().default(0.1),
  /** 2D box edge noise, pixels (1 sigma); sets lateral and vertical uncertainty. */
  boxPixelStd: nonNegative().default(3),
  /** Relative uncertainty of a class size prior (1 sigma), used for the centre offset and size ranging. */
  sizePriorStd: nonNegative().default(0.2),
});

export const mergeOptionsSchema = z.object({
  /** Objects farther apart than this are never the same object (m). */
  maxDistance: positive().default(2.0),
  /** Chi-square gate on the Mahalanobis distance of two positions (3 dof; 11.34 = 99%). */
  gateChi2: positive().default(11.34),
});

export const trackerOptionsSchema = z.object({
  /** Process noise: white acceleration, horizontal and vertical (m/s^2, 1 sigma). */
  accelerationStd: positive().max(50).default(2),
  verticalAccelerationStd: positive().default(0.3),
  /** Initial velocity uncertainty of a new track (m/s, 1 sigma). */
  initialVelocityStd: positive().default(1.5),
  /** Chi-square gate on the innovation's Mahalanobis distance (3 dof; 11.34 = 99%, 16.27 = 99.9%). */
  gateChi2: z.number().min(1).max(100).default(11.34),
  /** Never associate farther than this, whatever the covariance (m). */
  maxGateDistance: positive().default(3.0),
  /** Hits that confirm a tentative track. */
  confirmHits: z.number().int().min(1).max(20).default(3),
  /** Consecutive misses that delete a tentative track. */
  tentativeMaxMisses: z.number().int().min(1).default(2),
  /** Consecutive misses that delete a confirmed track (it coasts until then). */
  maxMisses: z.number().int().min(1).max(100).default(10),
  /**
   * A confirmed track outside every depth camera's view coasts this long without misses (s): the
   * hand-off gap between two views. 2 s: a side camera loses a person walking out of its view a
   * few frames before the centre leaves the image (a partial body at the border gives too few
   * points), and the front pair confirms it ~0.3 s after it enters; in corridor_crossing that
   * takes 1.4 s from the last side-camera hit to the first front-pair one.
   */
  maxUnseenSeconds: nonNegative().max(10).default(2.0),
  /** Only tracks at least this fast coast unseen (m/s): a static object the robot drives past needs no hand-off. */
  unseenMinSpeed: nonNegative().default(0.3),
  /** Extra cost for pairing a class-agnostic obstacle with a classed track or vice versa. */
  obstacleClassPenalty: nonNegative().default(4),
  /** No birth closer than this to an existing track (split detections of one object) (m). */
  birthMinSeparation: nonNegative().default(0.4),
  /** Smoothing factor of box size and yaw updates (1 = take the measurement). */
  sizeSmoothing: fraction().default(0.3),
});

export const obstacleOptionsSchema = z.object({
  /** Cluster obstacle points into tracked class-agnostic objects. */
  enabled: z.boolean().default(true),
  /** Grid cell size for connected components (m). */
  cellSize: positive().default(0.25),
  /** Only points within this horizontal range are clustered (m). */
  maxRange: positive().default(10),
  minHeight: z.number().default(0.12),
  maxHeight: z.number().default(1.8),
  minPoints: z.number().int().min(1).default(8),
  /** Cells with fewer points are left out of clusters, so sparse smear does not bridge objects and walls. */
  minCellPoints: z.number().int().min(1).default(3),
  /** Clusters wider than this (walls, shelves) stay in the cloud and scan but are not tracked (m). */
  maxTrackedExtent: positive().default(3.0),
  /** Narrower clusters (one cell: a pillar of stray points) are not objects (m). */
  minTrackedExtent: nonNegative().default(0.3),
  /** Clusters this close to such static structure are fragments of it, not objects (m; 0 = off). */
  structureMargin: nonNegative().default(0.5),
  /** Wall pieces cut apart by occluders: line-shaped clusters that continue each other across gaps up to this (m; 0 = off). */
  structureLineGap: nonNegative().default(2.0),
  /** How far across the line such pieces may lie from it (m). */
  structureLineTolerance: positive().default(0.4),
  /** Only an object's near face is seen: it is assumed as deep as it is wide, up to this, to place its centre (m; 0 = at the face). */
  assumedDepthMax: nonNegative().default(0.8),
  /** Clusters whose top is lower than this (in base_link) are floor clutter, not objects (m). */
  minTrackedTop: nonNegative().default(0.3),
  /** Cells within a detected object's bearing wedge (grown by margin) and range interval (grown by margin + perMetre * range) are that object's. */
  exclusionMargin: nonNegative().default(0.25),
  exclusionMarginPerMetre: nonNegative().default(0.05),
  /** Detector-like score given to clusters. */
  score: fraction().default(0.3),
});

export const persistenceOptionsSchema = z
  .object({
    /** Keep only obstacle points whose place also held points in recent frame sets. */
    enabled: z.boolean().default(true),
    /** Horizontal grid cell of the check; a point's cell or an 8-neighbour counts (m). */
    cellSize: positive().max(2).default(0.2),
    /** Frame sets looked back on. */
    frames: z.number().int().min(1).max(10).default(3),
    /** Of those, how many must have held the place. */
    minFrames: z.number().int().min(1).max(10).default(2),
  })
  .refine((o) => o.minFrames <= o.frames, { message: 'minFrames must not exceed frames', path: ['minFrames'] });

export const scanOptionsSchema = z.object({
  /** Beam angles (rad), as in sensor_msgs/LaserScan. */
  angleMin: z.number().min(-Math.PI).max(Math.PI).default(-Math.PI),
  angleMax: z.number().min(-Math.PI).max(Math.PI).default(Math.PI),
  angleIncrement: z
    .number()
    .min(0.0001)
    .max(0.5)
    .default(Math.PI / 360),
  /**
   * Ranges outside [rangeMin, rangeMax] are not reported (m). 10 m, as the cloud: farther, the
   * default rig's stereo ranges walls 5 % short (0.5 m at 11 m), a false hit per beam.
   */
  rangeMin: z.number().min(0).max(10).default(0.2),
  rangeMax: z.number().min(0.5).max(100).default(10),
  /** Height band in base_link whose points make the scan (m). */
  minHeight: z.number().min(-1).max(5).default(0.1),
  maxHeight: z.number().min(0).max(5).default(1.8),
  /** A beam's surface needs this many points within its range window (outlier rejection). */
  pointsPerBeam: z.number().int().min(1).default(3),
  /** Range window of a beam's surface: max(min, relative * range); about four sigma of depth noise. */
  beamWindowMin: positive().default(0.2),
  beamWindowRelative: positive().default(0.12),
  /** Seconds between scans, written to scan_time: one period at the scheduler's default 30 Hz. */
  scanTime: nonNegative().default(1 / 30),
});

export const cloudOptionsSchema = z.object({
  /**
   * Points beyond this horizontal range are not published (m; depth.max_range_m). Beyond 10 m the
   * default rig's stereo depth is off by more than 0.25 m for most points (open_hall's walls).
   */
  maxRange: z.number().min(0.5).max(100).default(10),
  /** Points lower than this above ground are ground; higher than maxHeight, overhangs (m). */
  minHeight: z.number().min(0).max(2).default(0.12),
  maxHeight: z.number().min(0.1).max(5).default(1.8),
});

/** Output topic names, relative to the output namespace. */
export const fusionTopicsSchema = z.object({
  objects: z.string().min(1).default('objects'),
  tracks: z.string().min(1).default('tracks'),
  obstacles: z.string().min(1).default('obstacles'),
  scan: z.string().min(1).default('scan'),
  markers: z.string().min(1).default('markers'),
});

export const fusionOptionsSchema = z
  .object({
    baseFrame: z.string().min(1).default('base_link'),
    odomFrame: z.string().min(1).default('odom'),
    topics: fusionTopicsSchema.prefault({}),
    /** Publish only confirmed and coasting tracks (tentative ones are often clutter). */
    publishTentative: z.boolean().default(false),
    lifting: liftingOptionsSchema.prefault({}),
    merge: mergeOptionsSchema.prefault({}),
    tracker: trackerOptionsSchema.prefault({}),
    obstacles: obstacleOptionsSchema.prefault({}),
    persistence: persistenceOptionsSchema.prefault({}),
    scan: scanOptionsSchema.prefault({}),
    cloud: cloudOptionsSchema.prefault({}),
  })
  .superRefine((o, ctx) => {
    if (o.scan.angleMax <= o.scan.angleMin) {
      ctx.addIssue({ code: 'custom', path: ['scan', 'angleMax'], message: `expected more than scan.angleMin (${o.scan.angleMin})` });
    }
    if (o.scan.rangeMax <= o.scan.rangeMin) {
      ctx.addIssue({ code: 'custom', path: ['scan', 'rangeMax'], message: `expected more than scan.rangeMin (${o.scan.rangeMin})` });
    }
    for (const key of ['scan', 'cloud', 'obstacles'] as const) {
      if (o[key].maxHeight <= o[key].minHeight) {
        ctx.addIssue({ code: 'custom', path: [key, 'maxHeight'], message: `expected more than ${key}.minHeight (${o[key].minHeight})` });
      }
    }
  });

export type FusionOptions = z.output<typeof fusionOptionsSchema>;
export type FusionOptionsInput = z.input<typeof fusionOptionsSchema>;
export type LiftingOptions = FusionOptions['lifting'];
export type MergeOptions = FusionOptions['merge'];
export type TrackerOptions = FusionOptions['tracker'];
export type ObstacleOptions = FusionOptions['obstacles'];
export type ScanOptions = FusionOptions['scan'];
export type PersistenceOptions = FusionOptions['persistence'];
export type CloudOptions = FusionOptions['cloud'];

/**
 * Validates and completes fusion options. Throws an Error naming every bad key, its value and
 * what was expected, so a bad YAML or parameter fails at start, not mid-run.
 */
export function resolveFusionOptions(input: FusionOptionsInput = {}): FusionOptions {
  const parsed = fusionOptionsSchema.safeParse(input);
  if (!parsed.success) throw new Error(`fusion options are invalid:\n${describeIssues(parsed.error, input, 'fusion.')}`);
  return parsed.data;
}
