// ExactTimePolicy: message_filters' ExactTime semantics, plus a reason for every discarded message.
import { strict as assert } from 'node:assert';
import { ExactTimePolicy } from '../../src/sync/exact_time';
import type { PolicyDropReason } from '../../src/sync/sync_policy';

function run(queueSize: number, messages: [number, bigint][]) {
  const sets: bigint[][] = [];
  const drops: [number, bigint, PolicyDropReason][] = [];
  const policy = new ExactTimePolicy<string>(
    { topics: 3, queueSize },
    {
      onSet: (set) => sets.push(set.map((m) => m.stamp)),
      onDrop: (topic, msg, reason) => drops.push([topic, msg.stamp, reason]),
    },
  );
  messages.forEach(([topic, stamp]) => policy.add(topic, stamp, `${topic}@${stamp}`));
  return { sets, drops, held: policy.drain() };
}

describe('sync/ExactTimePolicy', () => {
  it('emits a set when every topic has the stamp, in any arrival order', () => {
    const r = run(5, [
      [2, 10n],
      [0, 10n],
      [1, 20n],
      [1, 10n],
      [0, 20n],
      [2, 20n],
    ]);
    assert.deepEqual(r.sets, [
      [10n, 10n, 10n],
      [20n, 20n, 20n],
    ]);
    assert.deepEqual(r.drops, []);
    assert.equal(r.held.length, 0);
  });

  it('drops incomplete stamps at or before an emitted set as exact_unmatched', () => {
    const r = run(5, [
      [0, 5n],
      [1, 5n],
      [0, 10n],
      [1, 10n],
      [2, 10n],
      [2, 12n],
    ]);
    assert.deepEqual(r.sets, [[10n, 10n, 10n]]);
    assert.deepEqual(r.drops, [
      [0, 5n, 'exact_unmatched'],
      [1, 5n, 'exact_unmatched'],
    ]);
    assert.deepEqual(
      r.held.map((h) => h.msg.stamp),
      [12n],
    );
  });

  it('keeps at most queueSize incomplete stamps (oldest dropped) and reports duplicates', () => {
    const r = run(2, [
      [0, 1n],
      [0, 2n],
      [1, 3n],
      [2, 3n],
      [2, 3n],
    ]);
    assert.deepEqual(r.drops, [
      [0, 1n, 'queue_overflow'],
      [2, 3n, 'duplicate_stamp'],
    ]);
    assert.deepEqual(
      r.held.map((h) => [h.topic, h.msg.stamp, h.msg.payload]),
      [
        [0, 2n, '0@2'],
        [1, 3n, '1@3'],
        [2, 3n, '2@3'],
      ],
    );
  });

  it('rejects bad shapes and topics with errors naming the value', () => {
    assert.throws(
      () => new ExactTimePolicy({ topics: 10, queueSize: 1 }, { onSet: () => {} }),
      /topics = 10; expected an integer in \[1, 9\]/,
    );
    const p = new ExactTimePolicy({ topics: 2, queueSize: 1 }, { onSet: () => {} });
    assert.throws(() => p.add(2, 0n, null), /ExactTimePolicy.add: topic = 2; expected an integer in \[0, 2\)/);
  });
});
