// Turns per-camera images and CameraInfos into FrameSets. Around a message_filters policy it adds
// what a robot needs and ROS does not give: CameraInfo pairing, a reason for every dropped image,
// camera dropout handling (wait, or degrade to the cameras that remain, and recover), a restart
// when the rig's time jumps (a bag loop, a simulation reset, a clock step), and isolation of one
// camera whose clock is wrong, so it never resets or stalls the others. Memory is bounded by queueSize.
import type { CameraInfo, CompressedImage, Image } from '../msgs/types';
import { timeToNanos, type Nanos } from '../msgs/time';
import { CameraInfoPairing } from './camera_info_pairing';
import { CameraRoster } from './camera_roster';
import type { Frame, FrameSet } from './frame';
import { sizeMismatch } from './image_size_check';
import { makePolicy } from './make_policy';
import { RigClock, type ClockVerdict } from './rig_clock';
import {
  resolveSyncOptions,
  type FrameDrop,
  type FrameDropReason,
  type FrameSynchronizerOptions,
  type FrameSyncStats,
  type ResolvedSyncOptions,
} from './sync_options';
import type { Stamped, SyncPolicy } from './sync_policy';

export type { DropoutOptions, FrameDrop, FrameDropReason, FrameSynchronizerOptions, FrameSyncStats } from './sync_options';

type AnyImage = Image | CompressedImage;

export class FrameSynchronizer {
  readonly #o: ResolvedSyncOptions;
  readonly #roster: CameraRoster;
  readonly #clock: RigClock;
  readonly #pairing = new Map<string, CameraInfoPairing>();
  readonly #stats: FrameSyncStats;
  readonly #setCbs: ((set: FrameSet) => void)[] = [];
  readonly #dropCbs: ((d: FrameDrop) => void)[] = [];
  readonly #warnCbs: ((msg: string) => void)[] = [];
  #policy: SyncPolicy<Frame>;
  #seq = 0;

  /** Throws RangeError naming the option when the options are inconsistent. */
  constructor(options: FrameSynchronizerOptions) {
    this.#o = resolveSyncOptions(options);
    const { cameras, queueSize, cameraInfo } = this.#o;
    this.#stats = { perCamera: {}, sets: 0, degradedSets: 0, resets: 0, unknownCameraMessages: 0 };
    this.#clock = new RigClock(this.#o.timeJumpThresholdNs, this.#o.dropout.timeoutNs);
    this.#roster = new CameraRoster(this.#o, this.#clock, {
      drop: (camera, stamp, reason) => this.#drop(camera, stamp, reason),
      warn: (msg) => this.#warn(msg),
      rebuild: () => this.#rebuild(),
      accept: (camera, stamp, image) => this.#accept(camera, stamp, image),
    });
    for (const c of cameras) {
      this.#stats.perCamera[c] = { received: 0, heldForInfo: 0, dropped: {} };
      this.#pairing.set(
        c,
        new CameraInfoPairing(cameraInfo, queueSize, {
          paired: (stamp, image, info) => this.#feed(c, stamp, image, info),
          unpaired: (stamp, why) => this.#roster.dropForMissingInfo(c, stamp, why),
        }),
      );
    }
    this.#policy = this.#makePolicy();
  }

  /**
   * Takes the stamp-matching options of `options` (maxIntervalNs, agePenalty: a live
   * configuration change); the images the policy holds carry over into the rebuilt policy.
   */
  retune(options: FrameSynchronizerOptions): void {
    const next = resolveSyncOptions(options);
    this.#o.maxIntervalNs = next.maxIntervalNs;
    this.#o.agePenalty = next.agePenalty;
    this.#rebuild();
  }

  /** Called with every emitted set, synchronously from addImage/tick/finish. */
  onSet(cb: (set: FrameSet) => void): void {
    this.#setCbs.push(cb);
  }

  /** Called for every image that will never be in a set, with the reason. */
  onDrop(cb: (d: FrameDrop) => void): void {
    this.#dropCbs.push(cb);
  }

  /** Called with human-readable warnings (dropout, recovery, time jumps, broken clocks, bad input). */
  onWarning(cb: (msg: string) => void): void {
    this.#warnCbs.push(cb);
  }

  /**
   * Feeds one image of `camera`. `arrival` is the caller's clock when it came (defaults to its
   * stamp) and drives dropout timeouts. Never throws on bad input: it drops and warns instead.
   */
  addImage(camera: string, image: AnyImage, arrival?: Nanos): void {
    if (!this.#pairing.has(camera)) {
      this.#unknownCamera(camera, 'image');
      this.#emitDrop({ camera, stamp: 0n, reason: 'unknown_camera' });
      return;
    }
    this.#stats.perCamera[camera].received++;
    const stamp = this.#stampOf(camera, 'image', image.header.stamp);
    if (stamp === undefined) {
      this.#drop(camera, 0n, 'invalid_stamp');
      return;
    }
    this.#take(camera, stamp, image, arrival ?? stamp);
  }

  /**
   * Records the CameraInfo of `camera`: latched (replaces the previous one) or per frame (kept
   * by stamp, at most queueSize). Unknown cameras and invalid stamps are warned about and ignored.
   */
  addCameraInfo(camera: string, info: CameraInfo): void {
    const pairing = this.#pairing.get(camera);
    if (pairing === undefined) {
      this.#unknownCamera(camera, 'CameraInfo');
      return;
    }
    const stamp = this.#o.cameraInfo === 'per_frame' ? this.#stampOf(camera, 'CameraInfo', info.header.stamp) : undefined;
    this.#roster.infoCame(camera);
    pairing.info(info, stamp);
  }

  /** Advances the caller's clock (sensor or sim time): silent cameras are handled per `dropout`. */
  tick(now: Nanos): void {
    this.#roster.tick(now);
  }

  /**
   * The input has ended (end of a bag, shutdown): emits every set the held images still make,
   * which the policy would otherwise hold until a later image proves it best.
   */
  finish(): void {
    this.#roster.finish();
    this.#policy.finish();
  }

  /** A snapshot of the counters (a copy: callers may keep it). */
  stats(): FrameSyncStats {
    const stats = structuredClone(this.#stats);
    for (const [c, p] of this.#pairing) stats.perCamera[c].heldForInfo = p.held;
    return stats;
  }

  /**
   * A usable image, on to CameraInfo pairing. Images wait there for their camera's first
   * CameraInfo (a driver may send it just after the image); once they waited the dropout timeout,
   * the camera is left out until its CameraInfo comes and its images are dropped meanwhile, so
   * the other cameras neither wait for it nor overflow their queues.
   */
  #accept(camera: string, stamp: Nanos, image: AnyImage): void {
    const pairing = this.#pairing.get(camera)!;
    if (this.#roster.withoutInfo(camera)) return this.#roster.dropForMissingInfo(camera, stamp, 'no CameraInfo received yet');
    pairing.image(stamp, image);
    const since = pairing.waitingSince;
    if (since === undefined || stamp - since <= this.#o.dropout.timeoutNs) return;
    this.#roster.leaveOutWithoutInfo(camera, stamp - since);
    for (const s of pairing.clear()) this.#roster.dropForMissingInfo(camera, s, 'no CameraInfo received yet');
  }

  #feed(camera: string, stamp: Nanos, image: AnyImage, info: CameraInfo): void {
    const misfit = sizeMismatch(image, info);
    if (misfit) return this.#roster.misfit(camera, stamp, misfit);
    this.#roster.fits(camera);
    const index = this.#roster.active.indexOf(camera);
    if (index < 0) {
      this.#drop(camera, stamp, 'camera_dropout');
      return;
    }
    this.#policy.add(index, stamp, { camera, stamp, image, info });
  }

  #makePolicy(): SyncPolicy<Frame> {
    const active = this.#roster.active;
    return makePolicy(this.#o, active, {
      onSet: (set: Stamped<Frame>[]) => this.#emitSet(set),
      onDrop: (_topic, msg, reason) => this.#drop(msg.payload.camera, msg.stamp, reason),
      onWarning: (msg: string) => this.#warn(`FrameSynchronizer [${active.join(', ')}]: ${msg}`),
    });
  }

  /** Rebuilds the policy for the current active cameras and re-feeds what the old one held. */
  #rebuild(): void {
    // No more images come to the old policy: the sets it holds are emitted first, or a set
    // waiting for its proof (the next images) would be lost when a camera joins.
    this.#policy.finish();
    const held = this.#policy.drain();
    this.#policy = this.#makePolicy();
    const active = this.#roster.active;
    for (const { msg } of held) {
      const index = active.indexOf(msg.payload.camera);
      if (index < 0) this.#drop(msg.payload.camera, msg.stamp, 'camera_dropout');
      else this.#policy.add(index, msg.stamp, msg.payload);
    }
  }

  /**
   * Enough cameras agree on a new time: the sets the old time still makes are emitted (the set
   * before a jump is not lost), what is left of it is dropped, and sync restarts on the new time
   * with the images that showed the jump.
   */
  #jump(verdict: Extract<ClockVerdict, { kind: 'jump' }>, camera: string, stamp: Nanos, image: AnyImage, now: Nanos): void {
    const { from, to, cameras } = verdict;
    this.#policy.finish();
    for (const { msg } of this.#policy.drain()) this.#drop(msg.payload.camera, msg.stamp, 'time_jump');
    for (const [c, pairing] of this.#pairing) for (const s of pairing.clear()) this.#drop(c, s, 'time_jump');
    const held = this.#roster.restart(cameras);
    this.#clock.restart(from, to);
    this.#stats.resets++;
    const by = `${(Number(to > from ? to - from : from - to) / 1e9).toFixed(3)} s on camera${cameras.length > 1 ? 's' : ''} ${cameras.map((c) => `"${c}"`).join(', ')} (${from} -> ${to} ns`;
    this.#warn(
      to < from
        ? `FrameSynchronizer: time jumped backwards by ${by}; bag loop or simulation reset); restarting sync on the new time`
        : `FrameSynchronizer: time jumped forwards by ${by}; a clock step or a gap in the data); restarting sync on the new time`,
    );
    held.push({ camera, stamp, image, arrival: now });
    held.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0));
    for (const h of held) this.#take(h.camera, h.stamp, h.image, h.arrival);
  }

  /** Where a valid image goes, by the timeline its stamp is on. */
  #take(camera: string, stamp: Nanos, image: AnyImage, arrival: Nanos): void {
    const verdict = this.#clock.classify(camera, stamp, this.#roster.eligible());
    if (verdict.kind === 'jump') this.#jump(verdict, camera, stamp, image, arrival);
    else this.#roster.take(camera, stamp, image, arrival, verdict.kind);
  }

  /** Warns on the 1st, 2nd, 4th, 8th... message for a camera outside the rig, so a flood stays readable. */
  #unknownCamera(camera: string, what: string): void {
    const n = ++this.#stats.unknownCameraMessages;
    if ((n & (n - 1)) === 0) {
      this.#warn(
        `FrameSynchronizer: ${what} for unknown camera "${camera}" dropped (${n} such messages so far); ` +
          `rig cameras: ${this.#o.cameras.join(', ')}`,
      );
    }
  }

  #stampOf(camera: string, what: string, t: { sec: number; nanosec: number }): Nanos | undefined {
    try {
      return timeToNanos(t);
    } catch {
      this.#warn(
        `FrameSynchronizer: ${what} of camera "${camera}" dropped: header.stamp {sec: ${t.sec}, nanosec: ${t.nanosec}} ` +
          'is not a valid time (expected integer sec and integer nanosec in [0, 1e9))',
      );
      return undefined;
    }
  }

  #emitSet(set: Stamped<Frame>[]): void {
    let stamp = set[0].stamp;
    for (const m of set) if (m.stamp > stamp) stamp = m.stamp;
    // From the set itself: a set the old policy emits while it is rebuilt has the old cameras.
    const missing = this.#o.cameras.filter((c) => !set.some((m) => m.payload.camera === c));
    const frameSet: FrameSet = { seq: this.#seq++, stamp, views: set.map((m) => m.payload), missing };
    this.#stats.sets++;
    if (missing.length > 0) this.#stats.degradedSets++;
    for (const cb of this.#setCbs) cb(frameSet);
  }

  #drop(camera: string, stamp: Nanos, reason: FrameDropReason): void {
    const dropped = this.#stats.perCamera[camera].dropped;
    dropped[reason] = (dropped[reason] ?? 0) + 1;
    this.#emitDrop({ camera, stamp, reason });
  }

  #emitDrop(d: FrameDrop): void {
    for (const cb of this.#dropCbs) cb(d);
  }

  #warn(msg: string): void {
    for (const cb of this.#warnCbs) cb(msg);
  }
}
