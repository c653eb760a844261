// The standing of each rig camera for the frame synchroniser: which cameras are synchronised
// now (all, or those left when one is silent or its clock is wrong), and what happens to an
// image before it reaches CameraInfo pairing. A camera is left out when it is silent for the
// dropout timeout or its stamps are off the other cameras' time (isolated); it comes back with
// its first usable image. Lasting problems are reported periodically, naming the camera.
import type { Nanos } from '../msgs/time';
import { newStanding, say, type AnyImage, type HeldImage, type Standing } from './camera_standing';
import { PeriodicReport } from './periodic_report';
import { SilenceTimer } from './silence_timer';
import type { RigClock } from './rig_clock';
import type { FrameDropReason, ResolvedSyncOptions } from './sync_options';

export interface RosterCallbacks {
  drop(camera: string, stamp: Nanos, reason: FrameDropReason): void;
  warn(message: string): void;
  /** The active cameras changed: the policy must be rebuilt for them. */
  rebuild(): void;
  /** A usable image, on to CameraInfo pairing. */
  accept(camera: string, stamp: Nanos, image: AnyImage): void;
}

export class CameraRoster {
  readonly #o: ResolvedSyncOptions;
  readonly #clock: RigClock;
  readonly #cb: RosterCallbacks;
  readonly #state = new Map<string, Standing>();
  readonly #reports = new PeriodicReport();
  /** Cameras the policy synchronises, in rig order (all of them unless degraded). */
  active: string[];
  readonly #silence: SilenceTimer;

  constructor(o: ResolvedSyncOptions, clock: RigClock, callbacks: RosterCallbacks) {
    this.#o = o;
    this.#clock = clock;
    this.#cb = callbacks;
    this.active = [...o.cameras];
    this.#silence = new SilenceTimer(o.dropout.timeoutNs, o.timeJumpThresholdNs);
    for (const c of o.cameras) {
      this.#state.set(c, newStanding());
    }
  }

  /** Cameras not silent: those whose stamps decide whether the rig's time jumped. */
  eligible(): string[] {
    return this.#o.cameras.filter((c) => !this.#state.get(c)!.silent);
  }

  /** One valid image, with the timeline its stamp is on. */
  take(camera: string, stamp: Nanos, image: AnyImage, arrival: Nanos, timeline: 'on' | 'off' | 'stale'): void {
    const s = this.#state.get(camera)!;
    if (timeline === 'stale') return this.#unusable(camera, s, stamp, 'stale_after_reset');
    if (timeline === 'off') return this.#holdOff(camera, s, { camera, stamp, image, arrival });
    if (s.lastStamp !== undefined && stamp <= s.lastStamp) return this.#outOfOrder(camera, s, stamp);
    const early = s.early;
    if (early) {
      s.early = undefined;
      if (stamp < early.stamp) {
        this.#cb.warn(say.future(camera, early.stamp, stamp));
        this.#cb.drop(camera, early.stamp, 'stamp_in_future');
      } else {
        this.#use(camera, s, early);
        if (stamp <= early.stamp) return this.#outOfOrder(camera, s, stamp);
      }
    }
    const held = { camera, stamp, image, arrival };
    if (this.#aheadOfOthers(camera, stamp)) s.early = held;
    else this.#use(camera, s, held);
  }

  tick(now: Nanos): void {
    if (this.#silence.tickCounts(now, this.#state.values())) this.#checkDropout(now);
  }

  /** End of input: an early image is used; images of an undecided clock are dropped. */
  finish(): void {
    for (const [c, s] of this.#state) {
      if (s.early) this.#use(c, s, s.early);
      s.early = undefined;
      for (const h of s.offHeld.splice(0)) this.#cb.drop(c, h.stamp, 'clock_offset');
    }
  }

  /**
   * The rig's time jumped to the time of `cameras`: returns their held images (to re-feed on the
   * new time); everything else held is dropped, and every camera is judged anew.
   */
  restart(cameras: readonly string[]): HeldImage[] {
    const keep: HeldImage[] = [];
    for (const [c, s] of this.#state) {
      if (cameras.includes(c)) keep.push(...s.offHeld);
      else for (const h of s.offHeld) this.#cb.drop(c, h.stamp, 'time_jump');
      if (s.early) this.#cb.drop(c, s.early.stamp, 'time_jump');
      Object.assign(s, { lastStamp: undefined, period: 0n, isolated: false, offHeld: [], early: undefined });
    }
    this.#silence.restart(this.#state.values());
    this.#applyActive();
    return keep;
  }

  /** An image dropped while waiting for CameraInfo (warned once per camera lifetime by its key). */
  dropForMissingInfo(camera: string, stamp: Nanos, why: string): void {
    if (this.#reports.due(`info:${camera}`, this.#clock.frontier ?? stamp)) {
      this.#cb.warn(say.missingInfo(camera, stamp, why, this.#reports.periodNs));
    }
    this.#unusable(camera, this.#state.get(camera)!, stamp, 'no_camera_info');
  }

  /**
   * An image that cannot be used with its CameraInfo (`why` names both sizes): the camera is
   * left out until one can, its images dropped as size_mismatch, said again every period.
   */
  misfit(camera: string, stamp: Nanos, why: string): void {
    const s = this.#state.get(camera)!;
    const first = s.misfit === undefined;
    s.misfit = why;
    if (first) this.#applyActive();
    if (this.#reports.due(`size:${camera}:${why}`, this.#clock.frontier ?? stamp)) {
      this.#cb.warn(say.misfit(camera, why, this.#reports.periodNs, this.#degradeClause(camera)));
    }
    this.#unusable(camera, s, stamp, 'size_mismatch');
  }

  /** Whether `camera` is left out until its first CameraInfo comes. */
  withoutInfo(camera: string): boolean {
    return this.#state.get(camera)!.noInfo;
  }

  /** A camera whose images waited `waitedNs` for its first CameraInfo: left out until one comes. */
  leaveOutWithoutInfo(camera: string, waitedNs: Nanos): void {
    const s = this.#state.get(camera)!;
    s.noInfo = true;
    this.#cb.warn(say.noInfo(camera, waitedNs, this.#degradeClause(camera)));
    this.#applyActive();
  }

  /** A CameraInfo came: a camera left out for the lack of one is synced again. */
  infoCame(camera: string): void {
    const s = this.#state.get(camera)!;
    if (!s.noInfo) return;
    s.noInfo = false;
    this.#cb.warn(say.infoCame(camera));
    this.#applyActive();
  }

  /** An image of the size its CameraInfo says: a camera left out for its size is synced again. */
  fits(camera: string): void {
    const s = this.#state.get(camera)!;
    if (s.misfit === undefined) return;
    s.misfit = undefined;
    this.#cb.warn(say.fitsAgain(camera));
    this.#applyActive();
  }

  #use(camera: string, s: Standing, h: HeldImage): void {
    if (s.lastStamp !== undefined) s.period = h.stamp - s.lastStamp;
    s.lastStamp = h.stamp;
    s.lastArrival = h.arrival;
    s.unusable = 0;
    this.#silence.started(h.arrival);
    let changed = s.silent || s.isolated;
    if (s.isolated) this.#cb.warn(say.agreesAgain(camera));
    else if (s.silent) this.#cb.warn(say.back(camera));
    s.silent = s.isolated = false;
    for (const o of s.offHeld.splice(0)) this.#cb.drop(camera, o.stamp, 'clock_offset');
    for (const proven of this.#clock.accept(camera, h.stamp, this.eligible())) changed = this.#isolate(proven) || changed;
    if (changed) this.#applyActive();
    this.#checkDropout(h.arrival);
    for (const [c, other] of this.#state) {
      if (other.early && c !== camera && !this.#aheadOfOthers(c, other.early.stamp)) {
        const e = other.early;
        other.early = undefined;
        this.#use(c, other, e);
      }
    }
    this.#cb.accept(camera, h.stamp, h.image);
  }

  /**
   * Whether `stamp` is further ahead of every other synchronised camera than two frame gaps (at
   * most the dropout timeout): used as it is, it would make the others look silent and older
   * images of its own camera look out of order.
   */
  #aheadOfOthers(camera: string, stamp: Nanos): boolean {
    let newest: Nanos | undefined;
    let period = 0n;
    for (const c of this.active) {
      const s = this.#state.get(c)!;
      if (s.period > period) period = s.period;
      if (c === camera || s.silent || s.isolated || s.lastStamp === undefined) continue;
      if (newest === undefined || s.lastStamp > newest) newest = s.lastStamp;
    }
    const timeout = this.#o.dropout.timeoutNs;
    return newest !== undefined && stamp - newest > (period > 0n && 2n * period < timeout ? 2n * period : timeout);
  }

  #holdOff(camera: string, s: Standing, h: HeldImage): void {
    if (s.isolated) return this.#unusable(camera, s, h.stamp, 'clock_offset');
    s.offHeld.push(h);
    if (s.offHeld.length > this.#o.queueSize) this.#cb.drop(camera, s.offHeld.shift()!.stamp, 'clock_offset');
  }

  /** Leaves out a camera whose clock is proven wrong. Returns whether it was not isolated yet. */
  #isolate(camera: string): boolean {
    const s = this.#state.get(camera)!;
    if (s.isolated) return false;
    s.isolated = true;
    const offset = this.#clock.offsetOf(camera) ?? 0n;
    for (const h of s.offHeld.splice(0)) this.#unusable(camera, s, h.stamp, 'clock_offset');
    this.#cb.warn(say.isolated(camera, offset, this.#degradeClause(camera)));
    return true;
  }

  #outOfOrder(camera: string, s: Standing, stamp: Nanos): void {
    if (this.#reports.due(`order:${camera}`, this.#clock.frontier ?? stamp)) {
      this.#cb.warn(say.outOfOrder(camera, stamp, s.lastStamp, this.#reports.periodNs));
    }
    this.#unusable(camera, s, stamp, 'out_of_order');
  }

  #unusable(camera: string, s: Standing, stamp: Nanos, reason: FrameDropReason): void {
    s.unusable++;
    s.unusableWhy = reason;
    if (s.isolated && reason === 'clock_offset' && this.#reports.due(`clock:${camera}`, this.#clock.frontier ?? stamp)) {
      const offset = this.#clock.offsetOf(camera) ?? 0n;
      this.#cb.warn(say.stillIsolated(camera, offset, s.unusable));
    }
    this.#cb.drop(camera, stamp, reason);
  }

  #checkDropout(now: Nanos): void {
    const newly = this.#silence.newlySilent(now, this.#state);
    for (const [c, s] of newly) {
      this.#cb.warn(say.silent(c, s, now - s.lastArrival!, this.#o.dropout.timeoutNs, this.#degradeClause(c)));
    }
    if (newly.length > 0) this.#applyActive();
  }

  /** What the rig does without `camera`: degrade to the rest, or wait for it. */
  #degradeClause(camera: string): string {
    const remaining = this.#usable().filter((c) => c !== camera);
    if (this.#o.dropout.mode === 'degrade' && remaining.length >= this.#o.dropout.minCameras)
      return `degrading to [${remaining.join(', ')}]`;
    return this.#o.dropout.mode === 'wait'
      ? 'waiting for it (dropout.mode = wait)'
      : `waiting for it (only ${remaining.length} cameras left, dropout.minCameras = ${this.#o.dropout.minCameras})`;
  }

  #usable(): string[] {
    return this.#o.cameras.filter((c) => {
      const s = this.#state.get(c)!;
      return !s.silent && !s.isolated && !s.noInfo && s.misfit === undefined;
    });
  }

  /** Synchronises the usable cameras when dropout.mode and minCameras allow it; all of them when all are usable. */
  #applyActive(): void {
    const usable = this.#usable();
    const degrade = this.#o.dropout.mode === 'degrade' && usable.length >= this.#o.dropout.minCameras;
    const target = degrade || usable.length === this.#o.cameras.length ? usable : this.active;
    if (target.join() === this.active.join()) return;
    this.active = target;
    this.#cb.rebuild();
  }
}
