// What the core hands to every sink (ROS publishers, the MCAP writer, the demo report).
// Outputs are ready-made ROS messages with their topic and type, so a sink needs no knowledge
// of the stages: it publishes or writes each output as is.
import type { Nanos } from '../msgs/time';

/** One message to publish. */
export interface PerceptionOutput {
  /**
   * Topic relative to the output namespace (e.g. "objects", "front_left/detections",
   * "front_left_front_right/disparity"), or absolute when it starts with "/" ("/diagnostics").
   */
  topic: string;
  /** ROS 2 type name, e.g. "vision_msgs/msg/Detection3DArray". */
  type: string;
  msg: unknown;
}

/** Everything one frame set produced. Every output carries `stamp` in its header. */
export interface PipelineResult {
  seq: number;
  /** Sensor stamp of the frame set. */
  stamp: Nanos;
  outputs: PerceptionOutput[];
  /** What the scheduler did with the set: finished it, or shed it (then outputs hold only the
   * status and diagnostics). */
  decision: 'completed' | 'shed';
  /** Why a set was shed (e.g. "admission_deadline", "superseded"); undefined when completed. */
  shedReason?: string;
  /** Degradation rung the set ran at ("full" when none). */
  rung: string;
}

/** Resolves an output's topic against the node's output namespace ("/perception"). */
export function resolveOutputTopic(namespace: string, topic: string): string {
  if (topic.startsWith('/')) return topic;
  const ns = namespace === '' || namespace === '/' ? '' : `/${namespace.replace(/^\/+|\/+$/g, '')}`;
  return `${ns}/${topic}`;
}
