// The message_filters policy for the cameras being synchronised now, from the synchroniser's options.
import type { Frame } from './frame';
import { ApproximateTimePolicy } from './approximate_time';
import { ExactTimePolicy } from './exact_time';
import type { ResolvedSyncOptions } from './sync_options';
import type { PolicyCallbacks, SyncPolicy } from './sync_policy';

export function makePolicy(o: ResolvedSyncOptions, active: readonly string[], callbacks: PolicyCallbacks<Frame>): SyncPolicy<Frame> {
  const topics = active.length;
  return o.policy === 'exact'
    ? new ExactTimePolicy<Frame>({ topics, queueSize: o.queueSize }, callbacks)
    : new ApproximateTimePolicy<Frame>(
        {
          topics,
          queueSize: o.queueSize,
          maxIntervalNs: o.maxIntervalNs,
          agePenalty: o.agePenalty,
          interMessageLowerBoundsNs: active.map((c) => o.interMessageLowerBoundNs[c] ?? 0n),
        },
        callbacks,
      );
}
