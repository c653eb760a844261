// Rate limiting for warnings about a lasting problem: said the first time, then again every
// period of sensor time while it lasts, so a 10-minute bag with one bad camera says so more
// than once without flooding.
import type { Nanos } from '../msgs/time';

/** Says whether a message is due: the first time, and again every `periodNs` of sensor time while it lasts. */
export class PeriodicReport {
  readonly #last = new Map<string, Nanos>();

  constructor(readonly periodNs: Nanos = 5_000_000_000n) {}

  due(message: string, stamp: Nanos): boolean {
    const last = this.#last.get(message);
    if (last !== undefined && stamp >= last && stamp - last < this.periodNs) return false;
    // Bounded: messages of problems long gone are forgotten.
    if (this.#last.size > 64) this.#last.clear();
    this.#last.set(message, stamp);
    return true;
  }
}
