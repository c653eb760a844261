// What the bag reader needs from one storage file (an .mcap or a .db3), whatever its format.
import type { Nanos } from '../msgs/time';

/** One topic as a storage file records it. */
export interface StorageTopic {
  name: string;
  /** `pkg/msg/Name`. */
  type: string;
  serializationFormat: string;
  /** Messages of this topic in this file. */
  count: number;
  /** The offered QoS profiles, as the YAML text rosbag2 stores with the topic. */
  offeredQos?: string;
  /** The message definition stored with the topic, when the file has one. */
  schema?: { encoding: string; text: string };
}

/** One serialized message as stored. */
export interface StoredMessage {
  topic: string;
  logTime: Nanos;
  publishTime?: Nanos;
  data: Uint8Array;
}

/** Selection of messages; times are inclusive and in log time. */
export interface StorageQuery {
  topics?: ReadonlySet<string>;
  start?: Nanos;
  end?: Nanos;
}

/** What a read skipped as damaged: parts (chunks, records, rows, the unreadable tail) and the messages in them, where known. */
export interface SkipTally {
  parts: number;
  messages: number;
}

/** An open storage file. Messages stream in log-time order; close() releases the file. */
export interface BagStorage {
  readonly file: string;
  readonly topics: readonly StorageTopic[];
  readonly messageCount: number;
  /** First and last log time; undefined when the file holds no message. */
  readonly timeRange?: { start: Nanos; end: Nanos };
  /** The ROS distribution that wrote the file, when the file records it. */
  readonly rosDistro?: string;
  /** Damage skipped so far, each part also reported by the opener's warning callback. */
  readonly skipped: SkipTally;
  messages(query: StorageQuery): AsyncIterable<StoredMessage>;
  close(): Promise<void>;
}
