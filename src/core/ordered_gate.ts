// Stages that hold state or a non-reentrant resource (the stereo matcher, a model session,
// fusion's tracks) are entered by successive frame sets one at a time and in dispatch order, so
// sets can overlap across stages (set N+1's stereo while set N fuses) and still produce what
// running them one after another would: the same tracks, the same reused depth, the same bytes.
export interface GateSlot {
  /** Resolves when every earlier set has left the gate. */
  readonly ready: Promise<void>;
  /** Whether `ready` has resolved (then entering does not wait). */
  readonly open: boolean;
  /** Leaves the gate (idempotent); a set that skips the stage leaves it without entering. */
  release(): void;
}

export class OrderedGate {
  #tail: Promise<void> = Promise.resolve();

  /** Takes the next place in line. Call synchronously in dispatch order, once per set. */
  slot(): GateSlot {
    let release!: () => void;
    const left = new Promise<void>((r) => (release = r));
    const ready = this.#tail;
    // The next set may enter once this one has entered and left, in that order.
    this.#tail = ready.then(() => left);
    const slot = { ready, open: false, release };
    void ready.then(() => (slot.open = true));
    return slot;
  }
}
