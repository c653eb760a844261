// The resources frame sets run on (NPU, CPU cores, scaler, ...) as a timeline of reservations.
// A set's stages run in order; each starts when its predecessor has finished and enough units of
// its resource are free, so successive sets overlap across resources the way a camera pipeline
// does (set N+1's stereo while set N fuses). Deterministic: times come only from the budgets.
import type { Nanos } from '../msgs/time';

/** One stage of a plan on the timeline: its resource, the units it holds, and its time. */
export interface TimedStage {
  resource: string;
  units: number;
  ms: number;
}

export interface ResourceUse {
  resource: string;
  units: number;
  /** Unit-milliseconds reserved so far. */
  busyMs: number;
  /** busyMs / (units x span of the timeline): 1 = never idle. */
  utilisation: number;
}

const msToNs = (ms: number): Nanos => BigInt(Math.round(ms * 1e6));

export class ResourceTimeline {
  /** Per resource, the time each unit becomes free. */
  readonly #free: Map<string, Nanos[]>;
  readonly #busyMs = new Map<string, number>();
  #first: Nanos | undefined;
  #last: Nanos = 0n;

  /** `units`: how many units each resource has (a resource a stage names but this omits has 1). */
  constructor(units: Readonly<Record<string, number>>, resources: readonly string[]) {
    this.#free = new Map([...new Set([...Object.keys(units), ...resources])].map((r) => [r, Array<Nanos>(units[r] ?? 1).fill(0n)]));
  }

  /** When `units` units of `resource` are free at once (not before `from`). */
  freeAt(resource: string, units: number, from: Nanos): Nanos {
    const free = this.#units(resource);
    const t = [...free].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.min(units, free.length) - 1];
    return t > from ? t : from;
  }

  /** When a set starting at `start` would finish `stages`, without reserving anything. */
  predictFinish(stages: readonly TimedStage[], start: Nanos): Nanos {
    return this.#place(stages, start, false);
  }

  /** Reserves `stages` for a set starting at `start`; returns when its last stage finishes. */
  reserve(stages: readonly TimedStage[], start: Nanos): Nanos {
    if (this.#first === undefined || start < this.#first) this.#first = start;
    const end = this.#place(stages, start, true);
    if (end > this.#last) this.#last = end;
    return end;
  }

  /** A copy to try admissions on. */
  clone(): ResourceTimeline {
    const c = new ResourceTimeline({}, []);
    for (const [r, f] of this.#free) c.#free.set(r, [...f]);
    return c;
  }

  /** Utilisation of each resource over the span from the first reserved start to the last finish. */
  usage(): ResourceUse[] {
    const spanMs = this.#first === undefined ? 0 : Number(this.#last - this.#first) / 1e6;
    return [...this.#free].map(([resource, f]) => {
      const busyMs = this.#busyMs.get(resource) ?? 0;
      return { resource, units: f.length, busyMs, utilisation: spanMs > 0 ? busyMs / (f.length * spanMs) : 0 };
    });
  }

  #units(resource: string): Nanos[] {
    let free = this.#free.get(resource);
    if (!free) this.#free.set(resource, (free = [0n]));
    return free;
  }

  #place(stages: readonly TimedStage[], start: Nanos, commit: boolean): Nanos {
    let t = start;
    for (const s of stages) {
      const free = this.#units(s.resource);
      const units = Math.min(s.units, free.length);
      const begin = this.freeAt(s.resource, units, t);
      const end = begin + msToNs(s.ms);
      if (commit) {
        // The units that free up first are the ones taken (their free times are <= begin).
        const order = free.map((at, i) => ({ at, i })).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i));
        for (const { i } of order.slice(0, units)) free[i] = end;
        this.#busyMs.set(s.resource, (this.#busyMs.get(s.resource) ?? 0) + s.ms * units);
      }
      t = end;
    }
    return t;
  }
}
