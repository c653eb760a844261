// Bounded-memory latency statistics: the last `capacity` samples in a ring, percentiles computed
// exactly over that window. Memory is fixed whatever the run length, and old behaviour ages out,
// which is what host-time budgets want (they should follow the machine's current load).

export class LatencyWindow {
  readonly #samples: Float64Array;
  #next = 0;
  #count = 0;
  #total = 0;
  #last = 0;
  #sorted: Float64Array | undefined;

  /** `capacity`: samples kept (>= 1). */
  constructor(capacity = 256) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LatencyWindow: capacity = ${capacity}; expected a positive integer`);
    }
    this.#samples = new Float64Array(capacity);
  }

  /** Adds a sample (ms). Non-finite or negative samples are rejected with a RangeError. */
  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`LatencyWindow#add: sample ${ms}; expected a finite time >= 0 ms`);
    this.#samples[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#samples.length;
    this.#count = Math.min(this.#count + 1, this.#samples.length);
    this.#total++;
    this.#last = ms;
    this.#sorted = undefined;
  }

  /** Forgets the window's samples (the total ever added stays): its times no longer describe the stage. */
  clear(): void {
    this.#next = 0;
    this.#count = 0;
    this.#sorted = undefined;
  }

  /** Samples currently in the window. */
  get size(): number {
    return this.#count;
  }

  /** Samples ever added. */
  get total(): number {
    return this.#total;
  }

  /** Most recent sample, 0 before any. */
  get last(): number {
    return this.#last;
  }

  /** The p-quantile (p in [0, 1], nearest-rank) over the window; 0 when empty. */
  quantile(p: number): number {
    if (this.#count === 0) return 0;
    if (!this.#sorted) this.#sorted = this.#samples.slice(0, this.#count).sort();
    const rank = Math.min(this.#count - 1, Math.max(0, Math.ceil(p * this.#count) - 1));
    return this.#sorted[rank];
  }
}
