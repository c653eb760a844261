// Stereo cost and accuracy against OpenCV's StereoSGBM (python3-opencv), MODE_SGBM and
// MODE_SGBM_3WAY, on the very same mono8 pixels, measured in the same run: the Middlebury Aloe
// pair at 641x555 (112 disparities) and a 640x480 frame of the project's corridor scene (128
// disparities, truth from the renderer's depth). The machine is shared, so the matchers are
// measured in alternating rounds and compared by CPU time per frame (every thread of the
// process: our workers, OpenCV's pool), which other processes' load disturbs far less than
// wall time; wall time is reported too. OpenCV is timed inside Python (start and I/O excluded).
// Both cases measure the default coarse-to-fine matcher and the full-resolution one (2 workers and
// 1); the robot frame also measures the cheaper rungs (3 paths in one sweep, half resolution, fewer
// disparities, a region of interest) against the same 3WAY run. Besides bad-2, density and MAE,
// each row set has bad-4 and the outliers at depth edges: the obstacle cloud's phantoms.
import { loadavg } from 'node:os';
import type { Raster } from '../src/io/raster';
import { toMono8 } from '../src/depth/mono8';
import { StereoMatcher } from '../src/depth/sgm_stereo';
import type { DisparityResult } from '../src/depth/sgm_stereo';
import type { StereoOptionsInput } from '../src/depth/stereo_options';
import { loadScene } from '../src/sim/scene_loader';
import { SceneSimulator } from '../src/sim/scene_simulator';
import { ALOE_RANGE, ALOE_SGBM_PARAMS, aloeAvailable, loadAloeHalf } from '../test/depth/fixtures/aloe';
import { findOpenCvPython, runOpenCvSgbm } from '../test/depth/fixtures/opencv_sgbm';
import type { SgbmParams, SgbmRun } from '../test/depth/fixtures/opencv_sgbm';
import { scoreDepthEdges, scoreDisparity } from '../test/depth/fixtures/stereo_metrics';
import type { DisparityScores } from '../test/depth/fixtures/stereo_metrics';
import type { BenchRow } from './harness';

const ROUNDS = 5;
const REPEATS = 3;

interface StereoCase {
  name: string;
  left: Raster<Uint8Array>;
  right: Raster<Uint8Array>;
  /** Ground-truth disparity, px; 0 = unknown. */
  truth: Float32Array;
  minDisparity: number;
  numDisparities: number;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** A 640x480 front pair of the corridor scene, grey, with truth fx * B / z inside the range. */
function sceneCase(numDisparities: number): StereoCase {
  const sim = new SceneSimulator(loadScene('corridor_crossing'));
  const frame = sim.renderFrame(30);
  const [fl, fr] = ['front_left', 'front_right'].map((n) => sim.cameras.find((c) => c.name === n));
  const [li, ri] = ['front_left', 'front_right'].map((n) => frame.images.get(n));
  const depth = frame.depth.get('front_left');
  if (fl === undefined || fr === undefined || li === undefined || ri === undefined || depth === undefined) {
    throw new Error('stereo bench: corridor_crossing has no front_left/front_right pair');
  }
  const baseline = Math.hypot(fl.position[0] - fr.position[0], fl.position[1] - fr.position[1], fl.position[2] - fr.position[2]);
  const truth = new Float32Array(depth.length);
  for (let i = 0; i < depth.length; i++) {
    const d = (fl.fx * baseline) / depth[i];
    truth[i] = d > 0 && d < numDisparities ? d : 0;
  }
  const mono = (r: Raster, what: string): Raster<Uint8Array> => ({
    width: r.width,
    height: r.height,
    channels: 1,
    format: 'mono8',
    data: toMono8(r, what),
  });
  return {
    name: `corridor ${li.width}x${li.height}`,
    left: mono(li, 'left'),
    right: mono(ri, 'right'),
    truth,
    minDisparity: 0,
    numDisparities,
  };
}

/** CPU ms per frame (all threads of this process), wall ms per frame, and the last result. */
async function measureOurs(m: StereoMatcher, c: StereoCase): Promise<{ cpu: number; wall: number; out: DisparityResult }> {
  let out = await m.compute(c.left, c.right);
  const u0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < REPEATS; i++) out = await m.compute(c.left, c.right);
  const wall = Number(process.hrtime.bigint() - t0) / 1e6 / REPEATS;
  const u = process.cpuUsage(u0);
  return { cpu: (u.user + u.system) / 1000 / REPEATS, wall, out };
}

interface Measured {
  label: string;
  cpu: number;
  wall: number;
  scores: DisparityScores & ReturnType<typeof scoreDepthEdges>;
}

const scores = (disp: Float32Array, c: StereoCase) => ({
  ...scoreDisparity(disp, c.truth),
  ...scoreDepthEdges(disp, c.truth, c.left.width),
});

async function compareCase(
  python: string,
  c: StereoCase,
  variants: Array<{ label: string; opts: StereoOptionsInput }>,
): Promise<BenchRow[]> {
  const cv: SgbmParams = { ...ALOE_SGBM_PARAMS, minDisparity: c.minDisparity, numDisparities: c.numDisparities, mode: 'SGBM' };
  const matchers = variants.map((v) => new StereoMatcher({ minDisparity: c.minDisparity, numDisparities: c.numDisparities, ...v.opts }));
  const ours = variants.map(() => ({ cpu: [] as number[], wall: [] as number[], out: undefined as DisparityResult | undefined }));
  const ref = { SGBM: { cpu: [] as number[], wall: [] as number[] }, SGBM_3WAY: { cpu: [] as number[], wall: [] as number[] } };
  const last: Partial<Record<'SGBM' | 'SGBM_3WAY', SgbmRun>> = {};
  const load: number[] = [];
  try {
    for (let r = 0; r < ROUNDS; r++) {
      load.push(loadavg()[0]);
      for (let i = 0; i < matchers.length; i++) {
        const m = await measureOurs(matchers[i], c);
        ours[i].cpu.push(m.cpu);
        ours[i].wall.push(m.wall);
        ours[i].out = m.out;
      }
      for (const mode of ['SGBM', 'SGBM_3WAY'] as const) {
        const run = runOpenCvSgbm(python, c.left, c.right, { ...cv, mode }, REPEATS);
        ref[mode].cpu.push(run.cpuMs);
        ref[mode].wall.push(run.ms);
        last[mode] = run;
      }
    }
  } finally {
    await Promise.all(matchers.map((m) => m.dispose()));
  }
  const measured: Measured[] = [
    ...variants.map((v, i) => ({
      label: v.label,
      cpu: median(ours[i].cpu),
      wall: median(ours[i].wall),
      scores: scores((ours[i].out as DisparityResult).disparity, c),
    })),
    ...(['SGBM', 'SGBM_3WAY'] as const).map((mode) => ({
      label: `OpenCV ${mode} (${last[mode]?.threads} threads)`,
      cpu: median(ref[mode].cpu),
      wall: median(ref[mode].wall),
      scores: scores((last[mode] as SgbmRun).disparity, c),
    })),
  ];
  const threeWay = measured[measured.length - 1];
  const size = `${c.name}, ${c.numDisparities} disp., load ${median(load).toFixed(2)}`;
  const rows: BenchRow[] = [];
  for (const m of measured) {
    const isOurs = !m.label.startsWith('OpenCV');
    const t = (v: number) => (isOurs && m === measured[0] ? v : undefined);
    rows.push(
      { name: `${c.name} ${m.label} CPU`, value: m.cpu, unit: 'ms', note: `${size}; median of ${ROUNDS} rounds x ${REPEATS}` },
      { name: `${c.name} ${m.label} wall`, value: m.wall, unit: 'ms' },
      {
        name: `${c.name} ${m.label} bad-2`,
        value: m.scores.bad2,
        unit: '%',
        target: t(threeWay.scores.bad2),
        note: `3WAY ${threeWay.scores.bad2.toFixed(2)}%`,
      },
      {
        name: `${c.name} ${m.label} density`,
        value: m.scores.density,
        unit: '%',
        target: t(threeWay.scores.density),
        lowerIsBetter: false,
        note: `3WAY ${threeWay.scores.density.toFixed(1)}%`,
      },
      { name: `${c.name} ${m.label} MAE`, value: m.scores.mae, unit: 'px', note: `3WAY ${threeWay.scores.mae.toFixed(3)} px` },
      { name: `${c.name} ${m.label} bad-4`, value: m.scores.bad4, unit: '%', note: `3WAY ${threeWay.scores.bad4.toFixed(2)}%` },
      {
        name: `${c.name} ${m.label} depth-edge bad-4`,
        value: m.scores.edgeBad4,
        unit: '%',
        note: `edge density ${m.scores.edgeDensity.toFixed(1)}%; 3WAY ${threeWay.scores.edgeBad4.toFixed(2)}% at ${threeWay.scores.edgeDensity.toFixed(1)}%`,
      },
    );
    if (isOurs) {
      rows.push({
        name: `${c.name} ${m.label} CPU / 3WAY`,
        value: m.cpu / threeWay.cpu,
        unit: 'ratio',
        target: t(1),
        note: `same run; SGBM ratio ${(m.cpu / measured[measured.length - 2].cpu).toFixed(2)}`,
      });
    }
  }
  return rows;
}

export default async function stereoBench(): Promise<BenchRow[]> {
  const python = findOpenCvPython();
  if (python === undefined) return [{ name: 'stereo comparison skipped', value: 0, unit: '', note: 'needs python3-opencv' }];
  const rows: BenchRow[] = [];
  // The first row is the default matcher (coarse-to-fine, 2 workers), the one the targets apply
  // to. 1 worker: no strip overlap and no second thread contending for cache, the cheapest in CPU.
  const full: Array<{ label: string; opts: StereoOptionsInput }> = [
    { label: 'SGM coarse-to-fine (default, 2 workers)', opts: {} },
    { label: 'SGM coarse-to-fine 1 worker', opts: { workers: 1 } },
    { label: 'SGM full resolution (2 workers)', opts: { resolution: 'full' } },
    { label: 'SGM full resolution 1 worker', opts: { resolution: 'full', workers: 1 } },
  ];
  if (aloeAvailable()) {
    const pair = loadAloeHalf();
    rows.push(...(await compareCase(python, { name: 'Aloe 641x555', ...pair, ...ALOE_RANGE }, full)));
  } else {
    rows.push({ name: 'Aloe comparison skipped', value: 0, unit: '', note: 'needs opencv-doc (Aloe images)' });
  }
  // The cheaper rungs, on the robot frame: their density counts every truth pixel, so the roi
  // (the lower half, where the floor and obstacles are) and 64 disparities lose the rest by design.
  rows.push(
    ...(await compareCase(python, sceneCase(128), [
      ...full,
      { label: 'SGM full resolution 3 paths (one sweep)', opts: { resolution: 'full', paths: 3 } },
      { label: 'SGM half resolution (stereo_half_resolution rung)', opts: { resolution: 'half' } },
      { label: 'SGM coarse-to-fine 64 disparities', opts: { numDisparities: 64 } },
      { label: 'SGM half resolution roi lower half', opts: { resolution: 'half', roi: { x: 0, y: 240, width: 640, height: 240 } } },
    ])),
  );
  return rows;
}
