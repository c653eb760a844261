// Host time under an offered load of twice capacity: asynchronous stage work (timers of known
// duration, so the event loop stays free to receive arrivals, as in the node) and measured stage
// budgets, on a simulated host clock so that the verdict does not depend on this machine's speed
// or load (the wall-clock run of the same scenario is `npm run bench -- scheduler`). At least 99%
// of admitted frame sets must meet their deadline and every shed set must be counted with its reason.
import { strict as assert } from 'node:assert';
import { SHED_REASONS } from '../../src/scheduler/deadline_scheduler';
import { runOverload, SimulatedTimeline } from './overload_scenario';

describe('DeadlineScheduler in host time at 2x offered load', function () {
  this.timeout(20_000);

  it('meets the deadline for >= 99% of admitted sets and counts every shed set by reason', async () => {
    const { offers, stats: s, outcomes, admitted, met } = await runOverload(400, 2, 50, new SimulatedTimeline());
    assert.equal(s.received, offers);
    assert.equal(s.completed + s.shedTotal + s.pending, s.received, 'every set is completed, shed or still waiting');
    assert.equal(
      SHED_REASONS.reduce((sum, r) => sum + s.shed[r], 0),
      s.shedTotal,
    );
    for (const r of SHED_REASONS) assert.equal(outcomes.filter((o) => o.kind === 'shed' && o.reason === r).length, s.shed[r]);
    assert.ok(s.shedTotal > offers / 5, `2x load must shed sets; shed ${s.shedTotal} of ${offers}`);
    assert.ok(admitted > offers / 4, `only ${admitted} of ${offers} completed`);
    assert.ok(met / admitted >= 0.99, `${met} of ${admitted} admitted sets met the deadline (${JSON.stringify(s.shed)})`);
  });
});
