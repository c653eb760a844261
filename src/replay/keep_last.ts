// Host-time replay of a bag the machine cannot keep up with: a live node's camera subscription
// (keep-last QoS) would hold only each camera's newest image while the node is busy. A replay
// that reads the bag in order would instead hand in every late image and stay behind for ever.
import type { Nanos } from '../msgs/time';

export class KeepLast {
  /** Per topic, the log time of its last image read. */
  readonly #last = new Map<string, Nanos>();

  /**
   * Whether the image of `topic` logged at `logTime`, read `behindMs` (bag time) late, has
   * already been replaced: its camera's next image, one frame interval later, was due too.
   */
  replaced(topic: string, logTime: Nanos, behindMs: number): boolean {
    const before = this.#last.get(topic);
    this.#last.set(topic, logTime);
    if (before === undefined || logTime <= before) return false;
    return behindMs > Number(logTime - before) / 1e6;
  }
}
