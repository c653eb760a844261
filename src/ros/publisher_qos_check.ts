// Every few seconds while the node is active, the publishers of its input topics are compared
// with the QoS it requests; each incompatibility is warned about once, naming the topic, the
// publisher and the setting (qos.ts words it).
import type * as Rcl from 'rclnodejs';
import { incompatiblePublisherWarnings, type QosProfile } from './qos';
import { publishersInfo } from './rclnodejs_gaps';

export class PublisherQosCheck {
  readonly #node: Rcl.Node;
  readonly #periodMs: number;
  readonly #warned = new Set<string>();
  #requested: { topic: string; qos: QosProfile }[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(node: Rcl.Node, periodMs: number) {
    this.#node = node;
    this.#periodMs = periodMs;
  }

  /** Starts checking `requested` (the subscriptions just made). */
  start(requested: { topic: string; qos: QosProfile }[]): void {
    this.stop();
    this.#requested = requested;
    this.#timer = setInterval(() => this.#check(), this.#periodMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#requested = [];
  }

  #check(): void {
    const logger = this.#node.getLogger();
    for (const { topic, qos } of this.#requested) {
      let warnings: string[];
      try {
        warnings = incompatiblePublisherWarnings(topic, qos, publishersInfo(this.#node, topic));
      } catch (err) {
        logger.debug(`QoS check of ${topic}: ${(err as Error).message}`);
        continue;
      }
      for (const w of warnings) {
        if (this.#warned.has(w)) continue;
        this.#warned.add(w);
        logger.warn(w);
      }
    }
  }
}
