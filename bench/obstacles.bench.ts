// Obstacle metrics a navigation stack can trust (issue #18), per scene: each built-in scene and
// the held-out scenes in scenes/held_out (layouts, textures and seeds used neither by the demo
// nor by the training of models/mono_depth_side.onnx) is rendered for a short while, replayed
// through the whole pipeline in target time without a detector, and its virtual scan, obstacle
// cloud and tracks are scored against the scene's exact geometry (src/fusion/obstacle_metrics.ts).
// OBSTACLES_BENCH_SECONDS (default 1.5) and OBSTACLES_BENCH_SCENES (comma-separated) narrow it;
// OBSTACLES_BENCH_SET (key=value;...) changes the configuration as --set does, e.g.
// "depth.learned_model_path=" for stereo only.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObstacleScorer, type ObstacleMetrics, type ScoredObject, type ScoredTrack } from '../src/fusion/obstacle_metrics';
import { openBag } from '../src/io/bag_reader';
import { timeToNanos, type Nanos } from '../src/msgs/time';
import type { TrackedObjectArray } from '../src/msgs/types';
import { loadCliConfig } from '../src/config/config';
import { replayBag } from '../src/replay/replay';
import { outputOf } from '../src/core/result';
import { builtinScenes, BUILTIN_SCENE_DIR, loadScene, writeSceneBag } from '../src/sim';
import { obstacleTruthAt } from '../src/sim/ground_truth';
import type { Scene } from '../src/sim/scene_schema';
import { StampSchedule } from '../src/sim/stamps';
import { SceneWorld } from '../src/sim/world';
import type { BenchRow } from './harness';

/** Objects wider than this are static structure (racks, long shelves), scored by cloud and scan, not as tracks. */
const OBJECT_MAX_EXTENT_M = 3;

/** The goal column, per metric. */
const GOALS: Array<{
  key: Exclude<keyof ObstacleMetrics, 'frames' | 'falseCloudCauses' | 'scanByCamera'>;
  name: string;
  unit: string;
  scale: number;
  target: (s: Scene) => number;
  lowerIsBetter: boolean;
}> = [
  { key: 'scanMedianErrorPct', name: 'scan median range error', unit: '%', scale: 1, target: () => 1.0, lowerIsBetter: true },
  { key: 'scanP90ErrorPct', name: 'scan p90 range error', unit: '%', scale: 1, target: () => 2.5, lowerIsBetter: true },
  {
    key: 'scanCoverage',
    name: 'scan coverage of beams hitting within 10 m',
    unit: '%',
    scale: 100,
    target: () => 80,
    lowerIsBetter: false,
  },
  {
    key: 'scanFalseHits',
    name: 'scan false hits (> 0.3 m from any obstacle)',
    unit: '%',
    scale: 100,
    target: () => 3,
    lowerIsBetter: true,
  },
  { key: 'cloudPrecision', name: 'cloud precision (points within 0.25 m)', unit: '%', scale: 100, target: () => 95, lowerIsBetter: false },
  { key: 'cloudRecall', name: 'cloud recall (objects with >= 20 points)', unit: '%', scale: 100, target: () => 90, lowerIsBetter: false },
  { key: 'trackPositionErrorPct', name: 'track position error (% of range)', unit: '%', scale: 1, target: () => 3, lowerIsBetter: true },
  { key: 'trackRecall', name: 'track recall', unit: '%', scale: 100, target: () => 70, lowerIsBetter: false },
  { key: 'trackPrecision', name: 'track precision', unit: '%', scale: 100, target: () => 80, lowerIsBetter: false },
  { key: 'trackVelocityErrorMps', name: 'track velocity error', unit: 'm/s', scale: 1, target: () => 0.1, lowerIsBetter: true },
  // "At most one per crossing": one per moving object.
  { key: 'idSwitches', name: 'track ID switches', unit: 'count', scale: 1, target: (s) => s.moving_objects.length, lowerIsBetter: true },
];

function scenesToRun(): string[] {
  const heldOut = readdirSync(join(BUILTIN_SCENE_DIR, 'held_out'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(BUILTIN_SCENE_DIR, 'held_out', f));
  const all = [...builtinScenes(), ...heldOut];
  const only = process.env.OBSTACLES_BENCH_SCENES?.split(',').filter(Boolean);
  return only ? all.filter((s) => only.some((o) => s.includes(o))) : all;
}

/** Ids of the objects some camera sees, per ground-truth stamp (the bag's /ground_truth/objects). */
async function visibleObjects(bag: string): Promise<Map<Nanos, Set<number>>> {
  const out = new Map<Nanos, Set<number>>();
  const reader = await openBag(bag);
  try {
    for await (const m of reader.messages({ topics: ['/ground_truth/objects'] })) {
      const msg = m.decode<TrackedObjectArray>();
      out.set(timeToNanos(msg.header.stamp), new Set(msg.objects.filter((o) => o.source_cameras.length > 0).map((o) => o.id)));
    }
  } finally {
    await reader.close();
  }
  return out;
}

async function scoreScene(scene: Scene, dir: string): Promise<{ metrics: ObstacleMetrics; cpuS: number; sets: number }> {
  const bag = join(dir, scene.name);
  await writeSceneBag(scene, bag);
  const visible = await visibleObjects(bag);
  const schedule = new StampSchedule(scene);
  const world = new SceneWorld(scene);
  const period = 1e9 / scene.rate_hz;
  // The ground truth of the nominal frame nearest a stamp.
  const frameAt = (stamp: Nanos) => {
    const index = Math.max(0, Math.min(schedule.frameCount - 1, Math.round(Number(stamp - schedule.start) / period)));
    const t = schedule.nominalTime(index);
    return { t, ...obstacleTruthAt(scene, world, t), visible: visible.get(schedule.nominalStamp(index)) ?? new Set<number>() };
  };
  const set = (process.env.OBSTACLES_BENCH_SET ?? '').split(';').filter(Boolean);
  const config = loadCliConfig({ set }, { scheduler: { time_mode: 'target' } });
  const scorer = new ObstacleScorer(config.depth.stereo_pairs.flat());
  const band = { minHeight: config.scan.min_height_m, maxHeight: config.scan.max_height_m };
  const cpu0 = process.cpuUsage();
  let sets = 0;
  await replayBag(bag, {
    config,
    onResult: (r) => {
      if (r.decision !== 'completed') return;
      sets++;
      const laser = outputOf(r, 'sensor_msgs/msg/LaserScan');
      const cloud = outputOf(r, 'sensor_msgs/msg/PointCloud2');
      const tracked = outputOf(r, 'dx_perception/msg/TrackedObjectArray');
      const f = frameAt(r.stamp);
      const odom = tracked !== undefined && tracked.header.frame_id !== config.frames.base_frame;
      const base = world.baseAt(f.t);
      const objects: ScoredObject[] = f.objects.map((o, k) => ({
        id: o.id,
        box: f.truth.boxes[k],
        visible: f.visible.has(o.id) && Math.hypot(o.center[0], o.center[1]) <= 10,
        trackable: Math.max(o.size[0], o.size[1]) <= OBJECT_MAX_EXTENT_M,
        position: odom ? [o.centerOdom[0], o.centerOdom[1]] : [o.center[0], o.center[1]],
        velocity: odom ? [o.velocityOdom[0], o.velocityOdom[1]] : [o.velocity[0], o.velocity[1]],
      }));
      const tracks: ScoredTrack[] = (tracked?.objects ?? [])
        .filter((t) => t.state !== 0)
        .map((t) => {
          const p = t.pose.pose.position;
          const v = t.velocity.twist.linear;
          return {
            id: t.id,
            range: odom ? Math.hypot(p.x - base.x, p.y - base.y) : Math.hypot(p.x, p.y),
            position: [p.x, p.y],
            velocity: [v.x, v.y],
          };
        });
      const points = cloud ? new Float32Array(cloud.data.slice().buffer) : undefined;
      const scanIn = laser && {
        angleMin: laser.angle_min,
        angleIncrement: laser.angle_increment,
        ranges: laser.ranges,
        ...band,
      };
      scorer.add(f.truth, objects, scanIn, points, tracks);
    },
  });
  const c = process.cpuUsage(cpu0);
  return { metrics: scorer.summary(), cpuS: (c.user + c.system) / 1e6, sets };
}

export default async function obstaclesBench(): Promise<BenchRow[]> {
  const seconds = Number(process.env.OBSTACLES_BENCH_SECONDS ?? 1.5);
  const dir = mkdtempSync(join(tmpdir(), 'obstacles-bench-'));
  const rows: BenchRow[] = [];
  try {
    for (const name of scenesToRun()) {
      let scene: Scene;
      try {
        scene = { ...loadScene(name), duration: seconds };
      } catch (err) {
        // people_crossing wears photos from the data directory; without it the scene cannot load.
        process.stderr.write(`[obstacles] skipping ${name}: ${(err as Error).message.split('\n')[0]}\n`);
        continue;
      }
      const { metrics, cpuS, sets } = await scoreScene(scene, dir);
      process.stderr.write(`[obstacles] ${scene.name}: ${JSON.stringify(metrics)}\n`);
      GOALS.forEach((g, i) => {
        const value = metrics[g.key] * g.scale;
        rows.push({
          name: `${scene.name}: ${g.name}`,
          value: Number.isFinite(value) ? value : NaN,
          unit: g.unit,
          target: g.target(scene),
          lowerIsBetter: g.lowerIsBetter,
          note:
            i === 0
              ? `${seconds} s, ${sets} completed frame sets of ${metrics.frames} scored, target time, no detector; ` +
                `replay CPU ${cpuS.toFixed(1)} s; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`
              : undefined,
        });
      });
      for (const [cause, share] of Object.entries(metrics.falseCloudCauses)) {
        rows.push({ name: `${scene.name}: cloud points far from obstacles, cause ${cause}`, value: 100 * share, unit: '%' });
      }
      // Which cameras' sectors the scan misses or fills with false hits.
      for (const [camera, c] of Object.entries(metrics.scanByCamera)) {
        rows.push({
          name: `${scene.name}: scan coverage / false hits in ${camera}'s view`,
          value: 100 * c.coverage,
          unit: '%',
          note: `false hits ${(100 * c.falseHits).toFixed(1)} %`,
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
