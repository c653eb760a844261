// Host time's timeline of this process's resources (host_resources.ts), one unit each. Unlike the
// target-time ResourceTimeline, a stage may be placed in a gap a set left on a resource: set
// N+1's decoding on the main thread runs while set N's stereo holds the workers, before set N's
// fusion comes back to the main thread, as the event loop really interleaves them. Reservations
// are predictions, started afresh from what happened whenever the pipeline is idle; utilisation
// is what the sets measured.
import type { Nanos } from '../msgs/time';
import type { ResourceUse, TimedStage } from './resource_timeline';

const msToNs = (ms: number): Nanos => BigInt(Math.round(ms * 1e6));

export class GapTimeline {
  /** Per resource, its reserved intervals [begin, end), sorted and disjoint. */
  #busy = new Map<string, Array<[Nanos, Nanos]>>();
  readonly #busyMs = new Map<string, number>();
  #first: Nanos | undefined;
  #last: Nanos = 0n;

  /** When a set starting at `start` would finish `stages`, without reserving anything. */
  predictFinish(stages: readonly TimedStage[], start: Nanos): Nanos {
    return this.#place(stages, start, false);
  }

  /** Reserves `stages` for a set starting at `start`; returns when its last stage finishes. */
  reserve(stages: readonly TimedStage[], start: Nanos): Nanos {
    if (this.#first === undefined || start < this.#first) this.#first = start;
    // Nothing is placed before `start` again (host time's starts only move forward).
    for (const [r, list] of this.#busy)
      this.#busy.set(
        r,
        list.filter(([, end]) => end > start),
      );
    const end = this.#place(stages, start, true);
    if (end > this.#last) this.#last = end;
    return end;
  }

  /** A set finished at `at` after holding its resources for the measured times of `stages`. */
  used(stages: readonly TimedStage[], at: Nanos): void {
    for (const s of stages) this.#busyMs.set(s.resource, (this.#busyMs.get(s.resource) ?? 0) + s.ms);
    if (at > this.#last) this.#last = at;
  }

  /** Every resource is free from `at` on, whatever was reserved; utilisation so far is kept. */
  freeFrom(at: Nanos): void {
    this.#busy = new Map();
    if (at > this.#last) this.#last = at;
  }

  /** A copy to try admissions on. */
  clone(): GapTimeline {
    const c = new GapTimeline();
    for (const [r, list] of this.#busy) c.#busy.set(r, [...list]);
    return c;
  }

  /** Measured utilisation of each resource over the span from the first reserved start to the last finish. */
  usage(): ResourceUse[] {
    const spanMs = this.#first === undefined ? 0 : Number(this.#last - this.#first) / 1e6;
    return [...this.#busyMs].map(([resource, busyMs]) => ({ resource, units: 1, busyMs, utilisation: spanMs > 0 ? busyMs / spanMs : 0 }));
  }

  #place(stages: readonly TimedStage[], start: Nanos, commit: boolean): Nanos {
    let t = start;
    for (const s of stages) {
      const list = this.#busy.get(s.resource) ?? [];
      const d = msToNs(s.ms);
      // The first gap at or after t long enough for the stage.
      let begin = t;
      let at = 0;
      for (; at < list.length; at++) {
        const [a, b] = list[at];
        if (b <= begin) continue;
        if (a >= begin + d) break;
        begin = b;
      }
      const end = begin + d;
      if (commit) {
        if (d > 0n) list.splice(at, 0, [begin, end]);
        this.#busy.set(s.resource, list);
      }
      t = end;
    }
    return t;
  }
}
