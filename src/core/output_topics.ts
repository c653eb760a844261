// The outputs every frame set publishes, whatever the cameras and models: their topics (from
// the configuration) and ROS types. Sinks advertise them up front, so a subscriber can connect
// (and `ros2 topic echo` can resolve the type) before the first frame set is done.
import type { PerceptionConfig } from '../config/config_schema';

export const OUTPUT_TYPES = {
  objects: 'vision_msgs/msg/Detection3DArray',
  tracks: 'dx_perception/msg/TrackedObjectArray',
  obstacles: 'sensor_msgs/msg/PointCloud2',
  scan: 'sensor_msgs/msg/LaserScan',
  markers: 'visualization_msgs/msg/MarkerArray',
  status: 'dx_perception/msg/PipelineStatus',
  diagnostics: 'diagnostic_msgs/msg/DiagnosticArray',
} as const;

export const DIAGNOSTICS_TOPIC = '/diagnostics';

/** Keep-last depth of every output publisher (and of a replay's output bag): consumers want the latest result, not a backlog. */
export const OUTPUT_HISTORY_DEPTH = 5;

/** Topics (relative to the output namespace, or absolute) and types published for every frame set. */
export function standingOutputs(c: PerceptionConfig): Array<{ topic: string; type: string }> {
  const t = c.topics;
  return [
    { topic: t.objects, type: OUTPUT_TYPES.objects },
    { topic: t.tracks, type: OUTPUT_TYPES.tracks },
    { topic: t.obstacles, type: OUTPUT_TYPES.obstacles },
    { topic: t.scan, type: OUTPUT_TYPES.scan },
    ...(c.outputs.markers ? [{ topic: t.markers, type: OUTPUT_TYPES.markers }] : []),
    { topic: t.status, type: OUTPUT_TYPES.status },
    ...(c.outputs.diagnostics ? [{ topic: DIAGNOSTICS_TOPIC, type: OUTPUT_TYPES.diagnostics }] : []),
  ];
}
