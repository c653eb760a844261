// Runs FusionStage over an analytic crossing scene and gathers what the tests judge:
// per-frame ground truth, outputs, lifting errors, velocity errors and MOT metrics.
import type { mat4 } from 'gl-matrix';
import { FusionStage } from '../../../src/fusion/fusion_stage';
import { MotAccumulator, type MotSummary } from '../../../src/fusion/mot_metrics';
import type { FusionOptionsInput } from '../../../src/fusion/options';
import type { FusionOutput } from '../../../src/fusion/types';
import { secondsToNanos } from '../../../src/msgs/time';
import { TrackState } from '../../../src/msgs/types';
import {
  DISPARITY_STD,
  Rng,
  crossingScene,
  makeRig,
  obstaclePointsFromViews,
  renderCamera,
  stateAt,
  type ObjectState,
  type RenderedView,
  type SceneObject,
} from './synthetic_scene';

export interface SequenceFrame {
  t: number;
  states: ObjectState[];
  /** gtIds of objects a camera could perceive in this frame. */
  visibleIds: Set<number>;
  rendered: RenderedView[];
  obstaclePoints: Float32Array;
  output: FusionOutput;
}

export interface SequenceResult {
  frames: SequenceFrame[];
  /** |fused position - GT centre| / GT range, for fused objects within 10 m. */
  relativePositionErrors: number[];
  /** Per GT id: |track velocity - GT velocity| (m/s) in frames where its track is >= 1 s old. */
  velocityErrors: Map<number, number[]>;
  mot: MotSummary;
  switchesByGt: Map<number, number>;
}

export interface SequenceOptions {
  seconds: number;
  rate: number;
  seed: number;
  fusion?: FusionOptionsInput;
  objects?: SceneObject[];
  /** Keep depth images and renders (memory heavy) only when a test needs them. */
  keepRenders?: boolean;
  /** Odometry (base_link -> odom) at time t; tracks are then in odom. */
  odomFromBase?: (t: number) => mat4;
}

const MOT_THRESHOLD = 1.0;

export function runCrossingSequence(opts: SequenceOptions): SequenceResult {
  const rig = makeRig();
  const objects = opts.objects ?? crossingScene();
  const stage = new FusionStage(opts.fusion ?? {});
  const rng = new Rng(opts.seed);
  const mot = new MotAccumulator(MOT_THRESHOLD);
  const frames: SequenceFrame[] = [];
  const relativePositionErrors: number[] = [];
  const velocityErrors = new Map<number, number[]>();
  const steps = Math.round(opts.seconds * opts.rate);
  for (let f = 0; f < steps; f++) {
    const t = f / opts.rate;
    const states = objects.map((o) => stateAt(o, t));
    const rendered = rig.map((cam) => renderCamera(cam, states, { rng, boxNoisePx: 2, missRate: 0.05, disparityStd: DISPARITY_STD }));
    const visibleIds = new Set<number>();
    rendered.forEach((r, c) => {
      states.forEach((s, k) => {
        const vis = r.visiblePixels[k];
        const seen = s.object.detectable ? vis >= 30 && vis >= 0.5 * r.silhouettePixels[k] : rig[c].hasDepth && vis >= 200;
        if (seen) visibleIds.add(s.object.gtId);
      });
    });
    const views = rendered.map((r) => r.view);
    const obstaclePoints = obstaclePointsFromViews(views);
    const output = stage.update(secondsToNanos(100 + t), views, obstaclePoints, undefined, opts.odomFromBase?.(t));

    for (const obj of output.objects) {
      const gt = nearest(
        states.filter((s) => s.object.className === obj.className),
        obj.position,
      );
      if (!gt) continue;
      const range = Math.hypot(gt.centre[0], gt.centre[1]);
      const err = Math.hypot(obj.position[0] - gt.centre[0], obj.position[1] - gt.centre[1], obj.position[2] - gt.centre[2]);
      if (range <= 10 && err < 2) relativePositionErrors.push(err / range);
    }
    const gtVisible = states.filter((s) => visibleIds.has(s.object.gtId));
    const hyps = output.tracks.filter((tr) => tr.state === TrackState.CONFIRMED || (tr.state === TrackState.COASTING && tr.misses <= 2));
    mot.addFrame(
      gtVisible.map((s) => ({ id: s.object.gtId, position: s.centre })),
      hyps.map((h) => ({ id: h.id, position: h.position })),
    );
    for (const s of gtVisible) {
      const tr = nearest(hyps, s.centre);
      if (!tr || tr.age < 1 || dist(tr.position, s.centre) > MOT_THRESHOLD) continue;
      const [vx, vy] = s.object.velocity;
      const list = velocityErrors.get(s.object.gtId) ?? [];
      list.push(Math.hypot(tr.velocity[0] - vx, tr.velocity[1] - vy));
      velocityErrors.set(s.object.gtId, list);
    }
    frames.push({ t, states, visibleIds, rendered: opts.keepRenders ? rendered : [], obstaclePoints, output });
  }
  const switchesByGt = new Map(objects.map((o) => [o.gtId, mot.switchesOf(o.gtId)]));
  return { frames, relativePositionErrors, velocityErrors, mot: mot.summary(), switchesByGt };
}

function dist(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

function nearest<T extends { position?: readonly number[]; centre?: readonly number[] }>(
  items: readonly T[],
  p: readonly number[],
): T | undefined {
  let best: T | undefined,
    bestD = Infinity;
  for (const it of items) {
    const q = (it.position ?? it.centre) as readonly number[];
    const d = dist(q, p);
    if (d < bestD) {
      bestD = d;
      best = it;
    }
  }
  return best;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)];
}
