import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameSummary } from '../../src/replay/frame_summary';
import { compareToGolden, formatDiffs, readGolden, toleranceSchema, writeGolden } from '../../src/replay/golden';

function frame(i: number, x = 4): FrameSummary {
  return {
    stamp: (1_700_000_000_000_000_000n + BigInt(i) * 33_333_333n).toString(),
    decision: 'completed',
    rung: 'full',
    objects: [
      { cls: 'person', x, y: 0.5, z: 0.85 },
      { cls: 'obstacle', x: 2, y: -1, z: 0.4 },
    ],
    tracks: 2,
    depth: { front_left: { valid: 0.8, median: 3.2 } },
    cloud: { points: 500, cx: 3, cy: 0, cz: 0.5 },
    scan: { valid: 200, median: 4.1, min: 1.9, sectors: [4, 3, 0, 0, 0, 0, 2, 5] },
  };
}

describe('regression goldens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'golden-'));
  const frames = [0, 1, 2].map((i) => frame(i));
  const path = join(dir, 'g.yaml');
  writeGolden(path, { format: 1, bag: 'b', time_mode: 'target:dx-v3', tolerances: toleranceSchema.parse({}), frames });

  it('round-trips through YAML and matches itself', () => {
    const golden = readGolden(path);
    assert.deepEqual(golden.frames, frames);
    assert.deepEqual(compareToGolden(golden, frames), []);
  });

  it('names the quantity and the frame of a regression', () => {
    const golden = readGolden(path);
    const moved = [frame(0), frame(1, 4.3), frame(2)];
    const diffs = compareToGolden(golden, moved);
    assert.equal(diffs.length, 1);
    assert.equal(diffs[0].frame, 1);
    assert.match(diffs[0].quantity, /objects\[0\] person .*position_m/);
    assert.match(formatDiffs(diffs), /frame 1 \(stamp \d+\): .*person.* expected 0, got 0\.300/);
  });

  it('reports scheduler decisions, missing frames and scan changes', () => {
    const golden = readGolden(path);
    const f1 = { ...frame(1), decision: 'shed:admission_deadline' };
    const f2 = { ...frame(2), scan: { ...frame(2).scan!, sectors: [4, 3, 0, 0, 0, 0, 2, 4] } };
    const diffs = compareToGolden(golden, [frame(0), f1, f2]);
    assert.deepEqual(diffs.map((d) => d.quantity).sort(), ['scan.sector[7].min_m', 'scheduler.decision']);
    assert.equal(compareToGolden(golden, [frame(0)])[0].quantity, 'frame_sets');
  });

  it('refuses a file that is not a golden', () => {
    const bad = join(dir, 'bad.yaml');
    writeGolden(bad, { format: 1, bag: '', time_mode: '', tolerances: toleranceSchema.parse({}), frames: [] });
    assert.doesNotThrow(() => readGolden(bad));
    assert.throws(() => readGolden(join(dir, 'missing.yaml')), /golden .*missing\.yaml: cannot read/);
    const badTolerance = join(dir, 'bad_tolerance.yaml');
    writeFileSync(badTolerance, 'format: 1\nbag: ""\ntolerances: { object_position_m: -1 }\nframes: []\n');
    assert.throws(() => readGolden(badTolerance), /bad tolerances:\n {2}tolerances\.object_position_m = -1: /);
  });
});
