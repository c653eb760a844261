// ApproximateTime's options and their checks, with message_filters' defaults.
import type { Nanos } from '../msgs/time';
import { checkPolicyShape } from './sync_policy';

export interface ApproximateTimeOptions {
  /** Number of synchronised topics, 1..9. */
  topics: number;
  /** message_filters queue_size: messages held per topic, including those already looked at. */
  queueSize: number;
  /** Sets whose stamps span more than this are never emitted; undefined = no limit. */
  maxIntervalNs?: Nanos;
  /** Penalty on older candidates, >= 0. Default 0.1, as in message_filters. */
  agePenalty?: number;
  /** Per topic: the least time between two consecutive messages (default 0 for all). */
  interMessageLowerBoundsNs?: readonly Nanos[];
}

/** The options with defaults filled in; throws RangeError on a bad topic count, queue size, penalty, interval or bound. */
export function checkApproximateTimeOptions(
  options: ApproximateTimeOptions,
): Required<Omit<ApproximateTimeOptions, 'maxIntervalNs'>> & { maxIntervalNs: Nanos | undefined } {
  const { topics, queueSize, maxIntervalNs, agePenalty = 0.1, interMessageLowerBoundsNs = [] } = options;
  checkPolicyShape('ApproximateTimePolicy', topics, queueSize);
  if (!(agePenalty >= 0) || !Number.isFinite(agePenalty)) {
    throw new RangeError(`ApproximateTimePolicy: agePenalty = ${agePenalty}; expected a finite number >= 0`);
  }
  if (maxIntervalNs !== undefined && maxIntervalNs < 0n) {
    throw new RangeError(`ApproximateTimePolicy: maxIntervalNs = ${maxIntervalNs}; expected >= 0`);
  }
  if (interMessageLowerBoundsNs.length > topics || interMessageLowerBoundsNs.some((b) => b < 0n)) {
    throw new RangeError(
      `ApproximateTimePolicy: interMessageLowerBoundsNs = [${interMessageLowerBoundsNs.join(', ')}]; ` +
        `expected at most ${topics} values >= 0`,
    );
  }
  return { topics, queueSize, maxIntervalNs, agePenalty, interMessageLowerBoundsNs };
}
