// The two time modes of the runner behind one interface (scheduler.time_mode). Target time: a
// virtual clock, moved by the profiled stage times; each set is run when the source reaches its
// stamp, so what runs, degrades or sheds depends only on the input. Host time: this machine's
// clock in the stamps' domain, with the scheduler's own dispatch loop running sets as they come.
import type { Nanos } from '../msgs/time';
import { VirtualClock, type Clock } from '../scheduler/clock';
import type { DeadlineScheduler, WarmUp } from '../scheduler/deadline_scheduler';
import type { DegradationPlan } from '../scheduler/degradation';
import type { StageTimings } from '../scheduler/outcomes';
import type { FrameSet } from '../sync/frame';
import type { FrameJob } from './frame_job';
import { SourceAlignedClock } from './source_clock';

/**
 * Target time assumes a source that waits for the pipeline (a replay awaiting flush()). Fed
 * live instead, sets would queue without bound; beyond this many waiting (plus sync.queue_size:
 * one image may release that many held sets at once, when a silent camera is left out), new
 * sets are dropped.
 */
const MAX_TARGET_BACKLOG = 4;

export type Exec = (job: FrameJob, plan: DegradationPlan) => Promise<StageTimings>;

export interface TimeMode {
  /** The clock the scheduler decides on (a fresh one after restart()). */
  readonly clock: Clock;
  /** A tick of the source's clock (ROS time, sim time, bag time). */
  observe(now: Nanos): void;
  /** Starts whatever runs `scheduler`'s sets on its own (host time's dispatch loop). */
  start(scheduler: DeadlineScheduler<FrameJob>, exec: Exec, warmUp: WarmUp<FrameJob>): void;
  /** Stops what start() started; resolves when the set in progress is done. */
  stop(): Promise<void>;
  /** The old timeline is over (a time jump): the next scheduler starts on a fresh clock. */
  restart(): void;
  /**
   * Takes a place in the queue of sets waiting for deliver(), to be given back with release()
   * once the set is delivered (or failed). False when target time's backlog is full (a live
   * source feeding target time): the set is dropped.
   */
  admit(): boolean;
  /** How many sets may wait before admit() refuses (unbounded in host time, where the scheduler sheds). */
  readonly backlogLimit: number;
  release(): void;
  /** Hands `set` to `scheduler` at the right moment: target time first runs the sets before it. */
  deliver(scheduler: DeadlineScheduler<FrameJob>, set: FrameSet, exec: Exec): Promise<void>;
  /** A set offered earlier has completed or was shed. */
  finished(): void;
  /** Resolves when every set delivered so far has completed or been shed (host time), at once in target time. */
  settled(): Promise<void>;
}

export class TargetTime implements TimeMode {
  #clock = new VirtualClock();
  #backlog = 0;
  /** How many sets may wait for the pipeline before new ones are dropped. */
  readonly backlogLimit: number;

  constructor(syncQueueSize: number) {
    this.backlogLimit = MAX_TARGET_BACKLOG + syncQueueSize;
  }

  get clock(): Clock {
    return this.#clock;
  }

  observe(): void {}

  start(): void {}

  async stop(): Promise<void> {}

  restart(): void {
    this.#clock = new VirtualClock();
  }

  admit(): boolean {
    if (this.#backlog >= this.backlogLimit) return false;
    this.#backlog++;
    return true;
  }

  release(): void {
    this.#backlog--;
  }

  async deliver(scheduler: DeadlineScheduler<FrameJob>, set: FrameSet, exec: Exec): Promise<void> {
    // The set arrives at its stamp; the sets before it run in virtual time first.
    await scheduler.runUntil(set.stamp, exec);
    scheduler.offer({ set }, set.stamp);
  }

  finished(): void {}

  async settled(): Promise<void> {}
}

export class HostTime implements TimeMode {
  readonly clock: Clock;
  #abort = new AbortController();
  #loop: Promise<void> | undefined;
  /** Sets offered and not yet completed or shed. */
  #inFlight = 0;
  #waiters: Array<() => void> = [];

  /** `clock`: default, one that follows the source's ticks; a paced replay passes its PlaybackClock. */
  constructor(clock: Clock | undefined, timeJumpNs: Nanos) {
    this.clock = clock ?? new SourceAlignedClock(timeJumpNs);
  }

  observe(now: Nanos): void {
    if (this.clock instanceof SourceAlignedClock) this.clock.observe(now);
  }

  start(scheduler: DeadlineScheduler<FrameJob>, exec: Exec, warmUp: WarmUp<FrameJob>): void {
    this.#abort = new AbortController();
    this.#loop = scheduler.run(exec, this.#abort.signal, warmUp);
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
  }

  restart(): void {}

  readonly backlogLimit = Infinity;

  admit(): boolean {
    return true;
  }

  release(): void {}

  async deliver(scheduler: DeadlineScheduler<FrameJob>, set: FrameSet): Promise<void> {
    this.#inFlight++;
    scheduler.offer({ set }, set.stamp);
  }

  finished(): void {
    this.#inFlight--;
    if (this.#inFlight > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  settled(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
