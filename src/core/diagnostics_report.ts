// When /diagnostics goes out, and what "since the last report" means. Diagnostics are for people
// and monitors, at about 1 Hz (the usual rate of ROS diagnostic publishers), not one array per
// frame set; each report compares the running counters with the previous report's, so reading
// a counter never resets it.
import type { Nanos } from '../msgs/time';
import type { SchedulerStats } from '../scheduler/outcomes';

/** One /diagnostics array per this much of the sets' own time (sensor stamps). */
export const DIAGNOSTICS_PERIOD_NS = 1_000_000_000n;

export interface SinceLastReport {
  newMisses: number;
  newShed: number;
  newDrops: number;
}

export class DiagnosticsReport {
  #lastStamp: Nanos | undefined;
  #reported = { misses: 0, shed: 0, drops: 0n };

  /**
   * Whether a set stamped `stamp` carries a report: the first set does, then the first one a
   * period after the last report. Stamps that jump back (a bag loop) start the period over.
   */
  due(stamp: Nanos): boolean {
    const last = this.#lastStamp;
    if (last !== undefined && stamp >= last && stamp - last < DIAGNOSTICS_PERIOD_NS) return false;
    this.#lastStamp = stamp;
    return true;
  }

  /** Deadline misses, shed sets and dropped input messages since the previous call. */
  since(stats: SchedulerStats, droppedMessages: bigint): SinceLastReport {
    const r = this.#reported;
    const since = {
      newMisses: stats.deadlineMisses - r.misses,
      newShed: stats.shedTotal - r.shed,
      newDrops: Number(droppedMessages - r.drops),
    };
    this.#reported = { misses: stats.deadlineMisses, shed: stats.shedTotal, drops: droppedMessages };
    return since;
  }
}
