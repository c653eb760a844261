// Which timeline each camera's stamps are on. A stamp further than the jump threshold from the
// rig's newest stamp is "off": either the whole rig's time jumped (a bag loop, a simulation
// reset, a clock step of +1 h), or this one camera's clock is wrong (stamped 0, an hour ahead).
// The two look the same on the first image; they differ by what the other cameras do next.
// When enough cameras agree on the new time, it is a jump and sync restarts there; when every
// other camera keeps delivering on the old time, the off camera is the broken one and is isolated
// instead of resetting everyone.
import type { Nanos } from '../msgs/time';

/**
 * - on: on the rig's timeline (or the first stamp of all).
 * - stale: a straggler of the timeline before the last backwards jump.
 * - off: off the rig's clock; hold it until it is clear whether the rig or the camera is wrong.
 * - jump: with this stamp, enough cameras agree on a new time: sync restarts there.
 */
export type ClockVerdict =
  { kind: 'on' } | { kind: 'stale' } | { kind: 'off' } | { kind: 'jump'; cameras: string[]; from: Nanos; to: Nanos };

interface OffTrack {
  first: Nanos;
  last: Nanos;
  /** Other cameras that delivered a stamp on the rig's timeline since this one went off. */
  contradicted: Set<string>;
}

const absDiff = (a: Nanos, b: Nanos): Nanos => (a > b ? a - b : b - a);

export class RigClock {
  readonly #thresholdNs: Nanos;
  readonly #settleNs: Nanos;
  /** Newest stamp accepted on the rig's timeline. */
  #frontier: Nanos | undefined;
  /** After a backwards jump: the newest stamp of the old timeline, to recognise its stragglers. */
  #oldFrontier: Nanos | undefined;
  readonly #off = new Map<string, OffTrack>();

  /**
   * `thresholdNs`: how far off a stamp must be to count as another timeline. `settleNs`: how long
   * an off camera may publish alone, with no other camera contradicting it, before its time is
   * taken as the new time (the others are then silent, which dropout handles).
   */
  constructor(thresholdNs: Nanos, settleNs: Nanos) {
    this.#thresholdNs = thresholdNs;
    this.#settleNs = settleNs;
  }

  get frontier(): Nanos | undefined {
    return this.#frontier;
  }

  /** How far the off camera's last stamp is from the rig's time (negative: behind). */
  offsetOf(camera: string): Nanos | undefined {
    const track = this.#off.get(camera);
    return track === undefined || this.#frontier === undefined ? undefined : track.last - this.#frontier;
  }

  /**
   * Classifies `stamp` of `camera`. `eligible`: the cameras not silent (the majority that decides
   * a jump is taken among them).
   */
  classify(camera: string, stamp: Nanos, eligible: readonly string[]): ClockVerdict {
    const frontier = this.#frontier;
    if (this.#oldFrontier !== undefined && frontier !== undefined) {
      if (stamp > frontier + this.#thresholdNs && stamp <= this.#oldFrontier) return { kind: 'stale' };
      if (stamp > this.#oldFrontier) this.#oldFrontier = undefined;
    }
    if (frontier === undefined || absDiff(stamp, frontier) <= this.#thresholdNs) return { kind: 'on' };
    let track = this.#off.get(camera);
    if (track === undefined) {
      track = { first: stamp, last: stamp, contradicted: new Set() };
      this.#off.set(camera, track);
    }
    track.last = stamp;
    const group = [...this.#off].filter(([, t]) => absDiff(t.last, stamp) <= this.#thresholdNs).map(([c]) => c);
    const alone = track.contradicted.size === 0 && absDiff(stamp, track.first) >= this.#settleNs;
    if (group.length * 2 > eligible.length || alone) {
      const to = group.reduce((m, c) => (this.#off.get(c)!.last > m ? this.#off.get(c)!.last : m), stamp);
      return { kind: 'jump', cameras: group, from: frontier, to };
    }
    return { kind: 'off' };
  }

  /**
   * Records an accepted stamp on the rig's timeline. Returns the off cameras it proves broken:
   * every other eligible camera has delivered on the rig's timeline since they went off.
   */
  accept(camera: string, stamp: Nanos, eligible: readonly string[]): string[] {
    this.#off.delete(camera);
    if (this.#frontier === undefined || stamp > this.#frontier) this.#frontier = stamp;
    const proven: string[] = [];
    for (const [c, track] of this.#off) {
      track.contradicted.add(camera);
      if (eligible.every((e) => e === c || this.#off.has(e) || track.contradicted.has(e))) proven.push(c);
    }
    return proven;
  }

  /** Sync restarts at `to` after a jump from `from`; every camera's standing is judged anew. */
  restart(from: Nanos, to: Nanos): void {
    this.#off.clear();
    this.#frontier = to;
    this.#oldFrontier = to < from ? from : undefined;
  }
}
