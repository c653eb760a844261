// The simulator's contracts beyond geometry: determinism from the seed, stamp realism, and
// images that carry texture where stereo needs it.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { streamFrames } from '../../src/sim/frame_stream';
import { loadScene } from '../../src/sim/scene_loader';
import { SceneSimulator, type SimFrame } from '../../src/sim/scene_simulator';
import { sensorFrames } from '../../src/sim/sensor_frames';
import { variant } from './scene_variants';

function digest(frame: SimFrame): string {
  const h = createHash('sha256');
  for (const [cam, img] of [...frame.images].sort(([a], [b]) => a.localeCompare(b))) {
    h.update(cam);
    h.update(img.data);
    h.update(new Uint8Array(frame.depth.get(cam)!.buffer));
  }
  return h.digest('hex');
}

describe('sim scene simulator', function () {
  this.timeout(60_000);

  it('renders identical bytes for the same seed, in any frame order, and different bytes for another seed', () => {
    const a = new SceneSimulator(loadScene('corridor_crossing'));
    const b = new SceneSimulator(loadScene('corridor_crossing'));
    const a20 = digest(a.renderFrame(20));
    b.renderFrame(90);
    assert.equal(digest(b.renderFrame(20)), a20);
    const other = new SceneSimulator(variant('corridor_crossing', { seed: 8 }));
    assert.notEqual(digest(other.renderFrame(20)), a20);
  });

  it('renders the same frames on worker threads as on the calling thread', async () => {
    const scene = loadScene('moving_robot');
    const sim = new SceneSimulator(scene);
    const seen: number[] = [];
    for await (const f of streamFrames(scene, { workers: 2, first: 10, count: 3 })) {
      assert.equal(digest(f), digest(sim.renderFrame(f.index)));
      assert.deepEqual([...f.stamps], [...sim.renderFrame(f.index).stamps]);
      seen.push(f.index);
    }
    assert.deepEqual(seen, [10, 11, 12]);
  });

  it('jitters each camera stamp within ±jitter_ms around the nominal stamp', () => {
    const sim = new SceneSimulator(variant('warehouse_static', { stamps: { jitter_ms: 2 } }));
    const offsets: number[] = [];
    for (let i = 0; i < 30; i += 3) {
      const f = sim.renderFrame(i);
      assert.equal(f.stamp, sim.schedule.start + BigInt(Math.round((i * 1e9) / 30)));
      for (const s of f.stamps.values()) offsets.push(Number(s - f.stamp) / 1e6);
    }
    assert.ok(
      offsets.every((o) => Math.abs(o) <= 2),
      `offsets ${offsets} exceed ±2 ms`,
    );
    assert.ok(Math.max(...offsets) - Math.min(...offsets) > 2, 'jitter should spread stamps over most of ±2 ms');
    assert.ok(new Set(offsets).size > offsets.length * 0.9, 'each camera and frame should get its own jitter');
    const exact = new SceneSimulator(variant('warehouse_static', { stamps: { jitter_ms: 0 } })).renderFrame(7);
    for (const s of exact.stamps.values()) assert.equal(s, exact.stamp);
  });

  it('drops the configured frame and stops the configured camera', () => {
    const scene = variant('warehouse_static', {
      stamps: { drops: [{ camera: 'front_right', frame: 4 }], stops: [{ camera: 'left', at: 0.2 }] },
    });
    const sim = new SceneSimulator(scene);
    const present = (i: number) => [...sim.renderFrame(i).images.keys()].sort();
    assert.deepEqual(present(3), ['front_left', 'front_right', 'left', 'right']);
    assert.deepEqual(present(4), ['front_left', 'left', 'right']);
    assert.deepEqual(present(5), ['front_left', 'front_right', 'left', 'right']);
    assert.deepEqual(present(6), ['front_left', 'front_right', 'right'], 'left stops at 0.2 s = frame 6');
    const f = sim.renderFrame(4);
    for (const map of [f.stamps, f.depth, f.infos, f.boxes]) assert.ok(!map.has('front_right'));
    const frames = sensorFrames(f);
    assert.deepEqual(
      frames.map((fr) => fr.camera),
      ['front_left', 'left', 'right'],
    );
    for (const fr of frames) {
      assert.equal(fr.stamp, f.stamps.get(fr.camera));
      assert.equal(fr.info?.header.frame_id, `${fr.camera}_optical_frame`);
      assert.ok('encoding' in fr.image && fr.image.encoding === 'bgr8' && fr.image.data === f.images.get(fr.camera)!.data);
    }
  });

  it('textures every surface finely enough for block matching', () => {
    const f = new SceneSimulator(loadScene('corridor_crossing')).renderFrame(0);
    const img = f.images.get('front_left')!;
    const { width: w, height: h } = img;
    // Share of 9x9 windows (on a coarse lattice) whose green channel varies by at least 6 levels.
    let textured = 0;
    let windows = 0;
    for (let y = 8; y < h - 8; y += 16) {
      for (let x = 8; x < w - 8; x += 16) {
        let lo = 255;
        let hi = 0;
        for (let dy = -4; dy <= 4; dy++) {
          for (let dx = -4; dx <= 4; dx++) {
            const g = img.data[((y + dy) * w + x + dx) * 3 + 1];
            lo = Math.min(lo, g);
            hi = Math.max(hi, g);
          }
        }
        windows++;
        if (hi - lo >= 6) textured++;
      }
    }
    assert.ok(textured / windows > 0.95, `${textured}/${windows} windows are textured`);
  });
});
