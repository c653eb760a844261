// Synthetic scene generation speed. Target (issue #7): 10 s of 4 × 640×480 at 30 Hz (1200
// images) rendered and written to an MCAP bag in under a minute on this machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScene } from '../src/sim/scene_loader';
import { SceneSimulator } from '../src/sim/scene_simulator';
import { writeSceneBag } from '../src/sim/write_scene_bag';
import { timeMedianMs, type BenchRow } from './harness';

export default async function simBench(): Promise<BenchRow[]> {
  // Without the scene's dropped frame and stopped camera, so that all 1200 images are made.
  const base = loadScene('corridor_crossing');
  const scene = { ...base, stamps: { ...base.stamps, drops: [], stops: [] } };
  const sim = new SceneSimulator(scene);
  let index = 0;
  const frameMs = await timeMedianMs(() => sim.renderFrame(index++ % sim.frameCount), 20, 3);

  const dir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
  try {
    const t0 = process.hrtime.bigint();
    const summary = await writeSceneBag(scene, join(dir, 'bag'));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return [
      {
        name: 'render one frame set, 4 × 640×480, 1 thread',
        value: frameMs,
        unit: 'ms',
        note: `median of 20; ${(frameMs / 4).toFixed(1)} ms per image`,
      },
      {
        name: `write ${scene.name} bag: ${scene.duration} s, ${summary.images} images`,
        value: seconds,
        unit: 's',
        target: 60,
        note: `2 render workers, no compression, ${summary.messages} messages; ${((seconds * 1000) / summary.images).toFixed(1)} ms per image`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
