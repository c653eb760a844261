// Publishes every output of a PipelineResult on its topic. Publishers are created lazily, the
// first time a topic appears, because which outputs exist depends on the configuration and on
// the cameras present (per-camera detections, per-pair disparity).
//
// Knows nothing of rclnodejs: the node hands in a PublisherFactory, so this is tested with a
// recording factory.
import { timeToNanos } from '../msgs/time';
import { resolveOutputTopic, type PipelineResult } from '../core/result';
import { conformerFor, type MessageConformer } from './message_conversion';

/** One publisher of one topic. */
export interface TopicPublisher {
  publish(msg: unknown): void;
}

/** Creates the publisher of `topic` (absolute) for message type `type` (`pkg/msg/Name`). */
export type PublisherFactory = (topic: string, type: string) => TopicPublisher;

export interface OutputPublisherOptions {
  /** Output namespace every relative output topic resolves under (config topics.output_namespace). */
  namespace: string;
  createPublisher: PublisherFactory;
  /** Problems with one output; the other outputs are still published. */
  onWarning?: (message: string) => void;
}

interface Route {
  type: string;
  publisher: TopicPublisher;
  conform: MessageConformer;
}

export class OutputPublisher {
  readonly #namespace: string;
  readonly #createPublisher: PublisherFactory;
  readonly #warn: (message: string) => void;
  readonly #routes = new Map<string, Route>();
  /** Topics already warned about, so a persistent fault is reported once, not per frame set. */
  readonly #warned = new Set<string>();

  constructor({ namespace, createPublisher, onWarning = () => undefined }: OutputPublisherOptions) {
    this.#namespace = namespace;
    this.#createPublisher = createPublisher;
    this.#warn = onWarning;
  }

  /**
   * Publishes each output of `result`. An output stamped later than its frame set, or with no
   * stamp (0), is still published, with a warning: consumers line results up by stamp. An earlier
   * stamp is expected: outputs computed from reused depth carry that depth's stamp. An output that
   * cannot be published (a topic reused with another type, a message that does not fit its type)
   * is skipped with a warning; it never stops the others.
   */
  publish(result: PipelineResult): void {
    for (const output of result.outputs) {
      const topic = resolveOutputTopic(this.#namespace, output.topic);
      try {
        const route = this.#route(topic, output.type);
        this.#checkStamp(topic, output.msg, result.stamp);
        route.publisher.publish(route.conform(output.msg));
      } catch (err) {
        this.#warnOnce(`${topic}:error`, `cannot publish ${output.type} on ${topic}: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Creates the publishers of `outputs` now (relative topics resolve under the namespace), so
   * subscribers can connect before the first result. Throws if a topic is advertised with two types.
   */
  advertise(outputs: ReadonlyArray<{ topic: string; type: string }>): void {
    for (const o of outputs) this.#route(resolveOutputTopic(this.#namespace, o.topic), o.type);
  }

  /** Absolute topics published so far, with their types. */
  get topics(): { topic: string; type: string }[] {
    return [...this.#routes].map(([topic, r]) => ({ topic, type: r.type }));
  }

  #route(topic: string, type: string): Route {
    const existing = this.#routes.get(topic);
    if (existing) {
      if (existing.type !== type) throw new Error(`the topic already carries ${existing.type}; one topic has one type`);
      return existing;
    }
    const route = { type, conform: conformerFor(type), publisher: this.#createPublisher(topic, type) };
    this.#routes.set(topic, route);
    return route;
  }

  #checkStamp(topic: string, msg: unknown, expected: bigint): void {
    const header = (msg as { header?: { stamp?: { sec: number; nanosec: number } } } | null)?.header;
    if (header?.stamp === undefined) return;
    const stamp = timeToNanos(header.stamp);
    if (stamp > expected || stamp === 0n) {
      this.#warnOnce(
        `${topic}:stamp`,
        `output on ${topic} has header stamp ${stamp} ns; expected at most the frame set's ${expected} ns, and not 0`,
      );
    }
  }

  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#warn(message);
  }
}
