// The output bag of a replay. Results are written as they come, and the writer closes a chunk at
// least every second of bag time, so a replay killed (SIGKILL) or stopped by a full disk leaves a
// bag that a stream reader recovers up to about a second before the end. A failed write stops
// the replay with an error naming --out; the bag keeps what was written before it.
import { McapBagWriter } from '../io/bag_writer';
import type { Nanos } from '../msgs/time';

/** Bag time a killed replay may lose at most (plus one message): the chunk still open. */
export const FLUSH_EVERY_NS: Nanos = 1_000_000_000n;

export class ReplayOutput {
  readonly #dir: string;
  readonly #writer: McapBagWriter;
  readonly #pending: Promise<void>[] = [];
  #failure: Error | undefined;

  private constructor(dir: string, writer: McapBagWriter) {
    this.#dir = dir;
    this.#writer = writer;
  }

  static async create(dir: string): Promise<ReplayOutput> {
    return new ReplayOutput(dir, await McapBagWriter.create(dir, { flushEveryNs: FLUSH_EVERY_NS }));
  }

  /** The first failed write, in the user's words; the replay stops reading when there is one. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  write(topic: string, type: string, logTime: Nanos, msg: unknown): void {
    if (this.#failure) return;
    this.#pending.push(this.#writer.write(topic, type, logTime, msg).catch((err: Error) => {
      this.#failure ??= new Error(`output bag ${this.#dir} (--out): ${err.message}; the replay stopped, and the bag keeps what was written before (read record by record)`);
    }));
  }

  /** Waits for the writes issued so far. */
  async settle(): Promise<void> {
    await Promise.all(this.#pending.splice(0));
  }

  /** Closes the bag: valid and indexed with its metadata.yaml, or, after a failed write, as far as it got. */
  async close(): Promise<void> {
    await this.settle();
    await this.#writer.close().catch((err: Error) => {
      this.#failure ??= new Error(`output bag ${this.#dir} (--out): ${err.message}`);
    });
    if (this.#failure) throw this.#failure;
  }
}
