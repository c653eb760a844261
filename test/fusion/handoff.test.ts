// Cross-camera hand-off on a real rendered scene: in corridor_crossing the first person walks
// from the left camera's view, through the blind gap between it and the front pair, into the
// front pair's view. Replayed through the whole pipeline (no detector: class-agnostic obstacle
// tracks, learned depth on the side cameras, stereo in front), the person keeps one track id.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCliConfig } from '../../src/config/config';
import { outputOf } from '../../src/core/result';
import { openBag } from '../../src/io/bag_reader';
import { timeToNanos, type Nanos } from '../../src/msgs/time';
import type { TrackedObjectArray } from '../../src/msgs/types';
import { replayBag } from '../../src/replay/replay';
import { loadScene, writeSceneBag } from '../../src/sim';

/** The first moving object of corridor_crossing (static objects are numbered first). */
const PERSON_ID = 6;

describe('fusion/handoff: a person walking from the left camera into the front pair (corridor_crossing)', function () {
  this.timeout(600_000);
  const seen: Array<{ cameras: string[]; trackId: number; trackCameras: string[] }> = [];
  let dir = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'handoff-'));
    const bag = join(dir, 'scene');
    // 3.2 s covers left camera -> gap -> front pair; 15 Hz halves the render and replay.
    await writeSceneBag({ ...loadScene('corridor_crossing'), duration: 3.2, rate_hz: 15 }, bag);
    const truth = new Map<Nanos, TrackedObjectArray['objects']>();
    const reader = await openBag(bag);
    try {
      for await (const m of reader.messages({ topics: ['/ground_truth/objects'] })) {
        const msg = m.decode<TrackedObjectArray>();
        truth.set(timeToNanos(msg.header.stamp), msg.objects);
      }
    } finally {
      await reader.close();
    }
    const config = loadCliConfig({ set: [] }, { scheduler: { time_mode: 'target' } });
    await replayBag(bag, {
      config,
      onResult: (r) => {
        if (r.decision !== 'completed') return;
        const stamps = [...truth.keys()];
        const near = stamps.reduce((a, b) => (Math.abs(Number(b - r.stamp)) < Math.abs(Number(a - r.stamp)) ? b : a));
        const person = truth.get(near)!.find((o) => o.id === PERSON_ID)!;
        const p = person.pose.pose.position;
        const tracks = (outputOf(r, 'dx_perception/msg/TrackedObjectArray')?.objects ?? []).filter((t) => t.state !== 0);
        const best = tracks
          .map((t) => ({ t, d: Math.hypot(t.pose.pose.position.x - p.x, t.pose.pose.position.y - p.y) }))
          .sort((a, b) => a.d - b.d)[0];
        if (best && best.d <= 1.0) seen.push({ cameras: person.source_cameras, trackId: best.t.id, trackCameras: best.t.source_cameras });
      },
    });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('tracks the person in the left camera and in the front pair under one id', () => {
    const inLeft = seen.filter((s) => s.cameras.includes('left') && s.trackCameras.includes('left'));
    const inFront = seen.filter((s) => s.cameras.includes('front_left') && s.trackCameras.includes('front_left'));
    assert.ok(inLeft.length >= 5, `tracked from the left camera in ${inLeft.length} frame sets; expected at least 5`);
    assert.ok(inFront.length >= 5, `tracked from the front pair in ${inFront.length} frame sets; expected at least 5`);
    assert.deepEqual([...new Set(seen.map((s) => s.trackId))], [inLeft[0].trackId], JSON.stringify(seen));
  });
});
