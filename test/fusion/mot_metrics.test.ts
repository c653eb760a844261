import { strict as assert } from 'node:assert';
import { MotAccumulator } from '../../src/fusion/mot_metrics';

const at = (id: number, x: number) => ({ id, position: [x, 0, 0] });

describe('fusion/mot_metrics', () => {
  it('counts matches, misses, false positives and id switches as CLEAR MOT defines them', () => {
    const acc = new MotAccumulator(1.0);
    acc.addFrame([at(1, 0), at(2, 5)], [at(10, 0.2), at(20, 5.1)]); // 2 matches
    acc.addFrame([at(1, 0), at(2, 5)], [at(10, 0.3), at(30, 5.2)]); // gt 2 switches 20 -> 30
    acc.addFrame([at(1, 0), at(2, 5)], [at(10, 0.1), at(30, 8)]); // gt 2 missed, hyp 30 false positive
    acc.addFrame([at(1, 0)], [at(10, 0.0), at(40, 3)]); // hyp 40 false positive
    const s = acc.summary();
    assert.equal(s.numGt, 7);
    assert.equal(s.numHyp, 8);
    assert.equal(s.matches, 6);
    assert.equal(s.misses, 1);
    assert.equal(s.falsePositives, 2);
    assert.equal(s.idSwitches, 1);
    assert.equal(acc.switchesOf(2), 1);
    assert.ok(Math.abs(s.mota - (1 - (1 + 2 + 1) / 7)) < 1e-12);
    assert.ok(Math.abs(s.motp - (0.2 + 0.1 + 0.3 + 0.2 + 0.1 + 0) / 6) < 1e-12);
    // IDF1: best one-to-one ids are 1<->10 (4 frames) and 2<->20 or 2<->30 (1 frame): IDTP = 5.
    assert.equal(s.idtp, 5);
    assert.ok(Math.abs(s.idf1 - (2 * 5) / (7 + 8)) < 1e-12);
  });

  it('keeps an existing match over a closer newcomer (no spurious switch)', () => {
    const acc = new MotAccumulator(1.0);
    acc.addFrame([at(1, 0)], [at(10, 0.5)]);
    acc.addFrame([at(1, 0)], [at(10, 0.8), at(11, 0.0)]);
    const s = acc.summary();
    assert.equal(s.idSwitches, 0);
    assert.equal(s.falsePositives, 1);
  });
});
