// A message read from a bag: its bytes, and a decode() that runs only when the caller wants the
// value, so filtering and counting never pay for deserialization.
import { decodeMessage } from '../msgs/codec';
import type { Nanos } from '../msgs/time';

/** One message of a bag, in the order the bag reader yields them. */
export interface BagMessage {
  topic: string;
  /** `pkg/msg/Name`. */
  type: string;
  /** Receive time as recorded by rosbag2 (the time the bag is ordered by). */
  logTime: Nanos;
  publishTime?: Nanos;
  /** Serialized CDR bytes. */
  data: Uint8Array;
  /** Deserializes data; throws MessageDecodeError when it cannot, so callers can warn and skip. */
  decode<T = unknown>(): T;
}

/** A message that could not be decoded; names where it came from. */
export class MessageDecodeError extends Error {
  constructor(
    readonly topic: string,
    readonly type: string,
    readonly logTime: Nanos,
    reason: string,
  ) {
    super(`cannot decode message on ${topic} (${type}) at log time ${logTime} ns: ${reason}`);
    this.name = 'MessageDecodeError';
  }
}

/**
 * Builds a BagMessage. `unusable` is why messages of this topic cannot be decoded at all (an
 * unsupported serialization format, a schema that failed to parse), reported on decode().
 */
export function bagMessage(
  m: { topic: string; logTime: Nanos; publishTime?: Nanos; data: Uint8Array },
  type: string,
  unusable: string | undefined,
): BagMessage {
  return {
    topic: m.topic,
    type,
    logTime: m.logTime,
    publishTime: m.publishTime,
    data: m.data,
    decode<T>(): T {
      if (unusable !== undefined) throw new MessageDecodeError(m.topic, type, m.logTime, unusable);
      try {
        return decodeMessage<T>(type, m.data);
      } catch (err) {
        throw new MessageDecodeError(m.topic, type, m.logTime, (err as Error).message);
      }
    },
  };
}
