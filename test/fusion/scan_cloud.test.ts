import { strict as assert } from 'node:assert';
import { cropObstaclePoints } from '../../src/fusion/obstacle_cloud';
import { resolveFusionOptions } from '../../src/fusion/options';
import { scanBinCount, virtualScanRanges } from '../../src/fusion/scan';
import { Rng } from './support/synthetic_scene';

describe('fusion/scan', () => {
  const o = resolveFusionOptions({}).scan;

  it('ranges a noisy wall to its true distance and ignores outliers and points outside the band', () => {
    const rng = new Rng(5);
    const pts: number[] = [];
    // A wall at x = 6 m from y = -2 to 2 m, heights 0.2 to 1.6 m, with 3% range noise.
    for (let y = -2; y <= 2; y += 0.02) {
      for (let z = 0.2; z <= 1.6; z += 0.1) pts.push(6 * (1 + 0.03 * rng.normal()), y, z);
    }
    pts.push(2, 0.001, 0.5); // a lone outlier on the 0-degree beam
    pts.push(1, -0.5, 2.5); // above the height band
    pts.push(1, 0.5, 0.01); // below it
    const ranges = virtualScanRanges(Float32Array.from(pts), o);
    assert.equal(ranges.length, scanBinCount(o));
    assert.equal(ranges.length, 720);
    const errs: number[] = [];
    for (let k = 0; k < ranges.length; k++) {
      const bearing = o.angleMin + (k + 0.5) * o.angleIncrement;
      const lateral = Math.abs(bearing) < Math.PI / 2 ? Math.abs(6 * Math.tan(bearing)) : Infinity;
      if (lateral > 1.75 && lateral < 2.4) continue; // the wall's end, blurred by range noise
      if (lateral >= 2.4) {
        assert.equal(ranges[k], Infinity, `beam ${k} (${bearing.toFixed(3)} rad) should be empty`);
        continue;
      }
      const truth = 6 / Math.cos(bearing);
      const err = (ranges[k] - truth) / truth;
      assert.ok(Math.abs(err) < 0.04, `beam ${k}: ${ranges[k]} vs ${truth}`);
      errs.push(err);
    }
    assert.ok(errs.length > 60);
    // The nearest point would sit about two sigma (6%) short; the supported median does not.
    errs.sort((a, b) => a - b);
    const med = errs[errs.length >> 1];
    assert.ok(Math.abs(med) < 0.01, `median signed error ${(100 * med).toFixed(2)}%`);
  });

  it('honours the angle window and range limits', () => {
    const narrow = { ...o, angleMin: -0.5, angleMax: 0.5, rangeMax: 4 };
    const pts = Float32Array.from([3, 0, 1, 3, 0.01, 1, 3, -0.01, 1, 5, 0, 1, 5, 0.01, 1, 5, -0.01, 1, -3, 0, 1, -3, 0.01, 1, -3, 0.02, 1]);
    const r = virtualScanRanges(pts, { ...narrow, pointsPerBeam: 1 });
    assert.equal(r.length, Math.ceil(1 / narrow.angleIncrement));
    const finite = [...r].filter(Number.isFinite);
    assert.ok(finite.length >= 1 && finite.every((v) => Math.abs(v - 3) < 1e-4), `got ${finite}`);
  });

  it('rejects a cloud that is not made of triples', () => {
    assert.throws(() => virtualScanRanges(new Float32Array(4), o), /4 floats; expected x, y, z triples/);
  });
});

describe('fusion/obstacle_cloud', () => {
  it('keeps finite points inside the band and range only', () => {
    const c = resolveFusionOptions({ cloud: { maxRange: 10, minHeight: 0.05, maxHeight: 2 } }).cloud;
    const pts = Float32Array.from([1, 1, 0.5, NaN, 0, 0.5, 2, 2, 0.0, 11, 0, 0.5, 3, -3, 1.9, 0, Infinity, 1]);
    assert.deepEqual([...cropObstaclePoints(pts, c)], [1, 1, 0.5, 3, -3, Math.fround(1.9)]);
  });
});
