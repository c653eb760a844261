// The ApproximateTime policy of ROS message_filters, ported step for step from the C++ header
// (message_filters/sync_policies/approximate_time.h, as shipped by Debian libmessage-filters-dev)
// so that it emits exactly the sets ROS emits; test/sync checks this against the C++ template
// itself. Method and field names follow the C++ ones so the two can be read side by side.
//
// Differences, all additive: every discarded message is reported with a reason, any topic count
// from 1 to 9 works (1 is what a rig degraded to one camera needs), and drain() hands back the
// queued messages when the caller rebuilds the policy, and finish() publishes the candidate that
// only a later message would prove best, when no later message will come (the end of a bag). The C++ sim-time "reset" option is not
// ported: FrameSynchronizer detects time jumps on sensor stamps itself.
import type { Nanos } from '../msgs/time';
import { checkApproximateTimeOptions, type ApproximateTimeOptions } from './approximate_time_options';
import { scaleDurationLikeRos } from './ros_duration';
import type { PolicyCallbacks, PolicyDropReason, Stamped, SyncPolicy } from './sync_policy';

export type { ApproximateTimeOptions } from './approximate_time_options';

const NO_PIVOT = -1;

export class ApproximateTimePolicy<T> implements SyncPolicy<T> {
  readonly topics: number;
  readonly #queueSize: number;
  readonly #maxInterval: Nanos | undefined;
  readonly #ageFactor: number;
  readonly #lowerBounds: Nanos[];
  readonly #cb: PolicyCallbacks<T>;

  readonly #deques: Stamped<T>[][] = [];
  readonly #past: Stamped<T>[][] = [];
  readonly #hasDroppedMessages: boolean[] = [];
  readonly #warnedAboutIncorrectBound: boolean[] = [];
  readonly #virtualTimes: Nanos[] = [];
  #numNonEmptyDeques = 0;
  #candidate: Stamped<T>[] | null = null;
  #candidateStart: Nanos = 0n;
  #candidateEnd: Nanos = 0n;
  #pivotTime: Nanos = 0n;
  #pivot = NO_PIVOT;
  /** finish() is running: an empty topic will never get another message. */
  #ended = false;

  /** Throws RangeError on a bad topic count, queue size, penalty, interval or bound. */
  constructor(options: ApproximateTimeOptions, callbacks: PolicyCallbacks<T>) {
    const { topics, queueSize, maxIntervalNs, agePenalty, interMessageLowerBoundsNs } = checkApproximateTimeOptions(options);
    this.topics = topics;
    this.#queueSize = queueSize;
    this.#maxInterval = maxIntervalNs;
    this.#ageFactor = 1 + agePenalty;
    this.#cb = callbacks;
    for (let i = 0; i < topics; i++) {
      this.#deques.push([]);
      this.#past.push([]);
      this.#hasDroppedMessages.push(false);
      this.#warnedAboutIncorrectBound.push(false);
      this.#virtualTimes.push(0n);
    }
    this.#lowerBounds = Array.from({ length: topics }, (_, i) => interMessageLowerBoundsNs[i] ?? 0n);
  }

  add(topic: number, stamp: Nanos, payload: T): void {
    if (!Number.isInteger(topic) || topic < 0 || topic >= this.topics) {
      throw new RangeError(`ApproximateTimePolicy.add: topic = ${topic}; expected an integer in [0, ${this.topics})`);
    }
    const deque = this.#deques[topic];
    deque.push({ stamp, payload });
    if (deque.length === 1) {
      ++this.#numNonEmptyDeques;
      if (this.#numNonEmptyDeques === this.topics) this.#process();
    } else {
      this.#checkInterMessageBound(topic);
    }
    // During the process() above, the deque may hold queue_size + 1 messages.
    if (deque.length + this.#past[topic].length > this.#queueSize) {
      // Cancel the ongoing candidate search, if any.
      this.#numNonEmptyDeques = 0;
      for (let k = 0; k < this.topics; k++) this.#recover(k, this.#past[k].length);
      const dropped = deque.shift() as Stamped<T>;
      this.#hasDroppedMessages[topic] = true;
      this.#cb.onDrop?.(topic, dropped, 'queue_overflow');
      if (this.#pivot !== NO_PIVOT) {
        this.#candidate = null;
        this.#pivot = NO_PIVOT;
        this.#process();
      }
    }
  }

  finish(): void {
    this.#ended = true;
    try {
      if (this.#pivot !== NO_PIVOT) this.#virtualSearch();
      this.#process();
    } finally {
      this.#ended = false;
    }
  }

  drain(): { topic: number; msg: Stamped<T> }[] {
    const out: { topic: number; msg: Stamped<T> }[] = [];
    for (let k = 0; k < this.topics; k++) {
      for (const msg of this.#past[k]) out.push({ topic: k, msg });
      for (const msg of this.#deques[k]) out.push({ topic: k, msg });
      this.#past[k].length = 0;
      this.#deques[k].length = 0;
      this.#hasDroppedMessages[k] = false;
    }
    this.#numNonEmptyDeques = 0;
    this.#candidate = null;
    this.#pivot = NO_PIVOT;
    return out.sort((a, b) => (a.msg.stamp < b.msg.stamp ? -1 : a.msg.stamp > b.msg.stamp ? 1 : 0));
  }

  #checkInterMessageBound(i: number): void {
    const deque = this.#deques[i];
    const msgTime = deque[deque.length - 1].stamp;
    let previous: Nanos;
    if (deque.length === 1) {
      const past = this.#past[i];
      if (past.length === 0) return;
      previous = past[past.length - 1].stamp;
    } else {
      previous = deque[deque.length - 2].stamp;
    }
    if (this.#warnedAboutIncorrectBound[i]) return;
    if (msgTime < previous) {
      this.#warnedAboutIncorrectBound[i] = true;
      this.#cb.onWarning?.(`ApproximateTimePolicy: messages of topic ${i} arrived out of order (warned once)`);
    } else if (msgTime - previous < this.#lowerBounds[i]) {
      this.#warnedAboutIncorrectBound[i] = true;
      this.#cb.onWarning?.(
        `ApproximateTimePolicy: messages of topic ${i} arrived ${msgTime - previous} ns apart, closer than ` +
          `the lower bound ${this.#lowerBounds[i]} ns (warned once)`,
      );
    }
  }

  #dequeDeleteFront(i: number, reason: PolicyDropReason): void {
    const deque = this.#deques[i];
    const dropped = deque.shift() as Stamped<T>;
    if (deque.length === 0) --this.#numNonEmptyDeques;
    this.#cb.onDrop?.(i, dropped, reason);
  }

  #dequeMoveFrontToPast(i: number): void {
    const deque = this.#deques[i];
    this.#past[i].push(deque.shift() as Stamped<T>);
    if (deque.length === 0) --this.#numNonEmptyDeques;
  }

  #makeCandidate(): void {
    this.#candidate = this.#deques.map((d) => d[0]);
    // Messages looked at for the previous candidate are older than this better one: gone for good.
    for (let k = 0; k < this.topics; k++) {
      const past = this.#past[k];
      if (past.length === 0) continue;
      this.#past[k] = [];
      for (const msg of past) this.#cb.onDrop?.(k, msg, 'older_than_last_set');
    }
  }

  /** Moves the last `count` looked-at messages of topic i back to the front of its deque. */
  #recover(i: number, count: number): void {
    const past = this.#past[i];
    const deque = this.#deques[i];
    if (count > 0) deque.unshift(...past.splice(past.length - count, count));
    if (deque.length > 0) ++this.#numNonEmptyDeques;
  }

  #recoverAndDelete(i: number): void {
    const past = this.#past[i];
    const deque = this.#deques[i];
    if (past.length > 0) {
      deque.unshift(...past);
      past.length = 0;
    }
    deque.shift(); // the message that went into the published set
    if (deque.length > 0) ++this.#numNonEmptyDeques;
  }

  #publishCandidate(): void {
    const set = this.#candidate as Stamped<T>[];
    this.#candidate = null;
    this.#pivot = NO_PIVOT;
    this.#numNonEmptyDeques = 0;
    for (let k = 0; k < this.topics; k++) this.#recoverAndDelete(k);
    this.#cb.onSet(set);
  }

  /** Index of the latest (end) or earliest (!end) deque head; ties resolve as in C++. */
  #candidateBoundary(end: boolean): number {
    return boundary(
      this.#deques.map((d) => d[0].stamp),
      end,
    );
  }

  #virtualTime(i: number): Nanos {
    const deque = this.#deques[i];
    if (deque.length > 0) return deque[0].stamp;
    // Once the input has ended, an empty topic's next message is never: beyond any candidate.
    if (this.#ended) return this.#pivotTime + (1n << 62n);
    const past = this.#past[i];
    const lowerBound = past[past.length - 1].stamp + this.#lowerBounds[i];
    return lowerBound > this.#pivotTime ? lowerBound : this.#pivotTime;
  }

  #virtualCandidateBoundary(end: boolean): number {
    const vt = this.#virtualTimes;
    for (let i = 0; i < this.topics; i++) vt[i] = this.#virtualTime(i);
    return boundary(vt, end);
  }

  #penalised(endTime: Nanos): Nanos {
    return scaleDurationLikeRos(endTime - this.#candidateEnd, this.#ageFactor);
  }

  #process(): void {
    const n = this.topics;
    while (this.#numNonEmptyDeques === n) {
      const endIndex = this.#candidateBoundary(true);
      const startIndex = this.#candidateBoundary(false);
      const endTime = this.#deques[endIndex][0].stamp;
      const startTime = this.#deques[startIndex][0].stamp;
      for (let i = 0; i < n; i++) {
        // No dropped message could have been better than the ones held, so topic i may pivot again.
        if (i !== endIndex) this.#hasDroppedMessages[i] = false;
      }
      if (this.#pivot === NO_PIVOT) {
        if (this.#maxInterval !== undefined && endTime - startTime > this.#maxInterval) {
          this.#dequeDeleteFront(startIndex, 'max_interval');
          continue;
        }
        if (this.#hasDroppedMessages[endIndex]) {
          this.#dequeDeleteFront(startIndex, 'no_match_pivot');
          continue;
        }
        this.#makeCandidate();
        this.#candidateStart = startTime;
        this.#candidateEnd = endTime;
        this.#pivot = endIndex;
        this.#pivotTime = endTime;
        this.#dequeMoveFrontToPast(startIndex);
      } else if (this.#penalised(endTime) >= startTime - this.#candidateStart) {
        this.#dequeMoveFrontToPast(startIndex);
      } else {
        this.#makeCandidate();
        this.#candidateStart = startTime;
        this.#candidateEnd = endTime;
        this.#dequeMoveFrontToPast(startIndex);
      }
      if (startIndex === this.#pivot) {
        // Every candidate for this pivot has been tried.
        this.#publishCandidate();
      } else if (this.#penalised(endTime) >= this.#pivotTime - this.#candidateStart) {
        // Any later candidate contains [pivot_time, end_time], already too wide: provably optimal.
        this.#publishCandidate();
      } else if (this.#numNonEmptyDeques < n) {
        this.#virtualSearch();
      }
    }
  }

  /** Uses the inter-message lower bounds to prove the candidate optimal before more data comes. */
  #virtualSearch(): void {
    const moves = new Array<number>(this.topics).fill(0);
    for (;;) {
      const endIndex = this.#virtualCandidateBoundary(true);
      const endTime = this.#virtualTimes[endIndex];
      const startIndex = this.#virtualCandidateBoundary(false);
      const startTime = this.#virtualTimes[startIndex];
      if (this.#penalised(endTime) >= this.#pivotTime - this.#candidateStart) {
        this.#publishCandidate(); // also undoes the virtual moves
        return;
      }
      if (this.#penalised(endTime) < startTime - this.#candidateStart) {
        // An optimistic future candidate beats the current one: wait for more messages.
        this.#numNonEmptyDeques = 0;
        for (let k = 0; k < this.topics; k++) this.#recover(k, moves[k]);
        return;
      }
      this.#dequeMoveFrontToPast(startIndex);
      moves[startIndex]++;
    }
  }
}

/** Index of the latest (end: the last of equal ones) or earliest (!end: the first) time, as C++ picks. */
function boundary(times: readonly Nanos[], end: boolean): number {
  let index = 0;
  for (let i = 1; i < times.length; i++) if (times[i]! < times[index]! !== end) index = i;
  return index;
}
