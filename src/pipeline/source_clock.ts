// Host time for the scheduler, in the source's time domain. Sensor stamps come from ROS time,
// sim time (Gazebo, use_sim_time) or a bag's recording time, none of which is this machine's
// wall clock; deadlines are measured from those stamps. This clock runs at wall-clock speed
// from the source time it was last aligned to.
import type { Clock } from '../scheduler/clock';
import type { Nanos } from '../msgs/time';

/** A source clock that jumps by more than this (a loop, a sim reset) is re-aligned. */
const REALIGN_NS = 1_000_000_000n;

export class SourceAlignedClock implements Clock {
  readonly mode = 'host' as const;
  #offset: Nanos | undefined;

  /** Wall time in ns (monotonic within the process). */
  static #wall(): Nanos {
    return process.hrtime.bigint();
  }

  /** Tells the clock the source's current time; aligns on first use and after a jump. */
  observe(sourceNow: Nanos): void {
    const wall = SourceAlignedClock.#wall();
    if (this.#offset === undefined) {
      this.#offset = sourceNow - wall;
      return;
    }
    const drift = sourceNow - (wall + this.#offset);
    if (drift > REALIGN_NS || drift < -REALIGN_NS) this.#offset = sourceNow - wall;
  }

  now(): Nanos {
    return SourceAlignedClock.#wall() + (this.#offset ?? 0n);
  }
}
