// A TF buffer for /tf_static and /tf, like tf2's BufferCore but small: it chains transforms
// through the frame tree, interpolates dynamic ones (lerp + slerp) within a bounded cache time,
// and explains a failed lookup by naming the missing link and the frames it knows.
import { mat4, quat, vec3 } from 'gl-matrix';
import type { Nanos } from '../msgs/time';
import { timeToNanos } from '../msgs/time';
import type { TFMessage, TransformStamped } from '../msgs/types';
import { inverseTransform } from './rotation';

export interface TfBufferOptions {
  /** Dynamic transforms older than the newest one by more than this are forgotten. Default 10 s. */
  cacheTimeNs?: Nanos;
  /** At most this many frames are tracked; transforms introducing more are ignored. Default 1000. */
  maxFrames?: number;
  /** At most this many samples per dynamic frame, whatever the publish rate. Default 10000. */
  maxSamplesPerFrame?: number;
}

interface Sample {
  stamp: Nanos;
  t: Float64Array;
  q: Float64Array;
}

interface FrameLink {
  parent: string;
  isStatic: boolean;
  /** Time-ordered; a single entry for a static link. */
  samples: Sample[];
}

/** Counters of what setTransforms refused, so bad publishers are visible. */
export interface TfBufferStats {
  invalidTransforms: number;
  ignoredFrames: number;
}

/** Names of a transform's values, in the order #add checks them. */
const VALUE_NAMES = ['translation.x', 'translation.y', 'translation.z', 'rotation.x', 'rotation.y', 'rotation.z', 'rotation.w'];

/** tf2 strips a leading slash from frame ids (a ROS 1 habit); so do we. */
function frameName(id: string): string {
  return id.startsWith('/') ? id.slice(1) : id;
}

export class TfBuffer {
  readonly #links = new Map<string, FrameLink>();
  readonly #cacheTime: Nanos;
  readonly #maxFrames: number;
  readonly #maxSamples: number;
  readonly #stats: TfBufferStats = { invalidTransforms: 0, ignoredFrames: 0 };
  /** Frames whose last transform was refused, with why: a failed lookup says so, not "no parent". */
  readonly #dropped = new Map<string, string>();

  constructor(options: TfBufferOptions = {}) {
    const { cacheTimeNs = 10_000_000_000n, maxFrames = 1000, maxSamplesPerFrame = 10_000 } = options;
    if (cacheTimeNs <= 0n) throw new RangeError(`TfBuffer: cacheTimeNs = ${cacheTimeNs}; expected > 0`);
    this.#cacheTime = cacheTimeNs;
    this.#maxFrames = maxFrames;
    this.#maxSamples = maxSamplesPerFrame;
  }

  /**
   * Adds every transform of a /tf (isStatic false) or /tf_static (true) message. Transforms with
   * non-finite values, a zero quaternion, an invalid stamp or an empty/self frame id are skipped
   * and counted (stats()); the rest are stored. Never throws on message content.
   */
  setTransforms(msg: TFMessage, isStatic: boolean): void {
    for (const ts of msg.transforms) this.#add(ts, isStatic);
  }

  /**
   * target_T_source: the mat4 (Float64Array, gl-matrix column-major) that maps points of
   * `sourceFrame` into `targetFrame` at `stamp` (undefined or 0n: the latest common time, as
   * tf2). Throws an Error naming the missing link, or the extrapolation, and the known frames.
   */
  lookup(targetFrame: string, sourceFrame: string, stamp?: Nanos): mat4 {
    const target = frameName(targetFrame);
    const source = frameName(sourceFrame);
    const fail = (why: string): never => {
      throw new Error(
        `no transform from '${source}' to '${target}' in /tf_static or /tf: ${why}; known frames: ${this.frames().join(', ') || '(none)'}`,
      );
    };
    const sourceChain = this.#chain(source, fail);
    const targetChain = this.#chain(target, fail);
    const common = sourceChain.find((f) => targetChain.includes(f));
    if (common === undefined) {
      const rootS = sourceChain[sourceChain.length - 1];
      const rootT = targetChain[targetChain.length - 1];
      const known = (f: string) => this.#links.has(f) || [...this.#links.values()].some((l) => l.parent === f);
      const dropped = this.#dropped.get(rootS) ?? this.#dropped.get(rootT);
      fail(
        dropped !== undefined
          ? dropped
          : !known(rootS)
            ? `'${rootS}' appears in no transform`
            : !known(rootT)
              ? `'${rootT}' appears in no transform`
              : `'${rootS}' has no parent (chain ${sourceChain.join(' -> ')}), and '${target}' is in the tree of '${rootT}'`,
      );
    }
    const at = stamp === undefined || stamp === 0n ? this.#latestCommonTime(sourceChain, targetChain, common as string) : stamp;
    const commonFromSource = this.#compose(sourceChain, common as string, at, fail);
    const commonFromTarget = this.#compose(targetChain, common as string, at, fail);
    return mat4.multiply(new Float64Array(16), inverseTransform(commonFromTarget), commonFromSource);
  }

  /** Every frame named by a stored transform (children and parents), sorted. */
  frames(): string[] {
    const names = new Set<string>();
    for (const [child, link] of this.#links) {
      names.add(child);
      names.add(link.parent);
    }
    return [...names].sort();
  }

  stats(): TfBufferStats {
    return { ...this.#stats };
  }

  #add(ts: TransformStamped, isStatic: boolean): void {
    const child = frameName(ts.child_frame_id);
    const parent = frameName(ts.header.frame_id);
    const { translation: tr, rotation: r } = ts.transform;
    const values = [tr.x, tr.y, tr.z, r.x, r.y, r.z, r.w];
    let stamp: Nanos | undefined;
    try {
      stamp = timeToNanos(ts.header.stamp);
    } catch {
      stamp = undefined;
    }
    const norm = Math.hypot(r.x, r.y, r.z, r.w);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    const why =
      !child || !parent
        ? 'an empty frame id'
        : child === parent
          ? `'${child}' as its own parent`
          : stamp === undefined
            ? `header.stamp {sec: ${ts.header.stamp.sec}, nanosec: ${ts.header.stamp.nanosec}}, not a valid time`
            : bad >= 0
              ? `${VALUE_NAMES[bad]} = ${values[bad]}; expected finite numbers`
              : !(norm > 1e-9)
                ? 'a zero rotation quaternion'
                : undefined;
    if (why !== undefined || stamp === undefined) {
      this.#stats.invalidTransforms++;
      if (child && this.#dropped.size < this.#maxFrames) {
        this.#dropped.set(
          child,
          `its ${isStatic ? '/tf_static' : '/tf'} transform from '${parent}' to '${child}' was dropped: it has ${why}`,
        );
      }
      return;
    }
    this.#dropped.delete(child);
    const sample: Sample = {
      stamp,
      t: Float64Array.of(tr.x, tr.y, tr.z),
      q: Float64Array.of(r.x / norm, r.y / norm, r.z / norm, r.w / norm),
    };
    const link = this.#links.get(child);
    if (link === undefined) {
      if (this.#links.size >= this.#maxFrames) {
        this.#stats.ignoredFrames++;
        return;
      }
      this.#links.set(child, { parent, isStatic, samples: [sample] });
      return;
    }
    if (isStatic || link.isStatic !== isStatic || link.parent !== parent) {
      // A frame re-published (static, or re-parented) replaces what was known about it.
      link.parent = parent;
      link.isStatic = isStatic;
      link.samples = [sample];
      return;
    }
    const samples = link.samples;
    const newest = samples[samples.length - 1].stamp;
    if (stamp < newest - this.#cacheTime) {
      // Far older than the cache: time jumped back (bag loop, sim reset). Start over.
      link.samples = [sample];
      return;
    }
    let i = samples.length;
    while (i > 0 && samples[i - 1].stamp > stamp) i--;
    if (i > 0 && samples[i - 1].stamp === stamp) samples[i - 1] = sample;
    else samples.splice(i, 0, sample);
    const horizon = samples[samples.length - 1].stamp - this.#cacheTime;
    let drop = 0;
    while (drop < samples.length - 1 && samples[drop].stamp < horizon) drop++;
    drop = Math.max(drop, samples.length - this.#maxSamples);
    if (drop > 0) samples.splice(0, drop);
  }

  /** frame, parent, grandparent, ... up to the root. */
  #chain(frame: string, fail: (why: string) => never): string[] {
    const chain = [frame];
    for (let link = this.#links.get(frame); link !== undefined; link = this.#links.get(link.parent)) {
      if (chain.includes(link.parent)) fail(`the frame tree has a cycle (${[...chain, link.parent].join(' -> ')})`);
      chain.push(link.parent);
    }
    return chain;
  }

  /** The newest time at which every dynamic link on both chains (up to `common`) has data. */
  #latestCommonTime(a: string[], b: string[], common: string): Nanos {
    let latest: Nanos | undefined;
    for (const chain of [a, b]) {
      for (const f of chain.slice(0, chain.indexOf(common))) {
        const link = this.#links.get(f) as FrameLink;
        if (link.isStatic) continue;
        const newest = link.samples[link.samples.length - 1].stamp;
        if (latest === undefined || newest < latest) latest = newest;
      }
    }
    return latest ?? 0n;
  }

  /** common_T_chain[0], composing parent_T_child links at time `at`. */
  #compose(chain: string[], common: string, at: Nanos, fail: (why: string) => never): mat4 {
    const out = mat4.identity(new Float64Array(16));
    const link4 = new Float64Array(16);
    for (const f of chain.slice(0, chain.indexOf(common))) {
      const link = this.#links.get(f) as FrameLink;
      const s = link.isStatic ? link.samples[0] : this.#interpolate(f, link, at, fail);
      mat4.fromRotationTranslation(link4, s.q, s.t as unknown as vec3);
      mat4.multiply(out, link4, out);
    }
    return out;
  }

  #interpolate(frame: string, link: FrameLink, at: Nanos, fail: (why: string) => never): Sample {
    const samples = link.samples;
    const first = samples[0];
    const last = samples[samples.length - 1];
    if (at < first.stamp || at > last.stamp) {
      fail(
        `'${frame}' -> '${link.parent}' would need extrapolation into the ${at < first.stamp ? 'past' : 'future'}: ` +
          `requested ${at} ns, data covers [${first.stamp}, ${last.stamp}] ns`,
      );
    }
    let i = samples.length - 1;
    while (i > 0 && samples[i - 1].stamp >= at) i--;
    const b = samples[i];
    if (b.stamp === at || i === 0) return b;
    const a = samples[i - 1];
    const ratio = Number(at - a.stamp) / Number(b.stamp - a.stamp);
    const t = new Float64Array(3);
    vec3.lerp(t, a.t, b.t, ratio);
    const q = new Float64Array(4);
    quat.slerp(q, a.q, b.q, ratio);
    return { stamp: at, t, q };
  }
}
