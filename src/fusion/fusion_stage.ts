// The fusion stage of the pipeline: one frame set's detections, depth and obstacle points in,
// 3D objects, tracks, obstacle cloud, virtual scan and their ROS messages out.
//
//   views -> lift (per detection) -> merge (across cameras) --+--> tracker -> tracks
//   obstacle points -> cluster (outside detected boxes) ------+
//   obstacle points -> crop -> PointCloud2;  -> bin by bearing -> LaserScan
import { mat4 } from 'gl-matrix';
import { isDeepStrictEqual } from 'node:util';
import { addLearnedRangeNoise } from './cluster_noise';
import { DetectionLifter, assertCameraView } from './lifting';
import { assertRigid, rotateCovariance, transformPoint, transformYaw } from './linalg3';
import { mergeAcrossCameras } from './merge';
import { toDetection3DArray, toLaserScan, toMarkerArray, toPointCloud2, toTrackedObjectArray } from './messages';
import { cropObstaclePoints } from './obstacle_cloud';
import { ObstacleClusterer } from './obstacle_clusters';
import { resolveFusionOptions, type FusionOptions, type FusionOptionsInput } from './options';
import { PersistenceFilter } from './persistence';
import { virtualScanRanges } from './scan';
import { MultiObjectTracker } from './tracker';
import { beamsInView, depthCamerasSeeing } from './view_coverage';
import type { CameraView, FusedObject, FusionOutput, GroundPlane } from './types';
import type { Nanos } from '../msgs/time';

export class FusionStage {
  #options: FusionOptions;
  #lifter: DetectionLifter;
  #clusterer: ObstacleClusterer;
  readonly #tracker: MultiObjectTracker;
  #persistence: PersistenceFilter;
  #trackingFrame: string | undefined;

  /** Throws, naming the key, when `options` does not validate against fusionOptionsSchema. */
  constructor(options: FusionOptionsInput = {}) {
    this.#options = resolveFusionOptions(options);
    this.#lifter = new DetectionLifter(this.#options.lifting);
    this.#clusterer = new ObstacleClusterer(this.#options.obstacles);
    this.#tracker = new MultiObjectTracker(this.#options.tracker);
    this.#persistence = new PersistenceFilter(this.#options.persistence);
  }

  /** Resolved options (defaults filled in). */
  get options(): FusionOptions {
    return this.#options;
  }

  /** Options for the frame sets to come (a live configuration change): tracks and their ids carry over. Throws as the constructor. */
  retune(options: FusionOptionsInput): void {
    const next = resolveFusionOptions(options);
    // The persistence history carries over like the tracks: afresh, it would pass every point
    // (flicker included) for its first frame sets. Only new persistence options restart it.
    if (!isDeepStrictEqual(next.persistence, this.#options.persistence)) this.#persistence = new PersistenceFilter(next.persistence);
    this.#options = next;
    this.#lifter = new DetectionLifter(next.lifting);
    this.#clusterer = new ObstacleClusterer(next.obstacles);
    this.#tracker.retune(next.tracker);
  }

  /**
   * Processes one frame set. `obstaclePoints` are x, y, z triples in base_link, above ground and
   * voxel-downsampled. With `odomFromBase` (base_link -> odom, gl-matrix column-major) tracks
   * live in odom and their velocities exclude the robot's motion; a stage must get it on every
   * call or on none (reset() to switch). Stamps must not decrease. Synchronous and bounded:
   * no I/O, no waiting.
   */
  update(
    stamp: Nanos,
    views: readonly CameraView[],
    obstaclePoints: Float32Array,
    ground?: GroundPlane,
    odomFromBase?: mat4,
  ): FusionOutput {
    const o = this.options;
    const seen = new Set<string>();
    for (const v of views) {
      assertCameraView(v);
      if (seen.has(v.camera)) throw new Error(`FusionStage.update: camera "${v.camera}" appears twice in one frame set`);
      seen.add(v.camera);
    }
    if (ground) assertGround(ground);
    const trackingFrame = odomFromBase ? o.odomFrame : o.baseFrame;
    if (this.#trackingFrame !== undefined && this.#trackingFrame !== trackingFrame) {
      throw new Error(
        `FusionStage.update: tracking frame changed from "${this.#trackingFrame}" to "${trackingFrame}" ` +
          '(odomFromBase given in some frame sets only); call reset() when odometry starts or stops',
      );
    }
    this.#trackingFrame = trackingFrame;
    if (odomFromBase) assertRigid(odomFromBase, 'FusionStage.update: odomFromBase');

    // Points that flicker (stereo outliers, learned-depth noise) go before anything uses them.
    const points = this.#persistence.filter(obstaclePoints, odomFromBase);
    const lifted = views.flatMap((v) => this.#lifter.liftView(v, ground));
    const objects = mergeAcrossCameras(lifted, o.merge);
    const obstacles = o.obstacles.enabled ? this.#clusterer.cluster(points, objects) : [];
    for (const ob of obstacles) {
      ob.cameras = depthCamerasSeeing(views, ...ob.position);
      addLearnedRangeNoise(ob, views);
    }
    const inBase = [...objects, ...obstacles];
    const measurements = odomFromBase ? inBase.map((m) => toFrame(m, odomFromBase)) : inBase;
    const baseFromOdom = odomFromBase && mat4.invert(mat4.create(), odomFromBase);
    const observable = (p: Float64Array) => {
      const [x, y, z] = baseFromOdom ? transformPoint(baseFromOdom, [p[0], p[1], p[2]]) : p;
      return depthCamerasSeeing(views, x, y, z).length > 0;
    };
    const ids = this.#tracker.update(stamp, measurements, observable);
    inBase.forEach((m, k) => {
      if (ids[k] >= 0) m.trackId = ids[k];
    });
    const tracks = this.#tracker.snapshots(o.publishTentative);

    const cloudPoints = cropObstaclePoints(points, o.cloud);
    const scanRanges = virtualScanRanges(points, o.scan);
    // REP-117: +inf is "nothing within range_max" (it clears); a beam no depth camera looks along is unknown (NaN).
    const inView = beamsInView(views, o.scan, scanRanges.length);
    for (let b = 0; b < scanRanges.length; b++) if (!inView[b] && scanRanges[b] === Infinity) scanRanges[b] = NaN;
    const scan = toLaserScan(stamp, o.baseFrame, scanRanges, o.scan);
    const cloud = toPointCloud2(stamp, o.baseFrame, cloudPoints);
    return {
      stamp,
      objects,
      obstacles,
      tracks,
      trackingFrame,
      scan,
      cloud,
      detections3d: toDetection3DArray(stamp, o.baseFrame, objects),
      trackedObjects: toTrackedObjectArray(stamp, trackingFrame, tracks),
      markers: toMarkerArray(stamp, trackingFrame, tracks),
    };
  }

  /** Forgets all tracks and the tracking frame (ids keep counting up, never reused). */
  reset(): void {
    this.#tracker.reset();
    this.#persistence.reset();
    this.#trackingFrame = undefined;
  }
}

function toFrame(m: FusedObject, t: mat4): FusedObject {
  return {
    ...m,
    position: transformPoint(t, m.position),
    covariance: rotateCovariance(t, m.covariance),
    yaw: transformYaw(t, m.yaw),
  };
}

function assertGround(g: GroundPlane): void {
  const len = Math.hypot(...g.normal);
  if (!Number.isFinite(g.d) || Math.abs(len - 1) > 1e-3 || g.normal[2] <= 0) {
    throw new Error(
      `FusionStage.update: ground plane {normal: [${g.normal.join(', ')}], d: ${g.d}}; expected a unit normal pointing up (nz > 0) and a finite d`,
    );
  }
}
