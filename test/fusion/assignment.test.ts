import { strict as assert } from 'node:assert';
import { solveAssignment } from '../../src/fusion/assignment';
import { Rng } from './support/synthetic_scene';

/** Exhaustive reference: the best assignment over all injections of the smaller side. */
function bruteForce(cost: Float64Array, rows: number, cols: number): { pairs: number; total: number } {
  let best = { pairs: -1, total: Infinity };
  const used = new Uint8Array(cols);
  const rec = (r: number, pairs: number, total: number): void => {
    if (r === rows) {
      if (pairs > best.pairs || (pairs === best.pairs && total < best.total - 1e-9)) best = { pairs, total };
      return;
    }
    rec(r + 1, pairs, total); // row r unassigned
    for (let c = 0; c < cols; c++) {
      const v = cost[r * cols + c];
      if (used[c] || !Number.isFinite(v)) continue;
      used[c] = 1;
      rec(r + 1, pairs + 1, total + v);
      used[c] = 0;
    }
  };
  rec(0, 0, 0);
  return best;
}

describe('fusion/assignment', () => {
  it('matches exhaustive search on random square, wide, tall and gated matrices', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(rng.uniform() * 6),
        cols = 1 + Math.floor(rng.uniform() * 6);
      const cost = new Float64Array(rows * cols);
      for (let k = 0; k < cost.length; k++) cost[k] = rng.uniform() < 0.3 ? Infinity : Math.round(rng.uniform() * 100) / 7;
      const got = solveAssignment(cost, rows, cols);
      const usedCols = new Set<number>();
      let pairs = 0,
        total = 0;
      got.forEach((c, r) => {
        if (c < 0) return;
        assert.ok(!usedCols.has(c), `column ${c} assigned twice`);
        assert.ok(Number.isFinite(cost[r * cols + c]), 'a forbidden pair was returned');
        usedCols.add(c);
        pairs++;
        total += cost[r * cols + c];
      });
      const ref = bruteForce(cost, rows, cols);
      assert.equal(pairs, ref.pairs, `trial ${trial}: pair count`);
      assert.ok(Math.abs(total - ref.total) < 1e-9, `trial ${trial}: total ${total} vs optimum ${ref.total}`);
    }
  });

  it('treats entries at or above the forbidden threshold as impossible', () => {
    const got = solveAssignment(Float64Array.from([1, 50, 50, 2]), 2, 2, 10);
    assert.deepEqual([...got], [0, 1]);
    const none = solveAssignment(Float64Array.from([11, 12]), 1, 2, 10);
    assert.deepEqual([...none], [-1]);
  });

  it('rejects a cost matrix of the wrong size with a clear error', () => {
    assert.throws(() => solveAssignment(new Float64Array(5), 2, 3), /cost has 5 entries; expected rows\*cols = 2\*3 = 6/);
  });
});
