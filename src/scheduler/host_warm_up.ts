// Host time's warm-up: before any set is dispatched, the stages run on the first set offered
// (even one shed at once: a machine that cannot keep up must still measure its stages), once cold
// and once warm at camera size for each plan to warm, and the warm times seed the budgets.
import type { Admission } from './admission';
import type { DegradationPlan } from './degradation';
import type { StageTimings } from './outcomes';

/** Runs `plans` on `item` warm (cold runs discarded) and resolves with each plan's stage times (fewer if warming failed). */
export type WarmUp<T> = (item: T, plans: DegradationPlan[]) => Promise<StageTimings[]>;

export class HostWarmUp<T> {
  #fn: WarmUp<T> | undefined;
  #on: { item: T } | undefined;
  done = false;

  /** The dispatch loop warms up with `fn` (none: budgets start from the first sets run). */
  use(fn: WarmUp<T> | undefined): void {
    this.#fn = fn;
  }

  /** A set was offered: the first one is kept to warm up on. */
  offered(item: T): void {
    if (this.#fn && !this.done) this.#on ??= { item };
  }

  /** Whether a warm-up waits to run. */
  get due(): boolean {
    return this.#fn !== undefined && this.#on !== undefined && !this.done;
  }

  /** Runs the warm-up plans (admission's warmUpPlans) and adds their warm times to the budgets. */
  async run(admit: Admission): Promise<void> {
    const on = this.#on;
    if (!this.#fn || !on) return;
    try {
      const plans = admit.warmUpPlans();
      const warm = await this.#fn(on.item, plans);
      warm.forEach((timings, i) => admit.measured(plans[i], timings));
    } finally {
      this.#on = undefined;
      this.done = true;
    }
  }
}
