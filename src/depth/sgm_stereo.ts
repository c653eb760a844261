// Semi-global stereo matching on rectified pairs: 5x5 Census cost, 3 aggregation paths in one
// sweep (left, right, down; or 4 with up, in two), winner-take-all with a uniqueness ratio,
// parabola sub-pixel refinement, left-right check and speckle removal. The work runs on worker
// threads over one shared WebAssembly memory per frame size, with SIMD inner loops. Each worker
// matches one horizontal strip from cost to disparity (strips overlap by STRIP_OVERLAP rows so
// vertical paths enter a strip with history); then one unit removes speckles over the whole
// image. A region of interest or half resolution (sgm_rungs.ts) shrinks what is matched;
// coarse-to-fine, the default (sgm_refine.ts), refines a half-resolution match at full resolution.
import type { Raster } from '../io/raster';
import { toMono8 } from './mono8';
import { parseStereoOptions } from './stereo_options';
import type { StereoOptions, StereoOptionsInput } from './stereo_options';
import type { SgmFrame } from './sgm_census';
import { sgmLayout, sgmViews } from './sgm_layout';
import { cutOut, mapBack, planRungs } from './sgm_rungs';
import type { SgmGeometry } from './sgm_layout';
import { bindSgmSimd, sgmSimdModule } from './sgm_simd';
import { SgmTaskRunner } from './sgm_tasks';
import type { SgmParams, SgmTask } from './sgm_tasks';
import { SgmWorkerPool } from './sgm_worker_pool';
import type { SgmSharedFrame } from './sgm_worker_pool';
import { wasm } from './wasm_api';

const PAGE = 65536;
/** WebAssembly 32-bit memories hold at most 4 GiB. */
const MAX_PAGES = 65536;

export interface DisparityResult {
  /** Left-image disparity in pixels (x_left - x_right), NaN where invalid. Row-major. */
  disparity: Float32Array;
  /** 1 where `disparity` is a match that passed every check, else 0. */
  valid: Uint8Array;
  width: number;
  height: number;
  minDisparity: number;
  numDisparities: number;
}

export class StereoMatcher {
  readonly options: StereoOptions;
  #pool: SgmWorkerPool | undefined;
  #inline: SgmTaskRunner | undefined;
  #shared: SgmSharedFrame | undefined;
  #frame: SgmFrame | undefined;
  #generation = 0;
  #disposed = false;
  #busy = false;

  /** Validates options (throws RangeError naming the key) and starts the worker threads. */
  constructor(opts: StereoOptionsInput = {}) {
    this.options = parseStereoOptions(opts);
    if (this.options.workers > 0) this.#pool = new SgmWorkerPool(this.options.workers);
    else this.#inline = new SgmTaskRunner();
  }

  /**
   * Disparity of a rectified pair (rows aligned, left camera's view). Images must have equal
   * sizes; mono8 is used as is and 8-bit colour is converted to grey. Throws for mismatched
   * sizes, other formats, or a disparity range wider than the image. Callers must await one
   * compute before starting the next on the same matcher.
   */
  async compute(left: Raster, right: Raster): Promise<DisparityResult> {
    if (this.#disposed) throw new Error('StereoMatcher: compute after dispose');
    if (this.#busy) throw new Error('StereoMatcher: compute called while a previous compute is running; await it first');
    const o = this.options;
    if (left.width !== right.width || left.height !== right.height) {
      throw new RangeError(
        `StereoMatcher: left image is ${left.width}x${left.height} but right is ${right.width}x${right.height}; ` +
          'a rectified pair must have equal sizes',
      );
    }
    const l = toMono8(left, 'StereoMatcher: left image');
    const r = toMono8(right, 'StereoMatcher: right image');
    const { width, height } = left;
    const maxD = o.minDisparity + o.numDisparities;
    if (o.numDisparities > width || maxD > width || o.minDisparity <= -width) {
      throw new RangeError(
        `StereoMatcher: disparity range [${o.minDisparity}, ${maxD - 1}] does not fit an image ${width} px wide; ` +
          'expected minDisparity + numDisparities <= width',
      );
    }
    const plan = planRungs(width, height, { ...o, halfResolution: o.resolution !== 'full' });
    const geometry: SgmGeometry = {
      width: plan.width,
      height: plan.height,
      minDisparity: plan.minDisparity,
      disparities: plan.disparities,
      strips: Math.max(1, o.workers),
      refine: o.resolution === 'coarse_to_fine' ? { width, height, minDisparity: o.minDisparity, maxDisparity: maxD - 1 } : undefined,
    };
    const params: SgmParams = {
      p1: o.p1,
      p2: o.p2,
      textureThreshold: o.textureThreshold,
      uniquenessRatio: o.uniquenessRatio,
      disp12MaxDiff: o.disp12MaxDiff,
      subpixel: o.subpixel,
      speckleWindowSize: plan.speckleWindowSize,
      speckleRange: o.speckleRange,
      paths: o.paths,
    };
    this.#busy = true;
    try {
      const frame = await this.#frameFor(geometry);
      const v = frame.v;
      const refine = frame.l.refineLayout;
      if (refine !== undefined) {
        v.u8.set(l, refine.left);
        v.u8.set(r, refine.right);
      }
      if (plan.identity) {
        v.left.set(l);
        v.right.set(r);
      } else {
        cutOut(plan, l, width, v.left);
        cutOut(plan, r, width, v.right);
      }
      const phases: SgmTask[][] = [frame.l.stripLayouts.map((_, index) => ({ kind: 'strip', index }))];
      if (params.speckleWindowSize > 0) phases.push([{ kind: 'speckle' }]);
      if (refine !== undefined) phases.push(refine.strips.map((_, index) => ({ kind: 'refine', index })));
      for (const tasks of phases) await this.#runPhase(params, tasks);
      const out = { width, height, minDisparity: o.minDisparity, numDisparities: o.numDisparities };
      if (refine !== undefined) {
        const n = width * height;
        return {
          disparity: new Float32Array(v.u8.buffer, refine.disparity, n).slice(),
          valid: v.u8.slice(refine.valid, refine.valid + n),
          ...out,
        };
      }
      if (plan.identity) return { disparity: v.disparity.slice(), valid: v.valid.slice(), ...out };
      const disparity = new Float32Array(width * height);
      const valid = new Uint8Array(width * height);
      mapBack(plan, v.disparity, v.valid, o.minDisparity, maxD - 1, disparity, valid, width);
      return { disparity, valid, ...out };
    } finally {
      this.#busy = false;
    }
  }

  /** Stops the worker threads and frees the frame memory. The matcher is unusable after. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#shared = undefined;
    this.#frame = undefined;
    await this.#pool?.dispose();
    this.#pool = undefined;
  }

  async #runPhase(prm: SgmParams, tasks: SgmTask[]): Promise<void> {
    const shared = this.#shared as SgmSharedFrame;
    if (this.#pool !== undefined) return this.#pool.run(shared, prm, tasks);
    const frame = this.#frame as SgmFrame;
    for (const t of tasks) this.#inline?.run(frame, prm, t);
  }

  /** The frame for this geometry: reused while the geometry stays, else a new shared memory. */
  async #frameFor(g: SgmGeometry): Promise<SgmFrame> {
    const module = await sgmSimdModule();
    const cur = this.#shared?.layout;
    if (
      this.#frame === undefined ||
      cur === undefined ||
      cur.width !== g.width ||
      cur.height !== g.height ||
      cur.disparities !== g.disparities ||
      cur.minDisparity !== g.minDisparity ||
      cur.strips !== g.strips ||
      JSON.stringify(cur.refine) !== JSON.stringify(g.refine)
    ) {
      const layout = sgmLayout(g);
      const pages = Math.ceil(layout.byteLength / PAGE);
      if (pages > MAX_PAGES) {
        throw new RangeError(
          `StereoMatcher: a ${g.width}x${g.height} frame with ${g.disparities} disparities needs ${layout.byteLength} bytes; ` +
            'the limit is 4 GiB: reduce numDisparities or the image size',
        );
      }
      const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
      this.#generation++;
      this.#shared = { generation: this.#generation, memory, module, layout };
      this.#frame = { l: layout, v: sgmViews(memory.buffer, layout), k: bindSgmSimd(module, memory) };
    }
    return this.#frame;
  }
}
