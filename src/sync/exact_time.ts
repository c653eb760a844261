// The ExactTime policy of ROS message_filters (sync_policies/exact_time.h): a set is emitted when
// every topic has a message with the same stamp. As in C++, emitting a set discards every
// incomplete stamp at or before it, and at most queueSize incomplete stamps are kept (oldest
// dropped first). Unlike C++, each discarded message is reported on its own with a reason.
import type { Nanos } from '../msgs/time';
import { checkPolicyShape, type PolicyCallbacks, type PolicyDropReason, type Stamped, type SyncPolicy } from './sync_policy';

export interface ExactTimeOptions {
  /** Number of synchronised topics, 1..9. */
  topics: number;
  /** Incomplete stamps kept at most. */
  queueSize: number;
}

export class ExactTimePolicy<T> implements SyncPolicy<T> {
  readonly topics: number;
  readonly #queueSize: number;
  readonly #cb: PolicyCallbacks<T>;
  /** Incomplete tuples by stamp; #order keeps their stamps sorted ascending (it stays small). */
  readonly #tuples = new Map<Nanos, (Stamped<T> | undefined)[]>();
  #order: Nanos[] = [];

  /** Throws RangeError on a bad topic count or queue size. */
  constructor(options: ExactTimeOptions, callbacks: PolicyCallbacks<T>) {
    checkPolicyShape('ExactTimePolicy', options.topics, options.queueSize);
    this.topics = options.topics;
    this.#queueSize = options.queueSize;
    this.#cb = callbacks;
  }

  add(topic: number, stamp: Nanos, payload: T): void {
    if (!Number.isInteger(topic) || topic < 0 || topic >= this.topics) {
      throw new RangeError(`ExactTimePolicy.add: topic = ${topic}; expected an integer in [0, ${this.topics})`);
    }
    let tuple = this.#tuples.get(stamp);
    if (tuple === undefined) {
      tuple = new Array<Stamped<T> | undefined>(this.topics).fill(undefined);
      this.#tuples.set(stamp, tuple);
      this.#insertOrdered(stamp);
    }
    const replaced = tuple[topic];
    tuple[topic] = { stamp, payload };
    if (replaced !== undefined) this.#cb.onDrop?.(topic, replaced, 'duplicate_stamp');

    if (tuple.every((m) => m !== undefined)) {
      this.#remove(stamp);
      // Everything at or before the emitted stamp can no longer complete in order.
      while (this.#order.length > 0 && this.#order[0] <= stamp) this.#dropTuple(this.#order[0], 'exact_unmatched');
      this.#cb.onSet(tuple as Stamped<T>[]);
    }
    while (this.#order.length > this.#queueSize) this.#dropTuple(this.#order[0], 'queue_overflow');
  }

  /** A set is emitted as soon as its stamp is complete, so none waits for more input. */
  finish(): void {}

  drain(): { topic: number; msg: Stamped<T> }[] {
    const out: { topic: number; msg: Stamped<T> }[] = [];
    for (const stamp of this.#order) {
      (this.#tuples.get(stamp) as (Stamped<T> | undefined)[]).forEach((msg, topic) => {
        if (msg !== undefined) out.push({ topic, msg });
      });
    }
    this.#tuples.clear();
    this.#order = [];
    return out;
  }

  #insertOrdered(stamp: Nanos): void {
    let i = this.#order.length;
    while (i > 0 && this.#order[i - 1] > stamp) i--;
    this.#order.splice(i, 0, stamp);
  }

  #remove(stamp: Nanos): void {
    this.#tuples.delete(stamp);
    this.#order.splice(this.#order.indexOf(stamp), 1);
  }

  #dropTuple(stamp: Nanos, reason: PolicyDropReason): void {
    const tuple = this.#tuples.get(stamp) as (Stamped<T> | undefined)[];
    this.#remove(stamp);
    tuple.forEach((msg, topic) => {
      if (msg !== undefined) this.#cb.onDrop?.(topic, msg, reason);
    });
  }
}
