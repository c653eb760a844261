// Where the cameras are, from what the sources deliver: CameraInfo per camera, and /tf_static
// and /tf (or the config's extrinsics when no TF is published). Builds the Rig of the cameras
// that can be used, and the rectification of each stereo pair once per calibration, so the
// per-frame path only looks things up. A camera whose calibration or transform is unusable is
// left out, with why, so one bad camera never stops the others.
import { mat4 } from 'gl-matrix';
import { Rig, type RigCamera } from '../geometry/rig';
import { isRectifiedPair, rectifiedPairAsIs, stereoRectify, type StereoRectification } from '../geometry/stereo_rectify';
import { TfBuffer } from '../geometry/tf_buffer';
import type { CameraInfo, TFMessage } from '../msgs/types';
import type { PerceptionConfig } from '../config/config_schema';

export { PeriodicReport } from '../sync/periodic_report';

export interface StereoPairGeometry {
  left: RigCamera;
  right: RigCamera;
  rect: StereoRectification;
  /** Rectified left optical frame -> base frame (baseFromCamera · R1ᵀ). */
  baseFromRectified: mat4;
  /** Topic-friendly name "<left>_<right>". */
  name: string;
}

export class RigState {
  readonly tf = new TfBuffer();
  readonly #config: PerceptionConfig;
  readonly #infos = new Map<string, CameraInfo>();
  #rig: Rig | undefined;
  #pairs: StereoPairGeometry[] = [];
  #lastError = '';
  /** Cameras left out of the built rig, with why; a later camera_info or new TF frame retries them. */
  readonly #excluded = new Map<string, string>();
  readonly #tfFrames = new Set<string>();
  /** Configured stereo pairs left out of the built rig, with why. */
  #pairProblems: string[] = [];

  constructor(config: PerceptionConfig) {
    this.#config = config;
  }

  setTransforms(msg: TFMessage, isStatic: boolean): void {
    this.tf.setTransforms(msg, isStatic);
    if (this.#rig === undefined) this.#lastError = '';
    // A left-out camera may become usable with a new frame of the tree; /tf at its usual rate
    // (the same frames again) does not rebuild the rig.
    const newFrame = msg.transforms.some((t) => !this.#tfFrames.has(t.child_frame_id));
    for (const t of msg.transforms) this.#tfFrames.add(t.child_frame_id);
    if (this.#excluded.size > 0 && (isStatic || newFrame)) this.#rig = undefined;
  }

  /** Records a CameraInfo; a changed calibration invalidates the rig. */
  setCameraInfo(camera: string, info: CameraInfo): void {
    const old = this.#infos.get(camera);
    if (old && sameCalibration(old, info)) return;
    this.#infos.set(camera, info);
    this.#rig = undefined;
    this.#lastError = '';
  }

  /**
   * The rig of those of `cameras` that have a usable CameraInfo and transform, built on first
   * use; cameras left out are in `excluded` (a camera_info arriving later rebuilds it). Returns
   * undefined, with `error` saying why, when no camera is usable.
   */
  rig(cameras: readonly string[]): Rig | undefined {
    if (this.#rig) return this.#rig;
    this.#excluded.clear();
    const infos: Record<string, CameraInfo> = {};
    for (const c of cameras) {
      const info = this.#infos.get(c);
      if (!info) {
        this.#excluded.set(c, `no camera_info received yet for camera "${c}"`);
        continue;
      }
      try {
        this.#build({ [c]: info });
        infos[c] = info;
      } catch (err) {
        this.#excluded.set(c, (err as Error).message);
      }
    }
    if (Object.keys(infos).length === 0) {
      this.#lastError = `no camera is usable: ${[...this.#excluded.values()].join('; ')}`;
      return undefined;
    }
    try {
      this.#rig = this.#build(infos);
      this.#pairs = this.#buildPairs(this.#rig);
      this.#lastError = '';
      return this.#rig;
    } catch (err) {
      this.#lastError = (err as Error).message;
      return undefined;
    }
  }

  /** Why rig() returned undefined, for warnings. */
  get error(): string {
    return this.#lastError;
  }

  /** Stereo pairs of depth.stereo_pairs left out of the last built rig (swapped left and right). */
  get pairProblems(): readonly string[] {
    return this.#pairProblems;
  }

  /** Cameras left out of the last built rig, with why (naming the camera and the bad value). */
  get excluded(): ReadonlyMap<string, string> {
    return this.#excluded;
  }

  #build(infos: Record<string, CameraInfo>): Rig {
    const mounts = this.#config.rig;
    return Object.keys(mounts).length > 0
      ? Rig.fromParameters(
          Object.fromEntries(
            Object.entries(mounts).map(([k, m]) => [k, { xyz: m.xyz as [number, number, number], rpy: m.rpy as [number, number, number] }]),
          ),
          infos,
        )
      : Rig.fromTf(this.tf, infos, this.#config.frames.base_frame);
  }

  /** Stereo pairs of the last built rig. */
  get pairs(): readonly StereoPairGeometry[] {
    return this.#pairs;
  }

  #buildPairs(rig: Rig): StereoPairGeometry[] {
    const byName = new Map(rig.cameras.map((c) => [c.name, c]));
    const out: StereoPairGeometry[] = [];
    this.#pairProblems = [];
    for (const [l, r] of this.#config.depth.stereo_pairs) {
      const left = byName.get(l);
      const right = byName.get(r);
      if (!left || !right) continue; // a pair of cameras this source does not have
      const rightFromLeft = mat4.multiply(new Float64Array(16), invertRigid(right.baseFromCamera), left.baseFromCamera);
      // The right camera sits at +x of the left optical frame; then the left one is at -x of the right's.
      if (rightFromLeft[12] > 0) {
        this.#pairProblems.push(
          `depth.stereo_pairs [${l}, ${r}]: "${r}" is ${rightFromLeft[12].toFixed(3)} m to the left of "${l}" (from their transforms); expected [left, right], so this pair gives no stereo depth; swap it`,
        );
        continue;
      }
      const rect = isRectifiedPair(left.model, right.model)
        ? rectifiedPairAsIs(left.model, right.model)
        : stereoRectify(left.model, right.model, rightFromLeft);
      out.push({
        left,
        right,
        rect,
        baseFromRectified: mat4.multiply(new Float64Array(16), left.baseFromCamera, rotationTransposeMat4(rect.R1)),
        name: `${l}_${r}`,
      });
    }
    return out;
  }
}

function sameCalibration(a: CameraInfo, b: CameraInfo): boolean {
  const eq = (x: ArrayLike<number>, y: ArrayLike<number>) => x.length === y.length && Array.from(x).every((v, i) => v === y[i]);
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.distortion_model === b.distortion_model &&
    a.header.frame_id === b.header.frame_id &&
    eq(a.k, b.k) &&
    eq(a.d, b.d) &&
    eq(a.r, b.r) &&
    eq(a.p, b.p) &&
    a.binning_x === b.binning_x &&
    a.binning_y === b.binning_y
  );
}

/** Row-major 3x3 rotation R -> gl-matrix (column-major) 4x4 of Rᵀ. */
function rotationTransposeMat4(R: Float64Array): mat4 {
  const m = mat4.identity(new Float64Array(16));
  // Column-major m[col*4+row]; Rᵀ[row][col] = R[col][row] = R[col*3+row].
  for (let row = 0; row < 3; row++) for (let col = 0; col < 3; col++) m[col * 4 + row] = R[col * 3 + row];
  return m;
}

function invertRigid(t: mat4): mat4 {
  return mat4.invert(new Float64Array(16), t) ?? mat4.identity(new Float64Array(16));
}
