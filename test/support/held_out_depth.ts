// The held-out depth measurement of a learned-depth model (training/README.md's): its map
// through the pipeline's adapter and ground-plane scale recovery, against the rendered depth
// of held-out views, as abs-rel (capped at 1 per pixel) and the fraction within 1.25x.
import { MonoDepthAdapter } from '../../src/depth/mono_depth';
import { metricDepthFromMap } from '../../src/depth/scale_recovery';
import type { Pinhole } from '../../src/geometry/pinhole';
import { photoPool, renderView, VIEW_CAMERA } from '../../training/depth_layouts';

const K: Pinhole = {
  fx: VIEW_CAMERA.fx,
  fy: VIEW_CAMERA.fy,
  cx: VIEW_CAMERA.cx,
  cy: VIEW_CAMERA.cy,
  width: VIEW_CAMERA.width,
  height: VIEW_CAMERA.height,
};
const MAX_RANGE_M = 12;

export interface DepthError {
  absRel: number;
  delta125: number;
  pixels: number;
}

/** Error of `model` (a metric_inverse map) on held-out views from..from+count-1, every 7th pixel. */
export async function heldOutDepthError(model: string, from: number, count: number): Promise<DepthError> {
  const adapter = await MonoDepthAdapter.load(model, { output: 'metric_inverse' }, 'depth.learned_model_path', 2);
  const pool = photoPool('eval');
  const tiles = new Map<number, Float32Array>();
  let absRel = 0;
  let inDelta = 0;
  let n = 0;
  try {
    for (let i = from; i < from + count; i++) {
      const view = renderView('eval', i, pool, tiles);
      const depth = metricDepthFromMap(await adapter.predict(view.image), K, view.baseFromCamera, MAX_RANGE_M);
      for (let p = 0; p < depth.length; p += 7) {
        const t = view.depth[p];
        if (!(t < MAX_RANGE_M)) continue;
        const d = depth[p] > 0 ? depth[p] : Infinity;
        absRel += Math.min(1, Math.abs(d - t) / t);
        if (Math.max(d / t, t / d) < 1.25) inDelta++;
        n++;
      }
    }
  } finally {
    await adapter.dispose();
  }
  return { absRel: absRel / n, delta125: inDelta / n, pixels: n };
}
