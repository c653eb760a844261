// The per-topic queues of the ApproximateTime port (approximate_time.ts), as message_filters'
// approximate_time.h keeps them: each topic's deque of messages not yet looked at and its "past"
// of messages looked at for the current candidate, how many deques are non-empty, which topics
// dropped messages, and the inter-message lower-bound check. The candidate search lives in the
// policy; this is the bookkeeping it moves messages through. Names follow the C++ ones.
import type { Nanos } from '../msgs/time';
import type { PolicyCallbacks, PolicyDropReason, Stamped } from './sync_policy';

export class TopicQueues<T> {
  readonly deques: Stamped<T>[][] = [];
  readonly past: Stamped<T>[][] = [];
  readonly hasDroppedMessages: boolean[] = [];
  numNonEmptyDeques = 0;
  readonly #warnedAboutIncorrectBound: boolean[] = [];
  readonly #lowerBounds: readonly Nanos[];
  readonly #cb: PolicyCallbacks<T>;

  constructor(topics: number, lowerBounds: readonly Nanos[], callbacks: PolicyCallbacks<T>) {
    for (let i = 0; i < topics; i++) {
      this.deques.push([]);
      this.past.push([]);
      this.hasDroppedMessages.push(false);
      this.#warnedAboutIncorrectBound.push(false);
    }
    this.#lowerBounds = Array.from({ length: topics }, (_, i) => lowerBounds[i] ?? 0n);
    this.#cb = callbacks;
  }

  /** The least time between two messages of topic i. */
  lowerBound(i: number): Nanos {
    return this.#lowerBounds[i]!;
  }

  /** Warns once per topic when its newest message breaks order or the lower bound. */
  checkInterMessageBound(i: number): void {
    const deque = this.deques[i]!;
    const msgTime = deque[deque.length - 1]!.stamp;
    let previous: Nanos;
    if (deque.length === 1) {
      const past = this.past[i]!;
      if (past.length === 0) return;
      previous = past[past.length - 1]!.stamp;
    } else {
      previous = deque[deque.length - 2]!.stamp;
    }
    if (this.#warnedAboutIncorrectBound[i]) return;
    if (msgTime < previous) {
      this.#warnedAboutIncorrectBound[i] = true;
      this.#cb.onWarning?.(`ApproximateTimePolicy: messages of topic ${i} arrived out of order (warned once)`);
    } else if (msgTime - previous < this.#lowerBounds[i]!) {
      this.#warnedAboutIncorrectBound[i] = true;
      this.#cb.onWarning?.(
        `ApproximateTimePolicy: messages of topic ${i} arrived ${msgTime - previous} ns apart, closer than ` +
          `the lower bound ${this.#lowerBounds[i]} ns (warned once)`,
      );
    }
  }

  /** The oldest message of topic i, dropped for overflowing its queue (its deque stays non-empty). */
  dropOldest(i: number): void {
    const dropped = this.deques[i]!.shift()!;
    this.hasDroppedMessages[i] = true;
    this.#cb.onDrop?.(i, dropped, 'queue_overflow');
  }

  dequeDeleteFront(i: number, reason: PolicyDropReason): void {
    const deque = this.deques[i]!;
    const dropped = deque.shift()!;
    if (deque.length === 0) --this.numNonEmptyDeques;
    this.#cb.onDrop?.(i, dropped, reason);
  }

  dequeMoveFrontToPast(i: number): void {
    const deque = this.deques[i]!;
    this.past[i]!.push(deque.shift()!);
    if (deque.length === 0) --this.numNonEmptyDeques;
  }

  /** Messages looked at for the previous candidate are older than a better one: gone for good. */
  dropPast(): void {
    for (let k = 0; k < this.past.length; k++) {
      const past = this.past[k]!;
      if (past.length === 0) continue;
      this.past[k] = [];
      for (const msg of past) this.#cb.onDrop?.(k, msg, 'older_than_last_set');
    }
  }

  /** Moves the last `counts[i]` looked-at messages of each topic i back to the front of its deque (all of them by default), recounting non-empty deques. */
  recover(counts: readonly number[] = this.past.map((p) => p.length)): void {
    this.numNonEmptyDeques = 0;
    for (let i = 0; i < this.deques.length; i++) {
      const past = this.past[i]!;
      const deque = this.deques[i]!;
      const count = counts[i]!;
      if (count > 0) deque.unshift(...past.splice(past.length - count, count));
      if (deque.length > 0) ++this.numNonEmptyDeques;
    }
  }

  /** Puts back every looked-at message and removes each deque's front (the published set's messages). */
  recoverAndDelete(): void {
    this.numNonEmptyDeques = 0;
    for (let i = 0; i < this.deques.length; i++) {
      const past = this.past[i]!;
      const deque = this.deques[i]!;
      if (past.length > 0) {
        deque.unshift(...past);
        past.length = 0;
      }
      deque.shift();
      if (deque.length > 0) ++this.numNonEmptyDeques;
    }
  }

  /** Removes and returns every message held, oldest stamp first, without reporting drops. */
  drain(): { topic: number; msg: Stamped<T> }[] {
    const out: { topic: number; msg: Stamped<T> }[] = [];
    for (let k = 0; k < this.deques.length; k++) {
      for (const msg of this.past[k]!) out.push({ topic: k, msg });
      for (const msg of this.deques[k]!) out.push({ topic: k, msg });
      this.past[k]!.length = 0;
      this.deques[k]!.length = 0;
      this.hasDroppedMessages[k] = false;
    }
    this.numNonEmptyDeques = 0;
    return out.sort((a, b) => (a.msg.stamp < b.msg.stamp ? -1 : a.msg.stamp > b.msg.stamp ? 1 : 0));
  }
}
