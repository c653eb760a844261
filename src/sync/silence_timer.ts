// When a camera counts as silent (sync.dropout_timeout_ms without a usable image), on the
// caller's clock. Timing starts at the rig's first usable image since start or restart, so a
// camera dead from the start is still found, and nothing is timed before any camera published.
import type { Nanos } from '../msgs/time';
import type { Standing } from './camera_standing';

export class SilenceTimer {
  /** Caller-clock time of the rig's first usable image since start or restart. */
  #firstArrival: Nanos | undefined;

  constructor(
    readonly timeoutNs: Nanos,
    readonly timeJumpThresholdNs: Nanos,
  ) {}

  /** A usable image came at `arrival`: timing starts with the first one. */
  started(arrival: Nanos): void {
    this.#firstArrival ??= arrival;
  }

  /** The rig's time jumped: every camera is timed anew from the next first image. */
  restart(cameras: Iterable<Standing>): void {
    for (const s of cameras) s.lastArrival = undefined;
    this.#firstArrival = undefined;
  }

  /**
   * Whether a tick at `now` may time silence. A tick far from the cameras' newest arrival is on
   * another clock (a recorder's wall clock while the stamps restart in a simulation reset) or the
   * rig's time is mid-jump: it says nothing about silence, which the publishing cameras then time.
   */
  tickCounts(now: Nanos, cameras: Iterable<Standing>): boolean {
    let newest: Nanos | undefined;
    for (const st of cameras)
      if (st.lastArrival !== undefined && (newest === undefined || st.lastArrival > newest)) newest = st.lastArrival;
    return newest !== undefined && now <= newest + this.timeJumpThresholdNs && now >= newest - this.timeJumpThresholdNs;
  }

  /** The cameras that became silent by `now` (marked so), with their standing. */
  newlySilent(now: Nanos, cameras: ReadonlyMap<string, Standing>): [string, Standing][] {
    const first = this.#firstArrival;
    if (first === undefined) return [];
    const newly: [string, Standing][] = [];
    for (const [c, s] of cameras) {
      s.lastArrival ??= first;
      if (s.silent || s.isolated || now - s.lastArrival <= this.timeoutNs) continue;
      s.silent = true;
      newly.push([c, s]);
    }
    return newly;
  }
}
