// The scheduler's statistics as ROS messages: dx_perception/PipelineStatus and a
// diagnostic_msgs/DiagnosticStatus (per-resource utilisation included). Built here, with the
// rest of the node's messages, so that the scheduler itself knows no ROS message type.
import { DiagnosticLevel, type DiagnosticStatus, type Header, type PipelineStatus, type StageTiming } from '../msgs/types';
import { SHED_REASONS, type SchedulerStats, type StatusContext } from '../scheduler/outcomes';

/** The dx_perception/PipelineStatus message for `s`. */
export function pipelineStatus(
  s: SchedulerStats,
  c: StatusContext,
  header: Header,
  extra: { activeCameras?: string[]; droppedMessages?: bigint; depthAgeMs?: number },
): PipelineStatus {
  const stages: StageTiming[] = s.stages.map((st) => ({
    name: st.name,
    budget_ms: st.configuredMs,
    predicted_ms: st.budgetMs,
    measured_ms: st.lastMs,
    p50_ms: st.p50Ms,
    p90_ms: st.p90Ms,
    p99_ms: st.p99Ms,
  }));
  return {
    header,
    time_mode: c.timeMode,
    period_ms: c.periodMs,
    deadline_ms: c.deadlineMs,
    frame_sets_received: BigInt(s.received),
    frame_sets_completed: BigInt(s.completed),
    deadline_misses: BigInt(s.deadlineMisses),
    shed_total: BigInt(s.shedTotal),
    shed: SHED_REASONS.map((reason) => ({ reason, count: BigInt(s.shed[reason]) })),
    degradation_level: s.lastRung,
    stages,
    predicted_total_ms: c.predictedTotalMs,
    measured_total_ms: c.measuredTotalMs,
    latency_ms: s.latency.lastMs,
    active_cameras: extra.activeCameras ?? c.detectCameras,
    dropped_messages: extra.droppedMessages ?? 0n,
    depth_age_ms: extra.depthAgeMs ?? Number.NaN,
  };
}

/**
 * One diagnostic status for the scheduler. Level: ERROR if `newMisses` > 0, WARN if `newShed` > 0
 * (both since the previous report), else OK.
 */
export function schedulerDiagnostic(
  s: SchedulerStats,
  c: StatusContext,
  since: { newMisses: number; newShed: number },
  name = 'dx_perception: deadline scheduler',
): DiagnosticStatus {
  const { newMisses, newShed } = since;
  const level = newMisses > 0 ? DiagnosticLevel.ERROR : newShed > 0 ? DiagnosticLevel.WARN : DiagnosticLevel.OK;
  const message =
    newMisses > 0
      ? `${newMisses} deadline misses since last report`
      : newShed > 0
        ? `${newShed} frame sets shed since last report (degradation: ${s.lastRung})`
        : 'all frame sets on time';
  const kv = (key: string, value: number | string) => ({
    key,
    value: typeof value === 'number' ? String(Number(value.toFixed(3))) : value,
  });
  return {
    level,
    name,
    message,
    hardware_id: c.profile,
    values: [
      kv('time_mode', c.timeMode),
      kv('period_ms', c.periodMs),
      kv('deadline_ms', c.deadlineMs),
      kv('received', s.received),
      kv('completed', s.completed),
      kv('deadline_misses', s.deadlineMisses),
      kv('shed_total', s.shedTotal),
      kv('probes', s.probes),
      ...SHED_REASONS.map((r) => kv(`shed.${r}`, s.shed[r])),
      kv('degradation_level', s.lastRung),
      kv('degradation_steps_down', s.stepsDown),
      kv('degradation_steps_up', s.stepsUp),
      ...Object.entries(s.rungs).map(([rung, n]) => kv(`rung.${rung}`, n)),
      kv('latency_p50_ms', s.latency.p50Ms),
      kv('latency_p99_ms', s.latency.p99Ms),
      ...s.stages.flatMap((st) => [kv(`${st.name}.budget_ms`, st.budgetMs), kv(`${st.name}.p99_ms`, st.p99Ms)]),
      ...s.resources.map((r) => kv(`resource.${r.resource}.utilisation`, r.utilisation)),
    ],
  };
}
