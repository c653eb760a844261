// How a recorded demo run becomes the HTML report's data: the shown frame set's camera panels
// (ground truth, projected tracks and labelled detections over each image), the bird's-eye view,
// the latency plot on the scheduler's clock, the metrics table and the run's metadata.
import type { Detection } from '../inference/detection';
import type { PerceptionConfig } from '../config/config_schema';
import type { ReportBox, ReportData, ReportRow, ReportTrack } from '../report/html';
import { boxIou, reportOverlays } from '../report/overlays';
import type { SceneEvaluator, SceneScores } from '../sim/scene_evaluation';
import { cameraRows, trackText } from './demo_cameras';
import type { DemoRecorder } from './demo_recorder';
import { tableNotes } from './demo_table';

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
  const coverage = rec.coverage.summaries(overlays.fovs, new Map(config.depth.stereo_pairs.map(([l, r]) => [r, l])));
  const cameras = names.map((name) => {
    const projected: ReportBox[] = overlays.tracks.get(name) ?? [];
    const c = coverage.find((s) => s.camera === name);
    return {
      name,
      image: shown!.images.get(name)!,
      boxes: [...(overlays.groundTruth.get(name) ?? []), ...projected, ...labelDetections(shown!.detections.get(name) ?? [], projected)],
      depth: shown!.depth.get(name),
      // Said once, on the panel it concerns.
      note: rightOfPair.has(name)
        ? 'right camera of a stereo pair: no detector by design (its left partner sees the same scene)'
        : undefined,
      coverage: c && `over the run: ${Math.round(c.pointsPerSet)} obstacle points in view per frame set; ${trackText(c)}`,
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
    table: [...table, ...cameraRows(coverage)],
    notes: tableNotes(scores),
  };
}
