// Counts of inputs the node dropped, for the summary it logs at shutdown. Counters are keyed by
// topic or camera (fixed by the configuration) and a reason from a fixed set, never by error
// text, so they stay bounded however long the node runs and however varied the faults are.
import type { InputDropCount } from '../core/runner_api';

/** Why the node itself (before the synchroniser) dropped an input. */
export type NodeDropReason = 'pipeline_not_ready' | 'unconvertible';

export class DropCounts {
  /** Node drops by topic, then reason. */
  readonly #node = new Map<string, Map<NodeDropReason, number>>();
  /** Synchroniser drops of runners already closed (a parameter change replaces the runner). */
  readonly #sync = new Map<string, InputDropCount>();

  /** Counts one input on `topic` dropped for `reason`; true the first time for this pair. */
  countNodeDrop(topic: string, reason: NodeDropReason): boolean {
    let byReason = this.#node.get(topic);
    if (!byReason) this.#node.set(topic, (byReason = new Map()));
    const n = (byReason.get(reason) ?? 0) + 1;
    byReason.set(reason, n);
    return n === 1;
  }

  /** Adds a closed runner's synchroniser drops to the totals. */
  addSyncDrops(drops: readonly InputDropCount[]): void {
    for (const d of drops) {
      const key = `${d.camera}\u0000${d.reason}`;
      const total = this.#sync.get(key);
      this.#sync.set(key, { ...d, count: d.count + (total?.count ?? 0) });
    }
  }

  /** The summary lines, node drops first; `live` is the running runner's drops (not yet added). */
  summary(live: readonly InputDropCount[] = []): string[] {
    const lines: string[] = [];
    for (const [topic, byReason] of this.#node) {
      for (const [reason, n] of byReason) lines.push(`dropped ${n} input message(s) on ${topic}: ${reason}`);
    }
    const sync = new DropCounts();
    sync.addSyncDrops([...this.#sync.values()]);
    sync.addSyncDrops(live);
    for (const d of sync.#sync.values()) {
      if (d.count > 0) lines.push(`synchroniser dropped ${d.count} image(s) of camera ${d.camera}: ${d.reason}`);
    }
    return lines.length > 0 ? lines : ['no input message was dropped'];
  }
}
