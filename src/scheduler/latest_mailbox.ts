// A bounded, latest-only mailbox between stages. Putting into a full mailbox evicts the oldest
// item: for perception, newer sensor data is worth more than older, and a consumer that fell
// behind should catch up rather than work through a backlog. Every eviction is reported to the
// caller so it can be counted as shed 'superseded'.

export class LatestMailbox<T> {
  readonly #capacity: number;
  readonly #items: T[] = [];
  #superseded = 0;

  /** `capacity`: items held at most (>= 1). */
  constructor(capacity = 1) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LatestMailbox: capacity = ${capacity}; expected a positive integer`);
    }
    this.#capacity = capacity;
  }

  /** Adds an item; returns the item it evicted (the oldest) when the mailbox was full. */
  put(item: T): T | undefined {
    this.#items.push(item);
    if (this.#items.length <= this.#capacity) return undefined;
    this.#superseded++;
    return this.#items.shift();
  }

  /** Removes and returns the first item for which `better` prefers it over all others (e.g. EDF). */
  takeBest(better: (a: T, b: T) => boolean): T | undefined {
    if (this.#items.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < this.#items.length; i++) if (better(this.#items[i], this.#items[best])) best = i;
    return this.#items.splice(best, 1)[0];
  }

  /** Items held, oldest first (a copy). */
  peekAll(): T[] {
    return [...this.#items];
  }

  get size(): number {
    return this.#items.length;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Items evicted by newer ones so far. */
  get superseded(): number {
    return this.#superseded;
  }
}
