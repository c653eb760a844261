// Turns per-camera images and CameraInfos into FrameSets. Around a message_filters policy it adds
// what a robot needs and ROS does not give: CameraInfo pairing, a reason for every dropped image,
// camera dropout handling (wait, or degrade to the cameras that remain, and recover), and a reset
// when time jumps backwards (a bag loops, a simulation resets). Memory is bounded by queueSize.
import type { CameraInfo, CompressedImage, Image } from '../msgs/types';
import { timeToNanos, type Nanos } from '../msgs/time';
import { ApproximateTimePolicy } from './approximate_time';
import { ExactTimePolicy } from './exact_time';
import type { Frame, FrameSet } from './frame';
import type { PolicyDropReason, Stamped, SyncPolicy } from './sync_policy';

export interface DropoutOptions {
  /** wait: emit nothing while a camera is silent; degrade: sync the cameras that remain. */
  mode: 'wait' | 'degrade';
  /** A camera is silent when nothing came from it for this long (caller's clock: sensor/sim time). */
  timeoutNs: Nanos;
  /** Degraded sets need at least this many cameras; fewer means waiting. */
  minCameras: number;
}

export interface FrameSynchronizerOptions {
  /** Rig cameras, in the order of FrameSet.views. */
  cameras: string[];
  policy?: 'approximate' | 'exact';
  /** Per camera: images held by the policy (and CameraInfos awaiting their image, per_frame). */
  queueSize?: number;
  maxIntervalNs?: Nanos;
  /** ApproximateTime age penalty (message_filters' own default is 0.1). */
  agePenalty?: number;
  /** Per camera: the least time between two of its frames (helps ApproximateTime emit sooner). */
  interMessageLowerBoundNs?: Record<string, Nanos>;
  /** latched: the latest CameraInfo applies; per_frame: each image needs the info of its stamp. */
  cameraInfo?: 'latched' | 'per_frame';
  dropout?: Partial<DropoutOptions>;
  /** A stamp this far behind the newest one seen is a time jump (reset), not just reordering. */
  timeJumpThresholdNs?: Nanos;
}

/** Why an image never made it into a FrameSet. Policy reasons plus the synchroniser's own. */
export type FrameDropReason =
  | PolicyDropReason
  | 'invalid_stamp'
  | 'unknown_camera'
  | 'no_camera_info'
  | 'out_of_order'
  | 'time_jump'
  | 'stale_after_reset'
  | 'camera_dropout';

export interface FrameDrop {
  camera: string;
  stamp: Nanos;
  reason: string;
}

export interface FrameSyncStats {
  /** heldForInfo: images that came before their camera's first CameraInfo and waited for it. */
  perCamera: Record<string, { received: number; heldForInfo: number; dropped: Record<string, number> }>;
  sets: number;
  degradedSets: number;
  resets: number;
  /** Messages for cameras not in the rig (not keyed by name, so junk names cannot grow memory). */
  unknownCameraMessages: number;
}

const DEFAULT_DROPOUT: DropoutOptions = { mode: 'degrade', timeoutNs: 500_000_000n, minCameras: 1 };

interface CameraState {
  lastStamp: Nanos | undefined;
  /** Caller-clock time of the last image; undefined until the first one or the first tick. */
  lastArrival: Nanos | undefined;
  latchedInfo: CameraInfo | undefined;
  /** per_frame mode: CameraInfos awaiting their image, by stamp, oldest first, at most queueSize. */
  infos: Map<Nanos, CameraInfo>;
  /**
   * Images awaiting their CameraInfo, by stamp, oldest first, at most queueSize: per_frame, the
   * info of their stamp; latched, the camera's first info (drivers and `ros2 bag play` send the
   * image just before its camera_info, so dropping it would lose the first frame set).
   */
  pendingImages: Map<Nanos, Image | CompressedImage>;
  silent: boolean;
  warnedNoInfo: boolean;
  warnedOrder: boolean;
}

export class FrameSynchronizer {
  readonly #cameras: readonly string[];
  readonly #policyKind: 'approximate' | 'exact';
  readonly #queueSize: number;
  readonly #maxIntervalNs: Nanos | undefined;
  readonly #agePenalty: number;
  readonly #lowerBounds: Record<string, Nanos>;
  readonly #infoMode: 'latched' | 'per_frame';
  readonly #dropout: DropoutOptions;
  readonly #jumpThreshold: Nanos;

  readonly #state = new Map<string, CameraState>();
  readonly #stats: FrameSyncStats;
  readonly #setCbs: ((set: FrameSet) => void)[] = [];
  readonly #dropCbs: ((d: FrameDrop) => void)[] = [];
  readonly #warnCbs: ((msg: string) => void)[] = [];

  /** Cameras the current policy synchronises, in rig order (all of them unless degraded). */
  #active: string[];
  #policy: SyncPolicy<Frame>;
  #seq = 0;
  /** Newest stamp accepted since the last reset. */
  #frontier: Nanos | undefined;
  /** After a reset: the newest stamp of the old timeline, to recognise its stragglers. */
  #oldFrontier: Nanos | undefined;
  /**
   * Caller-clock time of the rig's first image since start or reset. Dropout timing starts
   * there: before any camera has published, silence is a node starting, not a camera failing.
   */
  #firstArrival: Nanos | undefined;

  /** Throws RangeError naming the option when the options are inconsistent. */
  constructor(options: FrameSynchronizerOptions) {
    const {
      cameras,
      policy = 'approximate',
      queueSize = 10,
      maxIntervalNs,
      agePenalty = 1.0,
      interMessageLowerBoundNs = {},
      cameraInfo = 'latched',
      dropout = {},
      timeJumpThresholdNs = 1_000_000_000n,
    } = options;
    const dropoutOptions: DropoutOptions = { ...DEFAULT_DROPOUT, ...dropout };
    if (cameras.length < 1 || cameras.length > 8 || new Set(cameras).size !== cameras.length) {
      throw new RangeError(`FrameSynchronizer: cameras = [${cameras.join(', ')}]; expected 1..8 distinct names`);
    }
    for (const name of Object.keys(interMessageLowerBoundNs)) {
      if (!cameras.includes(name)) {
        throw new RangeError(`FrameSynchronizer: interMessageLowerBoundNs names camera "${name}", which is not in cameras`);
      }
    }
    if (dropoutOptions.timeoutNs <= 0n) {
      throw new RangeError(`FrameSynchronizer: dropout.timeoutNs = ${dropoutOptions.timeoutNs}; expected > 0`);
    }
    if (!Number.isInteger(dropoutOptions.minCameras) || dropoutOptions.minCameras < 1 || dropoutOptions.minCameras > cameras.length) {
      throw new RangeError(
        `FrameSynchronizer: dropout.minCameras = ${dropoutOptions.minCameras}; expected an integer in [1, ${cameras.length}]`,
      );
    }
    if (timeJumpThresholdNs <= 0n) {
      throw new RangeError(`FrameSynchronizer: timeJumpThresholdNs = ${timeJumpThresholdNs}; expected > 0`);
    }
    this.#cameras = [...cameras];
    this.#policyKind = policy;
    this.#queueSize = queueSize;
    this.#maxIntervalNs = maxIntervalNs;
    this.#agePenalty = agePenalty;
    this.#lowerBounds = { ...interMessageLowerBoundNs };
    this.#infoMode = cameraInfo;
    this.#dropout = dropoutOptions;
    this.#jumpThreshold = timeJumpThresholdNs;
    this.#stats = { perCamera: {}, sets: 0, degradedSets: 0, resets: 0, unknownCameraMessages: 0 };
    for (const c of cameras) {
      this.#state.set(c, {
        lastStamp: undefined,
        lastArrival: undefined,
        latchedInfo: undefined,
        infos: new Map(),
        pendingImages: new Map(),
        silent: false,
        warnedNoInfo: false,
        warnedOrder: false,
      });
      this.#stats.perCamera[c] = { received: 0, heldForInfo: 0, dropped: {} };
    }
    this.#active = [...cameras];
    this.#policy = this.#makePolicy();
  }

  /** Called with every emitted set, synchronously from addImage/tick. */
  onSet(cb: (set: FrameSet) => void): void {
    this.#setCbs.push(cb);
  }

  /** Called for every image that will never be in a set, with the reason. */
  onDrop(cb: (d: FrameDrop) => void): void {
    this.#dropCbs.push(cb);
  }

  /** Called with human-readable warnings (dropout, recovery, time jumps, bad input). */
  onWarning(cb: (msg: string) => void): void {
    this.#warnCbs.push(cb);
  }

  /**
   * Feeds one image of `camera`. `arrival` is the caller's clock when it came (defaults to its
   * stamp) and drives dropout timeouts. Never throws on bad input: it drops and warns instead.
   */
  addImage(camera: string, image: Image | CompressedImage, arrival?: Nanos): void {
    const state = this.#state.get(camera);
    if (state === undefined) {
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
    const now = arrival ?? stamp;
    state.lastArrival = now;
    this.#firstArrival ??= now;
    if (state.silent) this.#recover(camera, state);
    this.#checkDropout(now);
    if (!this.#admitStamp(camera, state, stamp)) return;
    if (this.#infoMode === 'latched') {
      if (state.latchedInfo === undefined) {
        this.#holdForInfo(camera, state, stamp, image, 'no CameraInfo received yet');
        return;
      }
      this.#feed(camera, stamp, image, state.latchedInfo);
      return;
    }
    const info = state.infos.get(stamp);
    if (info === undefined) {
      // The driver may publish the CameraInfo right after the image: hold the image for it.
      this.#holdForInfo(camera, state, stamp, image, 'no CameraInfo with its stamp arrived (cameraInfo: per_frame)');
      return;
    }
    // Images of a camera come in stamp order, so older infos can no longer match one.
    for (const s of state.infos.keys()) if (s <= stamp) state.infos.delete(s);
    this.#feed(camera, stamp, image, info);
  }

  /**
   * Records the CameraInfo of `camera`: latched (replaces the previous one) or per frame (kept
   * by stamp, at most queueSize). Unknown cameras and invalid stamps are warned about and ignored.
   */
  addCameraInfo(camera: string, info: CameraInfo): void {
    const state = this.#state.get(camera);
    if (state === undefined) {
      this.#unknownCamera(camera, 'CameraInfo');
      return;
    }
    if (this.#infoMode === 'latched') {
      state.latchedInfo = info;
      const held = [...state.pendingImages];
      state.pendingImages.clear();
      for (const [s, image] of held) this.#feed(camera, s, image, info);
      return;
    }
    const stamp = this.#stampOf(camera, 'CameraInfo', info.header.stamp);
    if (stamp === undefined) return;
    const image = state.pendingImages.get(stamp);
    if (image === undefined) {
      state.infos.set(stamp, info);
      if (state.infos.size > this.#queueSize) state.infos.delete(state.infos.keys().next().value as Nanos);
      return;
    }
    for (const [s] of state.pendingImages) {
      if (s >= stamp) break;
      state.pendingImages.delete(s);
      this.#dropForMissingInfo(camera, state, s, 'a CameraInfo for a later image arrived first (cameraInfo: per_frame)');
    }
    state.pendingImages.delete(stamp);
    this.#feed(camera, stamp, image, info);
  }

  /** Advances the caller's clock (sensor or sim time): silent cameras are handled per `dropout`. */
  tick(now: Nanos): void {
    this.#checkDropout(now);
  }

  /** A snapshot of the counters (a copy: callers may keep it). */
  stats(): FrameSyncStats {
    return structuredClone(this.#stats);
  }

  #feed(camera: string, stamp: Nanos, image: Image | CompressedImage, info: CameraInfo): void {
    const index = this.#active.indexOf(camera);
    if (index < 0) {
      this.#drop(camera, stamp, 'camera_dropout');
      return;
    }
    const frame: Frame = { camera, stamp, image, info };
    this.#policy.add(index, stamp, frame);
  }

  /** Holds an image until its CameraInfo comes; beyond queueSize the oldest is dropped for `why`. */
  #holdForInfo(camera: string, state: CameraState, stamp: Nanos, image: Image | CompressedImage, why: string): void {
    state.pendingImages.set(stamp, image);
    this.#stats.perCamera[camera].heldForInfo++;
    if (state.pendingImages.size <= this.#queueSize) return;
    const oldest = state.pendingImages.keys().next().value as Nanos;
    state.pendingImages.delete(oldest);
    this.#dropForMissingInfo(camera, state, oldest, why);
  }

  #dropForMissingInfo(camera: string, state: CameraState, stamp: Nanos, why: string): void {
    if (!state.warnedNoInfo) {
      state.warnedNoInfo = true;
      this.#warn(`FrameSynchronizer: image of camera "${camera}" at ${stamp} ns dropped: ${why} (warned once per camera)`);
    }
    this.#drop(camera, stamp, 'no_camera_info');
  }

  #makePolicy(): SyncPolicy<Frame> {
    const callbacks = {
      onSet: (set: Stamped<Frame>[]) => this.#emitSet(set),
      onDrop: (_topic: number, msg: Stamped<Frame>, reason: PolicyDropReason) => this.#drop(msg.payload.camera, msg.stamp, reason),
      onWarning: (msg: string) => this.#warn(`FrameSynchronizer [${this.#active.join(', ')}]: ${msg}`),
    };
    const topics = this.#active.length;
    return this.#policyKind === 'exact'
      ? new ExactTimePolicy<Frame>({ topics, queueSize: this.#queueSize }, callbacks)
      : new ApproximateTimePolicy<Frame>(
          {
            topics,
            queueSize: this.#queueSize,
            maxIntervalNs: this.#maxIntervalNs,
            agePenalty: this.#agePenalty,
            interMessageLowerBoundsNs: this.#active.map((c) => this.#lowerBounds[c] ?? 0n),
          },
          callbacks,
        );
  }

  /** Rebuilds the policy for the current active cameras and re-feeds what the old one held. */
  #rebuild(): void {
    const held = this.#policy.drain();
    this.#policy = this.#makePolicy();
    for (const { msg } of held) {
      const index = this.#active.indexOf(msg.payload.camera);
      if (index < 0) this.#drop(msg.payload.camera, msg.stamp, 'camera_dropout');
      else this.#policy.add(index, msg.stamp, msg.payload);
    }
  }

  #checkDropout(now: Nanos): void {
    // Before the rig's first image nothing is timed; a camera that never sent anything is
    // timed from that first image, so a camera dead from the start is still detected.
    const first = this.#firstArrival;
    if (first === undefined) return;
    let changed = false;
    for (const camera of this.#cameras) {
      const state = this.#state.get(camera) as CameraState;
      state.lastArrival ??= first;
      if (state.silent || now - state.lastArrival <= this.#dropout.timeoutNs) continue;
      state.silent = true;
      const silentMs = Number(now - state.lastArrival) / 1e6;
      const remaining = this.#cameras.filter((c) => !(this.#state.get(c) as CameraState).silent);
      if (this.#dropout.mode === 'degrade' && remaining.length >= this.#dropout.minCameras) {
        this.#warn(
          `FrameSynchronizer: camera "${camera}" silent for ${silentMs.toFixed(1)} ms (timeout ` +
            `${Number(this.#dropout.timeoutNs) / 1e6} ms); degrading to [${remaining.join(', ')}]`,
        );
        this.#active = remaining;
        changed = true;
      } else {
        this.#warn(
          `FrameSynchronizer: camera "${camera}" silent for ${silentMs.toFixed(1)} ms; waiting for it ` +
            (this.#dropout.mode === 'wait'
              ? '(dropout.mode = wait)'
              : `(only ${remaining.length} cameras left, dropout.minCameras = ${this.#dropout.minCameras})`),
        );
      }
    }
    if (changed) this.#rebuild();
  }

  #recover(camera: string, state: CameraState): void {
    state.silent = false;
    const active = this.#cameras.filter((c) => !(this.#state.get(c) as CameraState).silent);
    this.#warn(`FrameSynchronizer: camera "${camera}" is back; syncing [${active.join(', ')}]`);
    if (this.#dropout.mode === 'degrade' && active.length >= this.#dropout.minCameras && active.join() !== this.#active.join()) {
      this.#active = active;
      this.#rebuild();
    }
  }

  /**
   * Time jumps: a stamp far behind the newest one restarts sync on the new timeline; a stamp a
   * little behind its own camera's last one is reordering and is dropped. Returns whether to use it.
   */
  #admitStamp(camera: string, state: CameraState, stamp: Nanos): boolean {
    if (this.#oldFrontier !== undefined) {
      if (stamp > (this.#frontier as Nanos) + this.#jumpThreshold && stamp <= this.#oldFrontier) {
        this.#drop(camera, stamp, 'stale_after_reset');
        return false;
      }
      if (stamp > this.#oldFrontier) this.#oldFrontier = undefined;
    }
    if (this.#frontier !== undefined && stamp < this.#frontier - this.#jumpThreshold) {
      this.#reset(camera, stamp);
    } else if (state.lastStamp !== undefined && stamp <= state.lastStamp) {
      if (!state.warnedOrder) {
        state.warnedOrder = true;
        this.#warn(
          `FrameSynchronizer: image of camera "${camera}" at ${stamp} ns dropped: not newer than its previous ` +
            `image (${state.lastStamp} ns) (warned once per camera; counted as out_of_order)`,
        );
      }
      this.#drop(camera, stamp, 'out_of_order');
      return false;
    }
    state.lastStamp = stamp;
    if (this.#frontier === undefined || stamp > this.#frontier) this.#frontier = stamp;
    return true;
  }

  #reset(camera: string, stamp: Nanos): void {
    const from = this.#frontier as Nanos;
    this.#warn(
      `FrameSynchronizer: time jumped backwards by ${(Number(from - stamp) / 1e9).toFixed(3)} s on camera "${camera}" ` +
        `(${from} -> ${stamp} ns; bag loop or simulation reset); clearing sync queues`,
    );
    this.#stats.resets++;
    for (const { msg } of this.#policy.drain()) this.#drop(msg.payload.camera, msg.stamp, 'time_jump');
    for (const [name, s] of this.#state) {
      for (const pendingStamp of s.pendingImages.keys()) this.#drop(name, pendingStamp, 'time_jump');
      s.pendingImages.clear();
      s.lastStamp = undefined;
      s.infos.clear();
      // Sensor-clock arrivals restart with the new timeline.
      s.lastArrival = undefined;
    }
    this.#oldFrontier = from;
    this.#frontier = stamp;
    this.#firstArrival = undefined;
  }

  /** Warns on the 1st, 2nd, 4th, 8th... message for a camera outside the rig, so a flood stays readable. */
  #unknownCamera(camera: string, what: string): void {
    const n = ++this.#stats.unknownCameraMessages;
    if ((n & (n - 1)) === 0) {
      this.#warn(
        `FrameSynchronizer: ${what} for unknown camera "${camera}" dropped (${n} such messages so far); ` +
          `rig cameras: ${this.#cameras.join(', ')}`,
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
    const missing = this.#cameras.filter((c) => !this.#active.includes(c));
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
