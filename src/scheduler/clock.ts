// The scheduler's notion of "now", in the same integer-nanosecond domain as sensor stamps.
// HostClock reads this machine's wall clock; VirtualClock only moves when told to, by the
// profiled stage times in target-time replay, so decisions do not depend on host speed.
import type { Nanos } from '../msgs/time';

export interface Clock {
  /** Current time, ns since the epoch (the sensor stamp domain). */
  now(): Nanos;
  /** 'host' or 'target', as published in PipelineStatus.time_mode. */
  readonly mode: 'host' | 'target';
}

/** Wall-clock time with sub-millisecond resolution (performance.timeOrigin + performance.now()). */
export class HostClock implements Clock {
  readonly mode = 'host' as const;
  readonly #originNs = BigInt(Math.round(performance.timeOrigin * 1e6));

  now(): Nanos {
    return this.#originNs + BigInt(Math.round(performance.now() * 1e6));
  }
}

/** A clock that stands still until advanced. Time never goes backwards. */
export class VirtualClock implements Clock {
  readonly mode = 'target' as const;
  #now: Nanos;

  constructor(start: Nanos = 0n) {
    this.#now = start;
  }

  now(): Nanos {
    return this.#now;
  }

  /** Moves to `t` if it is later than now; earlier times are ignored (monotonic). */
  advanceTo(t: Nanos): void {
    if (t > this.#now) this.#now = t;
  }

  /** Moves forward by `ns` (must be >= 0). */
  advanceBy(ns: Nanos): void {
    if (ns < 0n) throw new RangeError(`VirtualClock#advanceBy: ${ns} ns; expected a non-negative duration`);
    this.#now += ns;
  }
}
