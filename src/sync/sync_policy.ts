// What the frame synchroniser needs from a synchronisation policy (ApproximateTime, ExactTime):
// messages go in per topic index, complete sets and every discarded message come out through
// callbacks. Policies are generic over the payload so they can be tested on bare stamps.
import type { Nanos } from '../msgs/time';

/** One message inside a policy: its sensor stamp and whatever the caller attached to it. */
export interface Stamped<T> {
  stamp: Nanos;
  payload: T;
}

/**
 * Why a policy discarded a message.
 * - queue_overflow: the topic held more than queue_size messages (oldest dropped).
 * - max_interval: no set around this message fits in the maximum interval.
 * - no_match_pivot: the message could only pair with a topic that itself dropped messages,
 *   so no set containing it could be proven best (message_filters' has_dropped_messages rule).
 * - older_than_last_set: a better (later) set was found, so this older message can never be used.
 * - exact_unmatched: ExactTime emitted a later set before this stamp became complete.
 * - duplicate_stamp: ExactTime received the same stamp twice on one topic; the newer one is kept.
 */
export type PolicyDropReason =
  'queue_overflow' | 'max_interval' | 'no_match_pivot' | 'older_than_last_set' | 'exact_unmatched' | 'duplicate_stamp';

export interface PolicyCallbacks<T> {
  /** A complete set: element i is the message of topic i. */
  onSet(set: Stamped<T>[]): void;
  onDrop?(topic: number, msg: Stamped<T>, reason: PolicyDropReason): void;
  onWarning?(message: string): void;
}

export interface SyncPolicy<T> {
  readonly topics: number;
  /**
   * Adds one message of `topic` (0-based). May synchronously call onSet/onDrop. Callers must
   * not call add() again from inside those callbacks.
   */
  add(topic: number, stamp: Nanos, payload: T): void;
  /**
   * No more messages will come (end of a bag, a time jump): emits every set the held messages
   * still make. Later add() calls work as before.
   */
  finish(): void;
  /** Removes and returns every message still held, oldest stamp first, without reporting drops. */
  drain(): { topic: number; msg: Stamped<T> }[];
}

/** Shared validation of the topic count and queue size, with errors naming the policy. */
export function checkPolicyShape(policy: string, topics: number, queueSize: number): void {
  if (!Number.isInteger(topics) || topics < 1 || topics > 9) {
    throw new RangeError(`${policy}: topics = ${topics}; expected an integer in [1, 9]`);
  }
  if (!Number.isInteger(queueSize) || queueSize < 1) {
    throw new RangeError(`${policy}: queueSize = ${queueSize}; expected a positive integer`);
  }
}
