// Accuracy of a side-camera depth model on views it was not trained on: the held-out split of
// depth_layouts.ts (other layouts, tile textures, colours and photos than training) and,
// optionally, the side cameras of a built-in scene. The model runs through the pipeline's own
// path: MonoDepthAdapter at the camera's full 640x480, then metricDepthFromMap (ground-plane
// scale recovery from the camera's mount), compared with the renderer's exact depth.
//
//   npx tsx training/evaluate_mono_depth.ts --model models/mono_depth_side.onnx --count 300 [--scene corridor_crossing]
//
// Prints abs-rel and delta < 1.25 over all pixels within max range, and the obstacle-relevant
// error: pixels within 10 m that are not ground (more than 0.12 m above it), as the obstacle
// stage sees them.
import type { mat4 } from 'gl-matrix';
import { parseArgs } from 'node:util';
import { MonoDepthAdapter } from '../src/depth/mono_depth';
import { metricDepthFromMap } from '../src/depth/scale_recovery';
import type { Pinhole } from '../src/geometry/pinhole';
import type { Raster } from '../src/io/raster';
import { loadScene, opticalInBase, SceneSimulator } from '../src/sim';
import { photoPool, renderView, VIEW_CAMERA } from './depth_layouts';

const MAX_RANGE_M = 12;
const OBSTACLE_RANGE_M = 10;
const GROUND_HEIGHT_M = 0.12;

class Errors {
  readonly rel: number[] = [];
  readonly obstacleRel: number[] = [];
  readonly obstacleAbs: number[] = [];
  inDelta = 0;
  obstacleInDelta = 0;
  failedFits = 0;

  add(pred: Float32Array, truth: Float32Array, k: Pinhole, baseFromCamera: mat4, step = 2): void {
    const m = baseFromCamera;
    for (let v = 0; v < k.height; v += step) {
      for (let u = 0; u < k.width; u += step) {
        const i = v * k.width + u;
        const t = truth[i];
        if (!(t > 0 && t < MAX_RANGE_M)) continue;
        const p = pred[i] > 0 && Number.isFinite(pred[i]) ? pred[i] : Infinity;
        const rel = Math.abs(p - t) / t;
        const inDelta = Math.max(p / t, t / p) < 1.25;
        this.rel.push(rel);
        if (inDelta) this.inDelta++;
        const x = ((u - k.cx) / k.fx) * t;
        const y = ((v - k.cy) / k.fy) * t;
        const height = m[2] * x + m[6] * y + m[10] * t + m[14];
        if (t < OBSTACLE_RANGE_M && height > GROUND_HEIGHT_M) {
          this.obstacleRel.push(rel);
          this.obstacleAbs.push(Math.abs(p - t));
          if (inDelta) this.obstacleInDelta++;
        }
      }
    }
  }

  report(label: string): string {
    const mean = (a: number[]) => a.reduce((s, x) => s + (Number.isFinite(x) ? x : 1), 0) / Math.max(1, a.length);
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1] ?? NaN;
    const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)} %`;
    return [
      `${label}:`,
      `  all pixels < ${MAX_RANGE_M} m: abs-rel ${mean(this.rel).toFixed(3)}, delta<1.25 ${pct(this.inDelta, this.rel.length)} (${this.rel.length} px)`,
      `  non-ground pixels < ${OBSTACLE_RANGE_M} m: abs-rel ${mean(this.obstacleRel).toFixed(3)} (median ${median(this.obstacleRel).toFixed(3)}), ` +
        `median abs error ${median(this.obstacleAbs).toFixed(2)} m, delta<1.25 ${pct(this.obstacleInDelta, this.obstacleRel.length)} (${this.obstacleRel.length} px)`,
      `  ground-plane fits that failed: ${this.failedFits}`,
    ].join('\n');
  }
}

async function scored(adapter: MonoDepthAdapter, image: Raster, truth: Float32Array, k: Pinhole, baseFromCamera: mat4, raw: Errors, fitted: Errors): Promise<void> {
  const map = await adapter.predict(image);
  raw.add(map.values.map((x) => 1 / x), truth, k, baseFromCamera);
  try {
    fitted.add(metricDepthFromMap(map, k, baseFromCamera, MAX_RANGE_M), truth, k, baseFromCamera);
  } catch {
    fitted.failedFits++;
    fitted.add(new Float32Array(truth.length).fill(NaN), truth, k, baseFromCamera);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'models/mono_depth_side.onnx' }, count: { type: 'string', default: '300' }, scene: { type: 'string' } } });
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 0) throw new Error(`--count ${values.count}: expected an integer >= 0`);
  const adapter = await MonoDepthAdapter.load(values.model!, { output: 'metric_inverse' }, '--model', 2);
  const k: Pinhole = { fx: VIEW_CAMERA.fx, fy: VIEW_CAMERA.fy, cx: VIEW_CAMERA.cx, cy: VIEW_CAMERA.cy, width: VIEW_CAMERA.width, height: VIEW_CAMERA.height };
  const pool = photoPool('eval');
  const tiles = new Map<number, Float32Array>();
  const raw = new Errors();
  const fitted = new Errors();
  for (let i = 0; i < count; i++) {
    const view = renderView('eval', i, pool, tiles);
    await scored(adapter, view.image, view.depth, k, view.baseFromCamera, raw, fitted);
  }
  const lines = [`model ${values.model}; held-out views: ${count} (photos: ${[...new Set(pool.specs.map((s) => s.image.split('/').pop()))].join(', ') || 'none, no data directory'})`];
  if (count > 0) lines.push(raw.report('network output as metric inverse depth (no scale recovery)'), fitted.report('after ground-plane scale recovery (the pipeline\'s path)'));
  if (values.scene) {
    const sim = new SceneSimulator(loadScene(values.scene));
    const sceneRaw = new Errors();
    const sceneFitted = new Errors();
    for (let f = 0; f < sim.frameCount; f += 15) {
      const frame = sim.renderFrame(f);
      for (const cam of sim.cameras.filter((c) => c.name === 'left' || c.name === 'right')) {
        const image = frame.images.get(cam.name);
        if (!image) continue;
        const kc: Pinhole = { fx: cam.fx, fy: cam.fy, cx: cam.cx, cy: cam.cy, width: cam.width, height: cam.height };
        await scored(adapter, image, frame.depth.get(cam.name)!, kc, opticalInBase(cam), sceneRaw, sceneFitted);
      }
    }
    lines.push(sceneRaw.report(`scene ${values.scene}, side cameras, no scale recovery`), sceneFitted.report(`scene ${values.scene}, side cameras, ground-plane scale recovery`));
  }
  console.log(lines.join('\n'));
  await adapter.dispose();
}

main().catch((err: Error) => {
  process.stderr.write(`evaluate_mono_depth: ${err.message}\n`);
  process.exit(1);
});
