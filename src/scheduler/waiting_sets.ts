// The frame sets admitted and waiting to start: a bounded latest-only mailbox taken earliest
// deadline first, and the signal host time's dispatch loop sleeps on until one arrives.
import type { Nanos } from '../msgs/time';
import { LatestMailbox } from './latest_mailbox';

export interface Waiting<T> {
  item: T;
  stamp: Nanos;
  deadline: Nanos;
  offeredAt: Nanos;
  seq: number;
  /** Host time: let in although the budgets said no (HostBudgets.shedOnly); runs the cheapest rung. */
  probe?: boolean;
}

/** What an outcome reports of the set it decided about. */
export const setOf = <T>(w: Waiting<T>) => ({ item: w.item, stamp: w.stamp, deadline: w.deadline, offeredAt: w.offeredAt });

const earlierDeadline = <T>(a: Waiting<T>, b: Waiting<T>) => a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);

export class WaitingSets<T> {
  readonly #mailbox: LatestMailbox<Waiting<T>>;
  #seq = 0;
  #wake: (() => void) | undefined;

  constructor(depth: number) {
    this.#mailbox = new LatestMailbox(depth);
  }

  /** A new arrival's entry (not yet waiting: admission decides). */
  entry(item: T, stamp: Nanos, deadline: Nanos, offeredAt: Nanos): Waiting<T> {
    return { item, stamp, deadline, offeredAt, seq: this.#seq++ };
  }

  get size(): number {
    return this.#mailbox.size;
  }

  /** Waiting sets due no later than `w` (they run before it). */
  ahead(w: Waiting<T>): number {
    return this.#mailbox.peekAll().filter((x) => !earlierDeadline(w, x)).length;
  }

  /** Adds `w`; returns the oldest set it evicted from a full mailbox. */
  put(w: Waiting<T>): Waiting<T> | undefined {
    return this.#mailbox.put(w);
  }

  /** Removes and returns the set with the earliest deadline. */
  takeBest(): Waiting<T> | undefined {
    return this.#mailbox.takeBest(earlierDeadline);
  }

  /** Resolves at the next notify(). */
  arrival(): Promise<void> {
    return new Promise<void>((resolve) => (this.#wake = resolve));
  }

  /** Wakes whoever awaits arrival(): a set arrived, or the loop must stop. */
  notify(): void {
    this.#wake?.();
    this.#wake = undefined;
  }
}
