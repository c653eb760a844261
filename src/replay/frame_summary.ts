// A compact, human-readable digest of what one frame set published, computed from the output
// messages themselves. Regression goldens and replay summaries compare these digests, so they
// test exactly what a ROS consumer would have received.
import type { Detection3DArray, Image, LaserScan, PointCloud2, TrackedObjectArray } from '../msgs/types';
import type { PipelineResult } from '../core/result';

export interface ObjectDigest {
  cls: string;
  x: number;
  y: number;
  z: number;
}
export interface DepthDigest {
  valid: number;
  median: number;
}
export interface CloudDigest {
  points: number;
  cx: number;
  cy: number;
  cz: number;
}
export interface ScanDigest {
  valid: number;
  median: number;
  min: number;
  sectors: number[];
}

export interface FrameSummary {
  /** Sensor stamp of the frame set, ns, as a decimal string (YAML-safe, exact). */
  stamp: string;
  /** "completed", or "shed:<reason>" for a set the scheduler did not finish. */
  decision: string;
  /** Degradation rung the set ran at ("full" when none). */
  rung: string;
  objects: ObjectDigest[];
  tracks: number;
  depth: Record<string, DepthDigest>;
  cloud?: CloudDigest;
  scan?: ScanDigest;
}

const SCAN_SECTORS = 8;

// toFixed after rounding: no binary-fraction tails such as 3.2560000000000002 in goldens.
const round = (v: number, step = 0.001) => Number((Math.round(v / step) * step).toFixed(3));

function medianOf(values: Float32Array | number[]): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[sorted.length >> 1];
}

/** Reads x, y, z float32 fields of a PointCloud2 into one packed array. */
export function cloudXyz(cloud: PointCloud2): Float32Array {
  const off = (name: string) => {
    const f = cloud.fields.find((fd) => fd.name === name);
    if (!f || f.datatype !== 7) throw new Error(`PointCloud2 on ${cloud.header.frame_id}: field ${name} missing or not FLOAT32`);
    return f.offset;
  };
  const [ox, oy, oz] = [off('x'), off('y'), off('z')];
  const n = cloud.width * cloud.height;
  const view = new DataView(cloud.data.buffer, cloud.data.byteOffset, cloud.data.byteLength);
  const le = !cloud.is_bigendian;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const base = i * cloud.point_step;
    out[i * 3] = view.getFloat32(base + ox, le);
    out[i * 3 + 1] = view.getFloat32(base + oy, le);
    out[i * 3 + 2] = view.getFloat32(base + oz, le);
  }
  return out;
}

function digestCloud(cloud: PointCloud2): CloudDigest {
  const xyz = cloudXyz(cloud);
  const n = xyz.length / 3;
  let cx = 0,
    cy = 0,
    cz = 0;
  for (let i = 0; i < n; i++) {
    cx += xyz[i * 3];
    cy += xyz[i * 3 + 1];
    cz += xyz[i * 3 + 2];
  }
  return n === 0 ? { points: 0, cx: 0, cy: 0, cz: 0 } : { points: n, cx: round(cx / n), cy: round(cy / n), cz: round(cz / n) };
}

function digestScan(scan: LaserScan): ScanDigest {
  const valid: number[] = [];
  const sectors = new Array<number>(SCAN_SECTORS).fill(Infinity);
  const n = scan.ranges.length;
  for (let i = 0; i < n; i++) {
    const r = scan.ranges[i];
    if (!(r >= scan.range_min && r <= scan.range_max)) continue;
    valid.push(r);
    const s = Math.min(SCAN_SECTORS - 1, Math.floor((i / n) * SCAN_SECTORS));
    sectors[s] = Math.min(sectors[s], r);
  }
  return {
    valid: valid.length,
    median: valid.length ? round(medianOf(valid)) : 0,
    min: valid.length ? round(Math.min(...valid)) : 0,
    // Infinity is not YAML-portable; an empty sector is written as 0.
    sectors: sectors.map((v) => (Number.isFinite(v) ? round(v) : 0)),
  };
}

function digestDepth(img: Image): DepthDigest {
  const f = new Float32Array(img.data.buffer.slice(img.data.byteOffset, img.data.byteOffset + img.data.byteLength));
  const valid: number[] = [];
  for (let i = 0; i < f.length; i += 7) if (f[i] > 0 && Number.isFinite(f[i])) valid.push(f[i]); // every 7th px: cheap, stable
  const sampled = Math.ceil(f.length / 7);
  return { valid: round(valid.length / sampled), median: valid.length ? round(medianOf(valid)) : 0 };
}

/** Digest of one frame set's outputs. Topic names are the relative ones of PipelineResult. */
export function summarizeResult(result: PipelineResult): FrameSummary {
  const summary: FrameSummary = {
    stamp: result.stamp.toString(),
    decision: result.decision === 'shed' ? `shed:${result.shedReason ?? 'unknown'}` : 'completed',
    rung: result.rung,
    objects: [],
    tracks: 0,
    depth: {},
  };
  for (const out of result.outputs) {
    switch (out.type) {
      case 'vision_msgs/msg/Detection3DArray':
        summary.objects = (out.msg as Detection3DArray).detections
          .map((d) => ({
            cls: d.results[0]?.hypothesis.class_id ?? '',
            x: round(d.bbox.center.position.x),
            y: round(d.bbox.center.position.y),
            z: round(d.bbox.center.position.z),
          }))
          .sort((a, b) => a.x - b.x || a.y - b.y);
        break;
      case 'dx_perception/msg/TrackedObjectArray':
        summary.tracks = (out.msg as TrackedObjectArray).objects.length;
        break;
      case 'sensor_msgs/msg/PointCloud2':
        summary.cloud = digestCloud(out.msg as PointCloud2);
        break;
      case 'sensor_msgs/msg/LaserScan':
        summary.scan = digestScan(out.msg as LaserScan);
        break;
      case 'sensor_msgs/msg/Image':
        if (out.topic.endsWith('/depth')) summary.depth[out.topic.slice(0, -'/depth'.length)] = digestDepth(out.msg as Image);
        break;
      default:
        break;
    }
  }
  return summary;
}
