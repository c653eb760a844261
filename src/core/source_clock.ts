// Host time for the scheduler, in the source's time domain. Sensor stamps come from ROS time,
// sim time (Gazebo, use_sim_time, `ros2 bag play -r`) or a bag's recording time, none of which
// is this machine's wall clock, and none of which need run at wall-clock speed; deadlines are
// measured from those stamps. This clock follows the source: every observation re-anchors it,
// and between observations it runs at wall-clock speed, never backwards (a source slower than
// the wall clock makes it wait for the next observation instead).
import type { Clock } from '../scheduler/clock';
import type { Nanos } from '../msgs/time';

export class SourceAlignedClock implements Clock {
  readonly mode = 'host' as const;
  /** A source that jumps back by more than this (sync.time_jump_ms: a bag loop, a sim reset) restarts the clock. */
  readonly #timeJumpNs: Nanos;
  #offset: Nanos | undefined;
  #last: Nanos = 0n;

  constructor(timeJumpNs: Nanos) {
    this.#timeJumpNs = timeJumpNs;
  }

  /** Wall time in ns (monotonic within the process). */
  static #wall(): Nanos {
    return process.hrtime.bigint();
  }

  /** Tells the clock the source's current time (a tick of the ROS clock, a bag message's time). */
  observe(sourceNow: Nanos): void {
    if (sourceNow < this.#last - this.#timeJumpNs) this.#last = sourceNow;
    this.#offset = sourceNow - SourceAlignedClock.#wall();
  }

  now(): Nanos {
    const t = SourceAlignedClock.#wall() + (this.#offset ?? 0n);
    if (t > this.#last) this.#last = t;
    return this.#last;
  }
}

/** A monotonic stopwatch in ns; stage times are measured with it (injectable, so tests need not depend on host speed). */
export type Stopwatch = () => Nanos;

export const hostStopwatch: Stopwatch = () => process.hrtime.bigint();

/**
 * Host time for a bag replay at `rate` × real time: the bag's timeline mapped onto the wall clock
 * from the first message on, never re-anchored. A replay that falls behind (this machine is slower
 * than the bag) therefore sees its sets age, measures the queueing as latency, and sheds, exactly
 * as a live node receiving the same messages on time would.
 */
export class PlaybackClock implements Clock {
  readonly mode = 'host' as const;
  readonly #rate: number;
  readonly #wall: Stopwatch;
  #origin: { log: Nanos; wall: Nanos } | undefined;

  constructor(rate: number, wall: Stopwatch = hostStopwatch) {
    if (!(rate > 0)) throw new RangeError(`replay rate = ${rate}; expected a positive playback speed`);
    this.#rate = rate;
    this.#wall = wall;
  }

  now(): Nanos {
    const o = this.#origin;
    if (!o) return 0n;
    return o.log + BigInt(Math.round(Number(this.#wall() - o.wall) * this.#rate));
  }

  /**
   * Waits until the message logged at `logTime` is due. Resolves with how late it is handed in,
   * ms (0 when on time): how far the replay has fallen behind the bag.
   */
  async wait(logTime: Nanos): Promise<number> {
    if (!this.#origin) {
      this.#origin = { log: logTime, wall: this.#wall() };
      return 0;
    }
    const aheadMs = Number(logTime - this.now()) / 1e6 / this.#rate;
    if (aheadMs > 1) await new Promise((r) => setTimeout(r, aheadMs));
    return Math.max(0, -aheadMs);
  }
}
