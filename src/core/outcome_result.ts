// Turns a scheduler outcome into the PipelineResult a source publishes: the set's outputs, its
// PipelineStatus and, when enabled and due (about 1 Hz), /diagnostics (scheduler, synchroniser,
// depth age, main-thread event-loop delay).
import type { IntervalHistogram } from 'node:perf_hooks';
import { nanosToTime } from '../msgs/time';
import { DiagnosticLevel, type DiagnosticStatus, type Header } from '../msgs/types';
import type { DeadlineScheduler } from '../scheduler/deadline_scheduler';
import type { Outcome } from '../scheduler/outcomes';
import type { FrameSynchronizer } from '../sync/frame_synchronizer';
import type { PerceptionConfig } from '../config/config_schema';
import type { DiagnosticsReport, SinceLastReport } from './diagnostics_report';
import type { FrameJob } from './frame_job';
import { DIAGNOSTICS_TOPIC, OUTPUT_TYPES } from './output_topics';
import type { PerceptionOutput, PipelineResult } from './result';
import { pipelineStatus, schedulerDiagnostic } from './status_messages';

/** The runner's input counters (they only grow). */
export interface InputCounters {
  dropped: bigint;
  notReady: number;
  backlogDrops: number;
  staleSets: number;
}

export interface ResultSources {
  config: PerceptionConfig;
  scheduler: DeadlineScheduler<FrameJob>;
  sync: FrameSynchronizer;
  /** Main-thread event-loop delay since the previous report; reset by each report. */
  loopDelay: IntervalHistogram;
  counters: InputCounters;
  diagnostics: DiagnosticsReport;
}

export function resultFor(o: Outcome<FrameJob>, src: ResultSources): PipelineResult {
  const { config, scheduler } = src;
  const { set, frame } = o.item;
  const header: Header = { stamp: nanosToTime(set.stamp), frame_id: config.frames.base_frame };
  const depthAgeMs = frame?.depthAgeMs ?? Number.NaN;
  const stats = scheduler.stats();
  const context = scheduler.statusContext();
  const status = pipelineStatus(stats, context, header, {
    activeCameras: set.views.map((v) => v.camera),
    droppedMessages: src.counters.dropped,
    depthAgeMs,
  });
  const outputs: PerceptionOutput[] = [...(frame?.outputs ?? []), { topic: config.topics.status, type: OUTPUT_TYPES.status, msg: status }];
  if (config.outputs.diagnostics && src.diagnostics.due(set.stamp)) {
    const since = src.diagnostics.since(stats, src.counters.dropped);
    const diag = { header, status: [schedulerDiagnostic(stats, context, since)] };
    // Since the previous report, ms; not part of target time's decisions.
    diag.status[0].values.push(
      { key: 'event_loop_delay_p99_ms', value: (src.loopDelay.percentile(99) / 1e6).toFixed(1) },
      { key: 'event_loop_delay_max_ms', value: (src.loopDelay.max / 1e6).toFixed(1) },
    );
    src.loopDelay.reset();
    diag.status.push(syncDiagnostics(src, since), depthDiagnostics(config, depthAgeMs, o.kind === 'completed'));
    outputs.push({ topic: DIAGNOSTICS_TOPIC, type: OUTPUT_TYPES.diagnostics, msg: diag });
  }
  return o.kind === 'completed'
    ? { seq: set.seq, stamp: set.stamp, outputs, decision: 'completed', rung: o.plan.rung }
    : { seq: set.seq, stamp: set.stamp, outputs, decision: 'shed', shedReason: o.reason, rung: 'shed' };
}

/** How old the depth behind obstacles and scan is; WARN when reused or, for a completed set, missing. */
function depthDiagnostics(config: PerceptionConfig, ageMs: number, completed: boolean): DiagnosticStatus {
  const maxMs = config.scheduler.max_depth_age_ms;
  const [level, message] = Number.isNaN(ageMs)
    ? completed
      ? [
          DiagnosticLevel.WARN,
          `no depth for this set (none computed, or older than scheduler.max_depth_age_ms = ${maxMs} ms): obstacles and scan not published`,
        ]
      : [DiagnosticLevel.OK, 'set shed: no outputs']
    : ageMs > 0
      ? [DiagnosticLevel.WARN, `depth reused from ${ageMs.toFixed(1)} ms ago: obstacles and scan carry its stamp`]
      : [DiagnosticLevel.OK, 'depth computed for this set'];
  const values = [
    { key: 'depth_age_ms', value: String(ageMs) },
    { key: 'max_depth_age_ms', value: String(maxMs) },
  ];
  return { level, name: 'dx_perception: depth', message, hardware_id: 'cameras', values };
}

function syncDiagnostics(src: ResultSources, since: SinceLastReport): DiagnosticStatus {
  const st = src.sync.stats();
  const c = src.counters;
  const values = Object.entries(st.perCamera).flatMap(([cam, cs]) => [
    { key: `${cam}.received`, value: String(cs.received) },
    ...Object.entries(cs.dropped).map(([reason, n]) => ({ key: `${cam}.dropped.${reason}`, value: String(n) })),
  ]);
  values.push(
    { key: 'sets', value: String(st.sets) },
    { key: 'degraded_sets', value: String(st.degradedSets) },
    { key: 'resets', value: String(st.resets) },
    { key: 'sets_before_rig_known', value: String(c.notReady) },
    { key: 'sets_dropped_target_backlog', value: String(c.backlogDrops) },
    { key: 'sets_dropped_stale', value: String(c.staleSets) },
  );
  const drops = since.newDrops;
  const level = drops > 0 ? DiagnosticLevel.WARN : DiagnosticLevel.OK;
  const message = drops > 0 ? `${drops} input message(s) dropped since the last report` : 'all cameras synchronised';
  return { level, name: 'dx_perception: synchroniser', message, hardware_id: 'cameras', values };
}
