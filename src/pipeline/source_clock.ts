// Host time for the scheduler, in the source's time domain. Sensor stamps come from ROS time,
// sim time (Gazebo, use_sim_time, `ros2 bag play -r`) or a bag's recording time, none of which
// is this machine's wall clock, and none of which need run at wall-clock speed; deadlines are
// measured from those stamps. This clock follows the source: every observation re-anchors it,
// and between observations it runs at wall-clock speed, never backwards (a source slower than
// the wall clock makes it wait for the next observation instead).
import type { Clock } from '../scheduler/clock';
import type { Nanos } from '../msgs/time';

/** A source clock that jumps back by more than this (a bag loop, a sim reset) restarts the clock. */
const RESET_NS = 1_000_000_000n;

export class SourceAlignedClock implements Clock {
  readonly mode = 'host' as const;
  #offset: Nanos | undefined;
  #last: Nanos = 0n;

  /** Wall time in ns (monotonic within the process). */
  static #wall(): Nanos {
    return process.hrtime.bigint();
  }

  /** Tells the clock the source's current time (a tick of the ROS clock, a bag message's time). */
  observe(sourceNow: Nanos): void {
    if (sourceNow < this.#last - RESET_NS) this.#last = sourceNow;
    this.#offset = sourceNow - SourceAlignedClock.#wall();
  }

  now(): Nanos {
    const t = SourceAlignedClock.#wall() + (this.#offset ?? 0n);
    if (t > this.#last) this.#last = t;
    return this.#last;
  }
}
