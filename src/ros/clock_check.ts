// Notices when the node's clock and the input stamps disagree by far more than any transport
// delay: a bag or simulation played against wall time (use_sim_time false), or wall-time
// cameras with use_sim_time true. Ticking the pipeline with such a clock makes every camera
// look silent and then back on each image (dropout flapping) and sheds every set as past its
// deadline. So: one warning that names use_sim_time, and until the two agree again the node's
// clock is moved onto the stamps' timeline (by the offset seen at the last input) before it
// ticks the pipeline.
import type { Nanos } from '../msgs/time';

/** Beyond this, stamps and clock are on different timelines (far above any DDS or queue delay). */
export const CLOCK_DISAGREEMENT_NS = 10_000_000_000n;

export class ClockCheck {
  readonly #thresholdNs: Nanos;
  /** Node clock minus input stamp at the last input, while they disagree; else 0 (so nonzero = disagree). */
  #offset: Nanos = 0n;
  #warned = false;

  constructor(thresholdNs: Nanos = CLOCK_DISAGREEMENT_NS) {
    this.#thresholdNs = thresholdNs;
  }

  /** Whether the last input's stamp disagreed with the node clock. */
  get disagrees(): boolean {
    return this.#offset !== 0n;
  }

  /** `now` of the node clock on the inputs' timeline (unchanged while they agree). */
  sourceTime(now: Nanos): Nanos {
    return now - this.#offset;
  }

  /**
   * An input on `topic` stamped `stamp`, received at node-clock time `now` (0: sim time before
   * the first /clock, not judged). Returns the warning to log, the first time only.
   */
  observe(topic: string, stamp: Nanos, now: Nanos, useSimTime: boolean): string | undefined {
    if (now <= 0n) return undefined;
    const ahead = stamp - now;
    const disagrees = ahead > this.#thresholdNs || -ahead > this.#thresholdNs;
    this.#offset = disagrees ? -ahead : 0n;
    if (!disagrees || this.#warned) return undefined;
    this.#warned = true;
    const seconds = Number(ahead < 0n ? -ahead : ahead) / 1e9;
    const days = seconds >= 86_400 ? ` (${(seconds / 86_400).toFixed(1)} days)` : '';
    const how = `${seconds.toFixed(1)} s${days} ${ahead < 0n ? 'behind' : 'ahead of'}`;
    const fix = useSimTime
      ? 'use_sim_time is true: is /clock published by the same source as the images? For live cameras set use_sim_time:=false'
      : 'use_sim_time is false: for a bag (ros2 bag play <bag> --clock) or a simulator, start the node with use_sim_time:=true';
    return `clock mismatch: stamps on ${topic} are ${how} the node clock; ${fix}; until they agree, dropout timing and deadlines follow the stamps' timeline (warned once)`;
  }
}
