// The ApproximateTime policy of ROS message_filters, ported step for step from the C++ header
// (message_filters/sync_policies/approximate_time.h, as shipped by Debian libmessage-filters-dev)
// so that it emits exactly the sets ROS emits; test/sync checks this against the C++ template
// itself. Method and field names follow the C++ ones so the two can be read side by side.
//
// Differences, all additive: every discarded message is reported with a reason, any topic count
// from 1 to 9 works (1 is what a rig degraded to one camera needs), and drain() hands back the
// queued messages when the caller rebuilds the policy, and finish() publishes the candidate that
// only a later message would prove best, when no later message will come (the end of a bag). The C++ sim-time "reset" option is not
// ported: FrameSynchronizer detects time jumps on sensor stamps itself. The per-topic queues
// and their bookkeeping are in approximate_time_queues.ts; this file is the candidate search.
import type { Nanos } from '../msgs/time';
import { checkApproximateTimeOptions, type ApproximateTimeOptions } from './approximate_time_options';
import { TopicQueues } from './approximate_time_queues';
import { scaleDurationLikeRos } from './ros_duration';
import type { PolicyCallbacks, Stamped, SyncPolicy } from './sync_policy';

export type { ApproximateTimeOptions } from './approximate_time_options';

const NO_PIVOT = -1;

export class ApproximateTimePolicy<T> implements SyncPolicy<T> {
  readonly topics: number;
  readonly #queueSize: number;
  readonly #maxInterval: Nanos | undefined;
  readonly #ageFactor: number;
  readonly #cb: PolicyCallbacks<T>;
  readonly #q: TopicQueues<T>;
  readonly #virtualTimes: Nanos[];
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
    this.#q = new TopicQueues(topics, interMessageLowerBoundsNs, callbacks);
    this.#virtualTimes = new Array<Nanos>(topics).fill(0n);
  }

  add(topic: number, stamp: Nanos, payload: T): void {
    if (!Number.isInteger(topic) || topic < 0 || topic >= this.topics) {
      throw new RangeError(`ApproximateTimePolicy.add: topic = ${topic}; expected an integer in [0, ${this.topics})`);
    }
    const q = this.#q;
    const deque = q.deques[topic]!;
    deque.push({ stamp, payload });
    if (deque.length === 1) {
      ++q.numNonEmptyDeques;
      if (q.numNonEmptyDeques === this.topics) this.#process();
    } else {
      q.checkInterMessageBound(topic);
    }
    // During the process() above, the deque may hold queue_size + 1 messages.
    if (deque.length + q.past[topic]!.length > this.#queueSize) {
      // Cancel the ongoing candidate search, if any.
      q.recover();
      q.dropOldest(topic);
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
    this.#candidate = null;
    this.#pivot = NO_PIVOT;
    return this.#q.drain();
  }

  #makeCandidate(): void {
    this.#candidate = this.#q.deques.map((d) => d[0]!);
    this.#q.dropPast();
  }

  #publishCandidate(): void {
    const set = this.#candidate as Stamped<T>[];
    this.#candidate = null;
    this.#pivot = NO_PIVOT;
    this.#q.recoverAndDelete();
    this.#cb.onSet(set);
  }

  /** Index of the latest (end) or earliest (!end) deque head; ties resolve as in C++. */
  #candidateBoundary(end: boolean): number {
    return boundary(
      this.#q.deques.map((d) => d[0]!.stamp),
      end,
    );
  }

  #virtualTime(i: number): Nanos {
    const deque = this.#q.deques[i]!;
    if (deque.length > 0) return deque[0]!.stamp;
    // Once the input has ended, an empty topic's next message is never: beyond any candidate.
    if (this.#ended) return this.#pivotTime + (1n << 62n);
    const past = this.#q.past[i]!;
    const lowerBound = past[past.length - 1]!.stamp + this.#q.lowerBound(i);
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
    const q = this.#q;
    while (q.numNonEmptyDeques === n) {
      const endIndex = this.#candidateBoundary(true);
      const startIndex = this.#candidateBoundary(false);
      const endTime = q.deques[endIndex]![0]!.stamp;
      const startTime = q.deques[startIndex]![0]!.stamp;
      for (let i = 0; i < n; i++) {
        // No dropped message could have been better than the ones held, so topic i may pivot again.
        if (i !== endIndex) q.hasDroppedMessages[i] = false;
      }
      if (this.#pivot === NO_PIVOT) {
        if (this.#maxInterval !== undefined && endTime - startTime > this.#maxInterval) {
          q.dequeDeleteFront(startIndex, 'max_interval');
          continue;
        }
        if (q.hasDroppedMessages[endIndex]) {
          q.dequeDeleteFront(startIndex, 'no_match_pivot');
          continue;
        }
        this.#makeCandidate();
        this.#candidateStart = startTime;
        this.#candidateEnd = endTime;
        this.#pivot = endIndex;
        this.#pivotTime = endTime;
        q.dequeMoveFrontToPast(startIndex);
      } else if (this.#penalised(endTime) >= startTime - this.#candidateStart) {
        q.dequeMoveFrontToPast(startIndex);
      } else {
        this.#makeCandidate();
        this.#candidateStart = startTime;
        this.#candidateEnd = endTime;
        q.dequeMoveFrontToPast(startIndex);
      }
      if (startIndex === this.#pivot) {
        // Every candidate for this pivot has been tried.
        this.#publishCandidate();
      } else if (this.#penalised(endTime) >= this.#pivotTime - this.#candidateStart) {
        // Any later candidate contains [pivot_time, end_time], already too wide: provably optimal.
        this.#publishCandidate();
      } else if (q.numNonEmptyDeques < n) {
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
        this.#q.recover(moves);
        return;
      }
      this.#q.dequeMoveFrontToPast(startIndex);
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
