// What the demo keeps of a replay, result by result: per-frame stage times on the scheduler's
// own clock, host stage times, tracks for trails, and the one frame set the report shows
// (images, detections, depth, cloud, scan). demo_table.ts and demo_report.ts read it.
import type { Detection } from '../inference/detection';
import type { Raster } from '../io/raster';
import type { LaserScan, TrackedObject } from '../msgs/types';
import { cloudXyz } from '../replay/frame_summary';
import { outputOf, outputsOf, type PipelineResult } from '../core/result';
import type { ReportDepth } from '../report/html';
import { CameraCoverage } from './demo_cameras';

interface ShownFrame {
  seq: number;
  stamp: bigint;
  images: Map<string, Raster>;
  detections: Map<string, Detection[]>;
  tracks: TrackedObject[];
  trackingFrame: string;
  cloud: Float32Array;
  scan: LaserScan | undefined;
  depth: Map<string, ReportDepth>;
  score: number;
}

export class DemoRecorder {
  /** Host-measured ms per stage (the table's host percentiles). */
  readonly hostMs = new Map<string, number[]>();
  /**
   * Per frame set, the stage times on the scheduler's own clock (target time: the profile's
   * predicted times, which its virtual clock advances by; host time: this machine's measured
   * times) and the set's latency from its stamp to its end on that clock.
   */
  readonly frames: Array<{ stageMs: Record<string, number>; latencyMs: number; shed: boolean }> = [];
  readonly trails = new Map<number, Array<[number, number]>>();
  readonly profiled = new Map<string, number>();
  /** Per camera: obstacle points in its view and the tracks naming it, over the run. */
  readonly coverage = new CameraCoverage();
  shown: ShownFrame | undefined;
  shed = 0;
  misses = 0n;

  add(
    r: PipelineResult,
    images: Map<string, Raster> | undefined,
    detections: Map<string, Detection[]> | undefined,
    timings: Record<string, number> | undefined,
  ): void {
    const status = outputOf(r, 'dx_perception/msg/PipelineStatus');
    if (status) {
      this.misses = status.deadline_misses;
      for (const s of status.stages) this.profiled.set(s.name, s.budget_ms);
    }
    if (r.decision === 'shed') {
      this.shed++;
      this.frames.push({ stageMs: {}, latencyMs: NaN, shed: true });
      return;
    }
    const onClock = (s: { predicted_ms: number; measured_ms: number }) => (status?.time_mode === 'target' ? s.predicted_ms : s.measured_ms);
    this.frames.push({
      stageMs: Object.fromEntries((status?.stages ?? []).filter((s) => Number.isFinite(onClock(s))).map((s) => [s.name, onClock(s)])),
      latencyMs: status?.latency_ms ?? NaN,
      shed: false,
    });
    for (const [k, v] of Object.entries(timings ?? {})) this.hostMs.set(k, [...(this.hostMs.get(k) ?? []), v]);
    const tracksMsg = outputOf(r, 'dx_perception/msg/TrackedObjectArray');
    const tracks = tracksMsg?.objects ?? [];
    for (const t of tracks) this.trails.set(t.id, [...(this.trails.get(t.id) ?? []), [t.pose.pose.position.x, t.pose.pose.position.y]]);
    const cloudMsg = outputOf(r, 'sensor_msgs/msg/PointCloud2');
    const cloud = cloudMsg ? cloudXyz(cloudMsg) : new Float32Array();
    if (r.decision === 'completed') this.coverage.add(cloud, tracks);
    // Show the frame with the most tracks and detections, preferring later frames (tracks confirmed).
    const score = tracks.length * 10 + [...(detections?.values() ?? [])].reduce((n, d) => n + d.length, 0);
    if (!images || (this.shown && score < this.shown.score)) return;
    const depth = new Map(
      outputsOf(r, 'sensor_msgs/msg/Image')
        .filter((x) => x.topic.endsWith('/depth'))
        .map((x) => [
          x.topic.slice(0, -'/depth'.length),
          { width: x.msg.width, height: x.msg.height, metres: new Float32Array(x.msg.data.slice().buffer), maxM: 10 },
        ]),
    );
    this.shown = {
      seq: this.frames.length,
      stamp: r.stamp,
      images,
      detections: detections ?? new Map(),
      tracks,
      trackingFrame: tracksMsg?.header.frame_id ?? '',
      cloud,
      scan: outputOf(r, 'sensor_msgs/msg/LaserScan'),
      depth,
      score,
    };
  }
}
