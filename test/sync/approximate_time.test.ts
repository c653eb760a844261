// The ApproximateTime port against ROS message_filters' own C++ template on seeded random
// streams: same sets, in the same order. Also checks that every message is accounted for.
import { strict as assert } from 'node:assert';
import { ApproximateTimePolicy } from '../../src/sync/approximate_time';
import { buildReference, runReference, type ReferenceCase } from '../support/message_filters_reference';
import { randomInt, seededRandom, type Random } from '../support/seeded_random';

const MS = 1_000_000n;

/** A multi-camera-like stream: per-topic rate, stamp jitter, random drops and transport latency. */
function randomCase(seed: number): ReferenceCase {
  const rand: Random = seededRandom(seed);
  const topics = randomInt(rand, 2, 8);
  const base = 1_700_000_000n * 1_000_000_000n;
  const sharedRate = rand() < 0.6;
  const basePeriodMs = randomInt(rand, 20, 100);
  const jitterMs = randomInt(rand, 0, 6);
  const dropProbability = rand() < 0.3 ? 0 : rand() * 0.3;
  const withBounds = rand() < 0.3;
  const arrivals: { topic: number; stamp: bigint; arrival: bigint }[] = [];
  const lowerBoundsNs: bigint[] = [];
  for (let t = 0; t < topics; t++) {
    const periodMs = sharedRate ? basePeriodMs : randomInt(rand, 15, 120);
    const latencyMs = randomInt(rand, 0, 40);
    const offsetNs = BigInt(randomInt(rand, 0, periodMs * 1_000_000));
    lowerBoundsNs.push(withBounds ? BigInt(Math.max(0, periodMs - 2 * jitterMs)) * MS : 0n);
    for (let k = 0; k < Math.floor(4000 / periodMs); k++) {
      if (rand() < dropProbability) continue;
      const jitterNs = BigInt(Math.round((rand() * 2 - 1) * jitterMs * 1e6));
      const stamp = base + offsetNs + BigInt(k * periodMs) * MS + jitterNs;
      const arrival = stamp + BigInt(latencyMs) * MS + BigInt(randomInt(rand, 0, 5_000_000));
      arrivals.push({ topic: t, stamp, arrival });
    }
  }
  arrivals.sort((a, b) => (a.arrival < b.arrival ? -1 : a.arrival > b.arrival ? 1 : a.topic - b.topic));
  const penalties = [0, 0.1, 0.5, 1.0, 3.7];
  return {
    topics,
    queueSize: randomInt(rand, 1, 12),
    maxIntervalNs: rand() < 0.4 ? BigInt(randomInt(rand, 1, 40)) * MS : undefined,
    agePenalty: penalties[randomInt(rand, 0, penalties.length - 1)],
    lowerBoundsNs,
    messages: arrivals.map(({ topic, stamp }) => ({ topic, stamp })),
  };
}

interface PortRun {
  sets: bigint[][];
  dropped: number;
  held: number;
}

function runPort(c: ReferenceCase, agePenalty = c.agePenalty): PortRun {
  const sets: bigint[][] = [];
  let dropped = 0;
  const policy = new ApproximateTimePolicy<number>(
    { topics: c.topics, queueSize: c.queueSize, maxIntervalNs: c.maxIntervalNs, agePenalty, interMessageLowerBoundsNs: c.lowerBoundsNs },
    { onSet: (set) => sets.push(set.map((m) => m.stamp)), onDrop: () => dropped++ },
  );
  c.messages.forEach((m, i) => policy.add(m.topic, m.stamp, i));
  return { sets, dropped, held: policy.drain().length };
}

function firstDifference(a: bigint[][], b: bigint[][]): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]?.join() !== b[i]?.join()) return `set #${i}: port [${a[i]?.join(', ')}] vs ROS [${b[i]?.join(', ')}]`;
  }
  return 'none';
}

describe('sync/ApproximateTimePolicy vs ROS message_filters C++', function () {
  let exe: string;
  before(function () {
    this.timeout(180_000);
    exe = buildReference();
  });

  it('emits exactly the sets of the C++ policy on 60 seeded random streams (2..8 topics)', function () {
    this.timeout(60_000);
    let totalSets = 0;
    const topicCounts = new Set<number>();
    for (let seed = 1; seed <= 60; seed++) {
      const c = randomCase(seed);
      topicCounts.add(c.topics);
      const expected = runReference(exe, c);
      const got = runPort(c);
      assert.equal(
        got.sets.length,
        expected.length,
        `seed ${seed} (${c.topics} topics, queue ${c.queueSize}): ${firstDifference(got.sets, expected)}`,
      );
      assert.deepEqual(got.sets, expected, `seed ${seed}: ${firstDifference(got.sets, expected)}`);
      totalSets += expected.length;
    }
    assert.deepEqual([...topicCounts].sort(), [2, 3, 4, 5, 6, 7, 8], 'the seeds must cover 2..8 topics');
    assert.ok(totalSets > 1000, `too few sets to be a meaningful comparison: ${totalSets}`);
  });

  it('is sensitive: a different age penalty changes the sets on some streams', function () {
    let differing = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const c = randomCase(seed);
      if (c.agePenalty === 3.7) continue;
      if (
        runReference(exe, c)
          .map((s) => s.join())
          .join('|') !==
        runPort(c, 3.7)
          .sets.map((s) => s.join())
          .join('|')
      )
        differing++;
    }
    assert.ok(differing > 0, 'changing the age penalty never changed the output: the comparison cannot fail');
  });

  it('accounts for every message: emitted, reported dropped, or still held', function () {
    for (let seed = 100; seed < 130; seed++) {
      const c = randomCase(seed);
      const run = runPort(c);
      const inSets = run.sets.length * c.topics;
      assert.equal(inSets + run.dropped + run.held, c.messages.length, `seed ${seed}`);
      assert.ok(run.held <= c.topics * (c.queueSize + 1), `seed ${seed}: ${run.held} messages held`);
    }
  });
});
