// What the demo keeps of a replay and how it becomes the report: per-frame stage times on the
// scheduler's own clock, tracks for trails, the one frame set shown (images, detections, depth),
// the metrics table with pass/fail against each target, and the overlays read from the bag.
import type { Detection } from '../inference/detection';
import type { Raster } from '../io/raster';
import type { LaserScan, TrackedObject } from '../msgs/types';
import type { PerceptionConfig } from '../pipeline/config_schema';
import { cloudXyz } from '../pipeline/frame_summary';
import type { ReportBox, ReportData, ReportDepth, ReportRow, ReportTrack } from '../report/html';
import { boxIou, reportOverlays } from '../report/overlays';
import { outputOf, outputsOf, type PipelineResult } from '../pipeline/result';
import type { SceneEvaluator, SceneScores } from '../sim/scene_evaluation';

const pct = (values: number[], q: number) =>
  values.length ? [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] : NaN;
const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

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
    // Show the frame with the most tracks and detections, preferring later frames (tracks confirmed).
    const score = tracks.length * 10 + [...(detections?.values() ?? [])].reduce((n, d) => n + d.length, 0);
    if (!images || (this.shown && score < this.shown.score)) return;
    const cloud = outputOf(r, 'sensor_msgs/msg/PointCloud2');
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
      cloud: cloud ? cloudXyz(cloud) : new Float32Array(),
      scan: outputOf(r, 'sensor_msgs/msg/LaserScan'),
      depth,
      score,
    };
  }
}

const row = (metric: string, value: string, target = '', pass?: boolean): ReportRow => ({ metric, value, target, pass });

export function scoreTable(scores: SceneScores, rec: DemoRecorder, config: PerceptionConfig, sets: number): ReportRow[] {
  const rows: ReportRow[] = [];
  const { stereo, learned } = scores.depth;
  if (stereo) {
    rows.push(
      row('stereo depth error (median, valid px, GT < 10 m)', `${f(stereo.medianRelErrorPct, 2)} %`, '< 3 %', stereo.medianRelErrorPct < 3),
    );
    rows.push(row('stereo depth density (GT < 10 m)', `${f(100 * stereo.density)} %`));
  }
  if (learned) {
    // No target: the bundled side-camera model's held-out error is documented in training/README.md.
    rows.push(row('learned depth error, side cameras (median, GT < 10 m)', `${f(learned.medianRelErrorPct, 1)} %`));
    rows.push(row('learned depth density, side cameras (GT < 10 m)', `${f(100 * learned.density)} %`));
  }
  const o = scores.objects;
  rows.push(
    row(
      '3D object position error (median)',
      `${f(o.medianErrorM, 2)} m = ${f(o.medianErrorPctOfRange, 1)} % of range`,
      '< 5 % of range',
      o.medianErrorPctOfRange < 5,
    ),
  );
  rows.push(row('visible objects within 10 m with a track', `${o.matched}/${o.total} (${f((100 * o.matched) / Math.max(1, o.total))} %)`));
  rows.push(
    row(
      'detection recall (IoU >= 0.5, >= 50 % visible)',
      scores.detection
        ? `${f(100 * scores.detection.recall)} % (${scores.detection.matched}/${scores.detection.total})`
        : 'no detector configured (--model)',
    ),
  );
  const t = scores.tracking;
  rows.push(row('tracking MOTA / IDF1', `${f(t.mota, 3)} / ${f(t.idf1, 3)}`));
  rows.push(row('tracking misses / false positives (object-frames)', `${t.misses} / ${t.falsePositives} of ${t.numGt}`));
  // No target: "at most one per crossing" needs the crossings counted, which the scene does not list.
  rows.push(row('tracking ID switches (expected: at most one per crossing)', String(t.idSwitches)));
  rows.push(
    row(
      'frame sets: completed / shed / deadline misses',
      `${sets - rec.shed} / ${rec.shed} / ${rec.misses}`,
      'misses 0',
      rec.misses === 0n,
    ),
  );
  for (const [stage, ms] of rec.hostMs) {
    const profiled = rec.profiled.get(stage);
    // This machine's times beside the profile's budget, for information: they are not the target chip's.
    const budget = profiled === undefined ? '' : ` (${config.scheduler.profile} budget ${f(profiled, 2)} ms)`;
    rows.push(row(`latency ${stage}: host p50 / p90 / p99${budget}`, `${f(pct(ms, 0.5))} / ${f(pct(ms, 0.9))} / ${f(pct(ms, 0.99))} ms`));
  }
  return rows;
}

/** The one line under the terminal table when MOTA is negative, which surprises newcomers. */
export function negativeMotaLine(scores: SceneScores): string | undefined {
  const t = scores.tracking;
  if (!(t.mota < 0)) return undefined;
  return `MOTA < 0 means misses + false positives + ID switches (${t.misses} + ${t.falsePositives} + ${t.idSwitches}) outnumber the ${t.numGt} ground-truth object-frames; the false positives are mostly tracks of walls and furniture, real obstacles the scene does not list as objects (report.html explains).`;
}

/** How to read the table; MOTA's sign surprises newcomers. */
function notes(scores: SceneScores): string[] {
  const t = scores.tracking;
  return [
    `MOTA = 1 − (misses + false positives + ID switches) / ground-truth object-frames = 1 − (${t.misses} + ${t.falsePositives} + ${t.idSwitches}) / ${t.numGt}. ` +
      'It goes negative when the errors outnumber the ground-truth object-frames: here mostly false positives, i.e. tracks of obstacle clusters (walls, furniture) that the scene does not list as objects. IDF1 and the position error are the better guide on such scenes.',
    'Rows without a target are reported for information; "pass"/"fail" compares each value with its target.',
  ];
}

/** Labels each detection with the track whose projected box overlaps it most. */
function labelDetections(dets: Detection[], tracks: ReportBox[]): ReportBox[] {
  return dets.map((d) => {
    const box: ReportBox = { x1: d.x1, y1: d.y1, x2: d.x2, y2: d.y2, label: `${d.className} ${d.score.toFixed(2)}`, kind: 'detection' };
    const best = tracks.map((t) => ({ t, iou: boxIou(box, t) })).sort((a, b) => b.iou - a.iou)[0];
    return best && best.iou >= 0.3 ? { ...box, label: `${best.t.label.split(' ')[0]} ${box.label}` } : box;
  });
}

/** `bag` is read for the overlays; `shownBag` is its name once the demo's outputs are in place. */
export interface RunInfo {
  scene: string;
  bag: string;
  shownBag: string;
  model?: string;
  durationSec: number;
}

export async function reportData(
  rec: DemoRecorder,
  table: ReportRow[],
  scores: SceneScores,
  config: PerceptionConfig,
  run: RunInfo,
  evaluator: SceneEvaluator,
): Promise<ReportData> {
  const shown = rec.shown;
  const base = config.frames.base_frame;
  const names = [...(shown?.images.keys() ?? [])];
  // Tracks in odom (a moving robot) are not projected: the report has no odom -> base_link at that instant.
  const inBase = shown && shown.trackingFrame === base ? shown.tracks : [];
  const overlays = shown
    ? await reportOverlays(run.bag, names, shown.stamp, inBase, base)
    : { groundTruth: new Map(), tracks: new Map(), fovs: [] };
  const rightOfPair = new Set(config.depth.stereo_pairs.map((p) => p[1]));
  const cameras = names.map((name) => {
    const projected: ReportBox[] = overlays.tracks.get(name) ?? [];
    return {
      name,
      image: shown!.images.get(name)!,
      boxes: [...(overlays.groundTruth.get(name) ?? []), ...projected, ...labelDetections(shown!.detections.get(name) ?? [], projected)],
      depth: shown!.depth.get(name),
      // Said once, on the panel it concerns.
      note: rightOfPair.has(name)
        ? 'right camera of a stereo pair: no detector by design (its left partner sees the same scene)'
        : undefined,
    };
  });
  const tracks: ReportTrack[] = (shown?.tracks ?? []).map((t) => ({
    id: t.id,
    cls: t.class_id,
    x: t.pose.pose.position.x,
    y: t.pose.pose.position.y,
    vx: t.velocity.twist.linear.x,
    vy: t.velocity.twist.linear.y,
    trail: rec.trails.get(t.id) ?? [],
  }));
  const stages = [...new Set(rec.frames.flatMap((fr) => Object.keys(fr.stageMs)))];
  const clock = config.scheduler.time_mode === 'target' ? `target time, ${config.scheduler.profile}` : 'host time';
  return {
    title: 'dx_perception demo',
    subtitle: `scene "${run.scene}", ${config.cameras.length} cameras, scheduler in ${clock}, deadline ${config.scheduler.deadline_ms} ms`,
    metadata: [
      ['scene', run.scene],
      ['bag', run.shownBag],
      ['duration', `${run.durationSec.toFixed(1)} s, ${rec.frames.length} frame sets`],
      ['cameras', names.join(', ')],
      ['scheduler', `${clock}, ${config.scheduler.rate_hz} Hz, deadline ${config.scheduler.deadline_ms} ms`],
      ['detector', run.model ?? (config.detection.model_path || 'none (depth clusters are tracked as "obstacle")')],
      [
        'frame shown',
        shown
          ? `frame set ${shown.seq} at ${(Number(shown.stamp) / 1e9).toFixed(2)} s: the one with the most tracks and detections (later sets win ties)`
          : 'none completed',
      ],
    ],
    cameras,
    birdsEye: {
      cloud: shown?.cloud ?? new Float32Array(),
      scan: shown?.scan
        ? {
            angleMin: shown.scan.angle_min,
            angleIncrement: shown.scan.angle_increment,
            ranges: shown.scan.ranges,
            rangeMax: shown.scan.range_max,
          }
        : undefined,
      tracks,
      groundTruth: shown
        ? evaluator.groundTruthAt(shown.stamp).map((g) => ({
            id: g.id,
            cls: g.class_id,
            x: g.pose.pose.position.x,
            y: g.pose.pose.position.y,
            sx: g.size.x,
            sy: g.size.y,
            yaw: 2 * Math.atan2(g.pose.pose.orientation.z, g.pose.pose.orientation.w),
            trail: [],
          }))
        : [],
      fovs: overlays.fovs,
      extent: 10,
    },
    latency: {
      stages,
      frames: rec.frames.map((fr) => ({ stageMs: stages.map((s) => fr.stageMs[s] ?? 0), latencyMs: fr.latencyMs, shed: fr.shed })),
      deadlineMs: config.scheduler.deadline_ms,
      periodMs: 1000 / config.scheduler.rate_hz,
      clock:
        config.scheduler.time_mode === 'target'
          ? `target time: ${config.scheduler.profile} predicted stage times`
          : 'host time: wall-clock stage times on this machine',
    },
    table,
    notes: notes(scores),
  };
}
