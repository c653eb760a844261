// Fusion results -> ROS messages (plain objects with ROS field names, ready for rclnodejs, the
// CDR codec and the bag writer). Every builder takes the frame set's stamp, so consumers can
// line outputs up with the images they came from.
import { endianness } from 'node:os';
import type { ScanOptions } from './options';
import type { FusedObject, TrackSnapshot } from './types';
import { nanosToTime, type Nanos } from '../msgs/time';
import {
  MarkerAction,
  MarkerType,
  PointFieldType,
  type ColorRGBA,
  type Detection3DArray,
  type Header,
  type LaserScan,
  type Marker,
  type MarkerArray,
  type PointCloud2,
  type Pose,
  type TrackedObjectArray,
  type Vector3,
} from '../msgs/types';

/** Variance written for rotation terms we do not estimate (roll, pitch, yaw of boxes; angular rates). */
const UNKNOWN_VARIANCE = 1e3;

/** std_msgs/Header for a frame set's stamp (integer ns) in `frameId`. */
export function header(stamp: Nanos, frameId: string): Header {
  return { stamp: nanosToTime(stamp), frame_id: frameId };
}

/** vision_msgs/Detection3DArray of per-frame fused objects; Detection3D.id is the track id when known. */
export function toDetection3DArray(stamp: Nanos, frameId: string, objects: readonly FusedObject[]): Detection3DArray {
  const h = header(stamp, frameId);
  return {
    header: h,
    detections: objects.map((obj) => {
      const pose = boxPose(obj.position, obj.yaw);
      return {
        header: h,
        results: [
          {
            hypothesis: { class_id: obj.className, score: obj.score },
            pose: { pose, covariance: covariance6(obj.covariance) },
          },
        ],
        bbox: { center: pose, size: vector(obj.size) },
        id: obj.trackId === undefined ? '' : String(obj.trackId),
      };
    }),
  };
}

/** dx_perception/TrackedObjectArray; frameId is the tracking frame (base_link or odom). */
export function toTrackedObjectArray(stamp: Nanos, frameId: string, tracks: readonly TrackSnapshot[]): TrackedObjectArray {
  const h = header(stamp, frameId);
  return {
    header: h,
    objects: tracks.map((t) => ({
      header: h,
      id: t.id,
      class_id: t.className,
      score: t.score,
      state: t.state,
      pose: { pose: boxPose(t.position, t.yaw), covariance: covariance6(t.positionCovariance) },
      size: vector(t.size),
      velocity: {
        twist: { linear: vector(t.velocity), angular: { x: 0, y: 0, z: 0 } },
        covariance: covariance6(t.velocityCovariance),
      },
      age: t.age,
      hits: t.hits,
      source_cameras: [...t.cameras],
    })),
  };
}

/**
 * sensor_msgs/PointCloud2 with float32 x, y, z fields (12-byte points, one row). `points` must
 * hold only finite values (see cropObstaclePoints), hence is_dense. The data is a view of
 * `points`' buffer: do not modify `points` afterwards.
 */
export function toPointCloud2(stamp: Nanos, frameId: string, points: Float32Array): PointCloud2 {
  if (endianness() !== 'LE') throw new Error('toPointCloud2: big-endian hosts are not supported (data would need byte swapping)');
  const n = Math.floor(points.length / 3);
  return {
    header: header(stamp, frameId),
    height: 1,
    width: n,
    fields: ['x', 'y', 'z'].map((name, k) => ({ name, offset: 4 * k, datatype: PointFieldType.FLOAT32, count: 1 })),
    is_bigendian: false,
    point_step: 12,
    row_step: 12 * n,
    data: new Uint8Array(points.buffer, points.byteOffset, n * 12),
    is_dense: true,
  };
}

/** sensor_msgs/LaserScan from virtualScanRanges' output; angle_max is the last beam's angle. */
export function toLaserScan(stamp: Nanos, frameId: string, ranges: Float32Array, o: ScanOptions): LaserScan {
  return {
    header: header(stamp, frameId),
    angle_min: o.angleMin,
    angle_max: o.angleMin + (ranges.length - 1) * o.angleIncrement,
    angle_increment: o.angleIncrement,
    time_increment: 0,
    scan_time: o.scanTime,
    range_min: o.rangeMin,
    range_max: o.rangeMax,
    ranges,
    intensities: new Float32Array(0),
  };
}

/**
 * visualization_msgs/MarkerArray for RViz: a DELETEALL first (so markers of ended tracks vanish),
 * then per track a CUBE box, a TEXT id label and, when moving, an ARROW of one second's motion.
 * Marker ids are track ids within the "boxes", "ids" and "velocities" namespaces.
 */
export function toMarkerArray(stamp: Nanos, frameId: string, tracks: readonly TrackSnapshot[]): MarkerArray {
  const h = header(stamp, frameId);
  const markers: Marker[] = [{ ...blankMarker(h), action: MarkerAction.DELETEALL }];
  for (const t of tracks) {
    const color = classColor(t.className);
    const [x, y, z] = t.position;
    markers.push({
      ...blankMarker(h),
      ns: 'boxes',
      id: t.id,
      type: MarkerType.CUBE,
      pose: boxPose(t.position, t.yaw),
      scale: vector(t.size),
      color: { ...color, a: t.state === 1 ? 0.5 : 0.25 },
    });
    const speed = Math.hypot(t.velocity[0], t.velocity[1], t.velocity[2]);
    markers.push({
      ...blankMarker(h),
      ns: 'ids',
      id: t.id,
      type: MarkerType.TEXT_VIEW_FACING,
      pose: boxPose([x, y, z + t.size[2] / 2 + 0.3], 0),
      scale: { x: 0, y: 0, z: 0.35 },
      color: { ...color, a: 1 },
      text: `${t.id} ${t.className} ${speed.toFixed(1)} m/s`,
    });
    if (speed > 0.05) {
      markers.push({
        ...blankMarker(h),
        ns: 'velocities',
        id: t.id,
        type: MarkerType.ARROW,
        pose: boxPose([0, 0, 0], 0),
        scale: { x: 0.08, y: 0.16, z: 0.2 },
        color: { ...color, a: 1 },
        points: [
          { x, y, z },
          { x: x + t.velocity[0], y: y + t.velocity[1], z: z + t.velocity[2] },
        ],
      });
    }
  }
  return { markers };
}

function blankMarker(h: Header): Marker {
  return {
    header: h,
    ns: '',
    id: 0,
    type: MarkerType.CUBE,
    action: MarkerAction.ADD,
    pose: boxPose([0, 0, 0], 0),
    scale: { x: 1, y: 1, z: 1 },
    color: { r: 1, g: 1, b: 1, a: 1 },
    lifetime: { sec: 0, nanosec: 0 },
    frame_locked: false,
    points: [],
    colors: [],
    texture_resource: '',
    texture: { header: h, format: '', data: new Uint8Array(0) },
    uv_coordinates: [],
    text: '',
    mesh_resource: '',
    mesh_file: { filename: '', data: new Uint8Array(0) },
    mesh_use_embedded_materials: false,
  };
}

function boxPose(p: readonly number[], yaw: number): Pose {
  return {
    position: { x: p[0], y: p[1], z: p[2] },
    orientation: { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) },
  };
}

function vector(v: readonly number[]): Vector3 {
  return { x: v[0], y: v[1], z: v[2] };
}

/** 6x6 row-major covariance with `c3` (3x3) as the linear block and unknown rotational terms. */
function covariance6(c3: Float64Array): Float64Array {
  const out = new Float64Array(36);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out[i * 6 + j] = c3[i * 3 + j];
    out[(i + 3) * 6 + i + 3] = UNKNOWN_VARIANCE;
  }
  return out;
}

/** A stable colour per class name, so one class looks the same in every frame. */
function classColor(name: string): ColorRGBA {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  const hue = ((hash >>> 0) % 360) / 60;
  const x = 1 - Math.abs((hue % 2) - 1);
  const [r, g, b] = hue < 1 ? [1, x, 0] : hue < 2 ? [x, 1, 0] : hue < 3 ? [0, 1, x] : hue < 4 ? [0, x, 1] : hue < 5 ? [x, 0, 1] : [1, 0, x];
  return { r, g, b, a: 1 };
}
