// The gate that lets frame sets overlap across stages while each stateful stage still sees them
// one at a time, in dispatch order: a later set that is ready first waits, a set that skips the
// stage lets the next one through, and a set that leaves before its turn does not jump the line.
import { strict as assert } from 'node:assert';
import { OrderedGate } from '../../src/core/ordered_gate';

const tick = () => new Promise((r) => setImmediate(r));

describe('core/ordered_gate', () => {
  it('lets sets in in the order their places were taken, whatever order they arrive in', async () => {
    const gate = new OrderedGate();
    const order: number[] = [];
    const slots = [0, 1, 2].map(() => gate.slot());
    const enter = async (i: number) => {
      await slots[i].ready;
      order.push(i);
      await tick();
      slots[i].release();
    };
    // The last set arrives first, the first one last.
    const runs = [enter(2), enter(1)];
    await tick();
    assert.deepEqual(order, [], 'no set entered before the first one');
    runs.push(enter(0));
    await Promise.all(runs);
    assert.deepEqual(order, [0, 1, 2]);
  });

  it('lets the next set through when one skips the stage, and never before the sets ahead have left', async () => {
    const gate = new OrderedGate();
    const [first, skipper, third] = [gate.slot(), gate.slot(), gate.slot()];
    skipper.release(); // leaves before its turn: the third still waits for the first
    await tick();
    assert.equal(first.open, true);
    assert.equal(third.open, false);
    first.release();
    first.release(); // idempotent
    await third.ready;
    assert.equal(third.open, true);
  });
});
