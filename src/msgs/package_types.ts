// dx_perception's own messages (msg/*.msg). The codec reads the .msg files themselves; these
// shapes mirror them and test/msgs checks that every field here exists there and vice versa.
import type { Header, Vector3, PoseWithCovariance, TwistWithCovariance } from './common_types';

export const TrackState = { TENTATIVE: 0, CONFIRMED: 1, COASTING: 2 } as const;
export interface TrackedObject {
  header: Header;
  id: number;
  class_id: string;
  score: number;
  state: number;
  pose: PoseWithCovariance;
  size: Vector3;
  velocity: TwistWithCovariance;
  age: number;
  hits: number;
  source_cameras: string[];
}
export interface TrackedObjectArray {
  header: Header;
  objects: TrackedObject[];
}
export interface StageTiming {
  name: string;
  budget_ms: number;
  predicted_ms: number;
  measured_ms: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
}
export interface ShedCount {
  reason: string;
  count: bigint;
}
export interface PipelineStatus {
  header: Header;
  time_mode: string;
  period_ms: number;
  deadline_ms: number;
  frame_sets_received: bigint;
  frame_sets_completed: bigint;
  deadline_misses: bigint;
  shed_total: bigint;
  shed: ShedCount[];
  degradation_level: string;
  stages: StageTiming[];
  predicted_total_ms: number;
  measured_total_ms: number;
  latency_ms: number;
  active_cameras: string[];
  dropped_messages: bigint;
  depth_age_ms: number;
}
