// What the core hands to every sink (ROS publishers, the MCAP writer, the demo report).
// Outputs are ready-made ROS messages with their topic and type, so a sink needs no knowledge
// of the stages: it publishes or writes each output as is. The union is keyed by the ROS type, so
// a consumer that narrows on `type` (or calls outputOf) gets the message typed, without a cast.
import type { Nanos } from '../msgs/time';
import type {
  CameraInfo,
  Detection2DArray,
  Detection3DArray,
  DiagnosticArray,
  DisparityImage,
  Image,
  LaserScan,
  MarkerArray,
  PipelineStatus,
  PointCloud2,
  TrackedObjectArray,
} from '../msgs/types';

/** The message of every ROS type the pipeline publishes. */
export interface OutputMessages {
  'vision_msgs/msg/Detection3DArray': Detection3DArray;
  'vision_msgs/msg/Detection2DArray': Detection2DArray;
  'dx_perception/msg/TrackedObjectArray': TrackedObjectArray;
  'sensor_msgs/msg/PointCloud2': PointCloud2;
  'sensor_msgs/msg/LaserScan': LaserScan;
  'sensor_msgs/msg/Image': Image;
  'sensor_msgs/msg/CameraInfo': CameraInfo;
  'stereo_msgs/msg/DisparityImage': DisparityImage;
  'visualization_msgs/msg/MarkerArray': MarkerArray;
  'dx_perception/msg/PipelineStatus': PipelineStatus;
  'diagnostic_msgs/msg/DiagnosticArray': DiagnosticArray;
}

export type OutputType = keyof OutputMessages;

/** One message of ROS type K. */
export interface OutputOf<K extends OutputType> {
  /**
   * Topic relative to the output namespace (e.g. "objects", "front_left/detections",
   * "front_left_front_right/disparity"), or absolute when it starts with "/" ("/diagnostics").
   */
  topic: string;
  /** ROS 2 type name, e.g. "vision_msgs/msg/Detection3DArray". */
  type: K;
  msg: OutputMessages[K];
}

/** One message to publish: a union keyed by `type`, so narrowing on it types `msg`. */
export type PerceptionOutput = { [K in OutputType]: OutputOf<K> }[OutputType];

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

/** Every output of `type` in a result, in publishing order. */
export function outputsOf<K extends OutputType>(r: Pick<PipelineResult, 'outputs'>, type: K): Array<OutputOf<K>> {
  return r.outputs.filter((o): o is PerceptionOutput & OutputOf<K> => o.type === type);
}

/** The message of the first output of `type`, or undefined when the set has none (a shed set). */
export function outputOf<K extends OutputType>(r: Pick<PipelineResult, 'outputs'>, type: K): OutputMessages[K] | undefined {
  return outputsOf(r, type)[0]?.msg;
}

/** Resolves an output's topic against the node's output namespace ("/perception"). */
export function resolveOutputTopic(namespace: string, topic: string): string {
  if (topic.startsWith('/')) return topic;
  const ns = namespace === '' || namespace === '/' ? '' : `/${namespace.replace(/^\/+|\/+$/g, '')}`;
  return `${ns}/${topic}`;
}
