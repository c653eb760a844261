// End-to-end fusion on an analytic 4-camera sequence with ground truth: two objects crossing
// from the front camera into a side camera, occlusions, a moving car, static objects and an
// object the detector does not know (tracked as a class-agnostic obstacle).
import { strict as assert } from 'node:assert';
import { TrackState } from '../../src/msgs/types';
import { CROSSING_IDS, groundTruthRange } from './support/synthetic_scene';
import { median, runCrossingSequence, type SequenceResult } from './support/run_sequence';

describe('fusion/sequence: 4-camera crossing scene, 6 s at 10 Hz', function () {
  this.timeout(60_000);
  let run: SequenceResult;
  before(() => {
    run = runCrossingSequence({ seconds: 6, rate: 10, seed: 7 });
  });

  it('lifts objects within 10 m to a median 3D error under 5% of range', () => {
    const errs = run.relativePositionErrors;
    assert.ok(errs.length > 200, `only ${errs.length} lifted objects were compared`);
    const med = median(errs);
    console.log(`      lifting: median error ${(100 * med).toFixed(2)}% of range over ${errs.length} objects`);
    assert.ok(med < 0.05, `median relative error ${(100 * med).toFixed(2)}%`);
  });

  it('estimates velocities within 0.2 m/s for objects tracked 1 s or more', () => {
    const lines: string[] = [];
    for (const [gtId, errs] of run.velocityErrors) {
      const med = median(errs);
      lines.push(`#${gtId} ${med.toFixed(3)} m/s (${errs.length})`);
      assert.ok(med < 0.2, `object ${gtId}: median velocity error ${med.toFixed(3)} m/s over ${errs.length} frames`);
    }
    console.log(`      velocity error (median per object): ${lines.join(', ')}`);
    assert.ok(run.velocityErrors.size >= 7, `only ${run.velocityErrors.size} objects were tracked for 1 s`);
  });

  it('reports MOTA, MOTP and IDF1 above sane lower bounds', () => {
    const m = run.mot;
    console.log(
      `      MOT: MOTA ${m.mota.toFixed(3)}, MOTP ${m.motp.toFixed(3)} m, IDF1 ${m.idf1.toFixed(3)}, ` +
        `matches ${m.matches}/${m.numGt}, FP ${m.falsePositives}, misses ${m.misses}, ID switches ${m.idSwitches}`,
    );
    assert.ok(m.mota > 0.8, `MOTA ${m.mota}`);
    assert.ok(m.idf1 > 0.85, `IDF1 ${m.idf1}`);
    assert.ok(m.motp < 0.3, `MOTP ${m.motp} m`);
  });

  it('keeps identities through camera crossings (at most 1 switch per crossing)', () => {
    for (const id of CROSSING_IDS) {
      assert.ok((run.switchesByGt.get(id) ?? 0) <= 1, `object ${id} switched ids ${run.switchesByGt.get(id)} times`);
    }
    // The crossing objects really were seen by two different cameras over the sequence.
    for (const id of CROSSING_IDS) {
      const cams = new Set<string>();
      for (const f of run.frames) {
        const s = f.states.find((st) => st.object.gtId === id);
        const near = s && f.output.tracks.find((t) => Math.hypot(t.position[0] - s.centre[0], t.position[1] - s.centre[1]) < 1);
        near?.cameras.forEach((c) => cams.add(c));
      }
      assert.ok(cams.has('front_left') && (cams.has('left') || cams.has('right')), `object ${id} seen by ${[...cams]}`);
    }
  });

  it('tracks the object the detector does not know as a class-agnostic obstacle', () => {
    const last = run.frames[run.frames.length - 1].output;
    const crate = last.tracks.find((t) => Math.hypot(t.position[0] - 6, t.position[1] + 3) < 0.7);
    assert.ok(crate, 'no track near the crate at (6, -3)');
    assert.equal(crate.className, 'obstacle');
    assert.equal(crate.state, TrackState.CONFIRMED);
  });

  it('produces a virtual scan within 3% (median) of exact ranges within 10 m', () => {
    const errs: number[] = [];
    let covered = 0,
      expected = 0;
    for (const f of run.frames.filter((_, i) => i % 5 === 0)) {
      const scan = f.output.scan;
      const ranges = scan.ranges as Float32Array;
      for (let k = 0; k < ranges.length; k++) {
        const bearing = scan.angle_min + (k + 0.5) * scan.angle_increment;
        const gt = groundTruthRange(f.states, bearing);
        if (!(gt <= 10)) continue;
        // Bearings some depth camera looks at (front +-33 deg, sides 90 +- 33 deg).
        const seen = Math.abs(bearing) < 0.58 || Math.abs(Math.abs(bearing) - Math.PI / 2) < 0.58;
        if (seen) expected++;
        if (!Number.isFinite(ranges[k])) continue;
        if (seen) covered++;
        errs.push(Math.abs(ranges[k] - gt) / gt);
      }
    }
    const med = median(errs);
    console.log(
      `      scan: median error ${(100 * med).toFixed(2)}% over ${errs.length} beams; ${covered}/${expected} visible beams returned`,
    );
    assert.ok(errs.length > 300, `only ${errs.length} beams compared`);
    assert.ok(med < 0.03, `median scan error ${(100 * med).toFixed(2)}%`);
    assert.ok(covered > 0.8 * expected, `only ${covered} of ${expected} visible beams had a return`);
  });

  it('stamps every output with its frame set and keeps track ids unique per frame', () => {
    for (const f of run.frames) {
      const o = f.output;
      const stamp = o.scan.header.stamp;
      for (const h of [o.cloud.header, o.detections3d.header, o.trackedObjects.header, o.markers.markers[0].header]) {
        assert.deepEqual(h.stamp, stamp);
      }
      const ids = o.tracks.map((t) => t.id);
      assert.equal(new Set(ids).size, ids.length);
    }
  });
});
