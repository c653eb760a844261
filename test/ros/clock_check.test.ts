// ClockCheck: one warning when input stamps and the node clock are on different timelines,
// and the node clock moved onto the stamps' timeline only while they disagree.
import { strict as assert } from 'node:assert';
import { ClockCheck } from '../../src/ros/clock_check';

const S = 1_000_000_000n;

describe('ros/ClockCheck', () => {
  it('says nothing while stamps and clock agree within the threshold, and leaves the clock as is', () => {
    const c = new ClockCheck(10n * S);
    assert.equal(c.observe('a/image_raw', 100n * S, 109n * S, false), undefined);
    assert.equal(c.disagrees, false);
    assert.equal(c.sourceTime(110n * S), 110n * S);
  });

  it('does not judge sim time before the first /clock (node clock 0)', () => {
    const c = new ClockCheck(10n * S);
    assert.equal(c.observe('a/image_raw', 100n * S, 0n, true), undefined);
    assert.equal(c.disagrees, false);
  });

  it('warns once; with use_sim_time true it asks whether /clock comes from the same source', () => {
    const c = new ClockCheck(10n * S);
    const first = c.observe('a/image_raw', 1000n * S, 100n * S, true);
    assert.match(first ?? '', /are 900\.0 s ahead of the node clock; use_sim_time is true: is \/clock published/);
    assert.equal(c.observe('a/image_raw', 1001n * S, 101n * S, true), undefined);
    assert.equal(c.sourceTime(102n * S), 1002n * S);
    // The clock catches up (e.g. /clock starts): back to the node clock, no new warning.
    assert.equal(c.observe('a/image_raw', 1003n * S, 1003n * S, true), undefined);
    assert.equal(c.disagrees, false);
    assert.equal(c.sourceTime(1004n * S), 1004n * S);
  });
});
