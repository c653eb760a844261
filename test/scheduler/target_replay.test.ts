// A target-time (DX-V3) replay of a scene bag through the whole pipeline reports each profiled
// resource's utilisation in /diagnostics (about once a second of bag time), and a second replay
// reports the very same figures and decisions: target time depends on the stamps and the
// profile, not on this machine.
import { strict as assert } from 'node:assert';
import type { DiagnosticArray } from '../../src/msgs/types';
import { parseConfig } from '../../src/config/config';
import { DIAGNOSTICS_TOPIC } from '../../src/core/output_topics';
import { replayBag } from '../../src/replay/replay';
import { sceneBag } from '../support/scene_bags';

/** Keys of the scheduler's diagnostic measured on this host (stage percentiles, event-loop delay). */
const HOST_MEASURED = /(\.p99_ms|^event_loop_delay_.*)$/;

/** Per set its decision; per /diagnostics the scheduler's values, host-measured ones left out. */
async function schedulerReports(bag: string): Promise<{ decisions: string[]; reports: Array<Record<string, string>> }> {
  const decisions: string[] = [];
  const reports: Array<Record<string, string>> = [];
  await replayBag(bag, {
    config: parseConfig({ scheduler: { time_mode: 'target' } }),
    onResult: (r) => {
      decisions.push(`${r.decision}:${r.rung}`);
      const diag = r.outputs.find((o) => o.topic === DIAGNOSTICS_TOPIC)?.msg as DiagnosticArray | undefined;
      if (!diag) return;
      const sched = diag.status.find((s) => s.name.includes('scheduler'));
      assert.ok(sched, `set ${r.seq}: /diagnostics without the scheduler's status`);
      const values = Object.fromEntries(sched.values.filter((v) => !HOST_MEASURED.test(v.key)).map((v) => [v.key, v.value]));
      reports.push({ decision: r.decision, rung: r.rung, level: String(sched.level), ...values });
    },
  });
  return { decisions, reports };
}

describe('target-time replay on the DX-V3 resources', function () {
  this.timeout(600_000);

  it('reports per-resource utilisation in /diagnostics, identically on two replays', async () => {
    // 1.5 s: /diagnostics at the first set and one second later, when the resources have run a while.
    const bag = await sceneBag('corridor_crossing', 1.5);
    const first = await schedulerReports(bag);
    const second = await schedulerReports(bag);
    assert.ok(first.decisions.length >= 30, `only ${first.decisions.length} frame sets came out`);
    assert.equal(first.reports.length, 2, 'one /diagnostics per second of the 1.5 s bag');
    assert.deepEqual(second, first);
    const last = first.reports[first.reports.length - 1];
    const utilisation = Object.entries(last).filter(([k]) => /^resource\..*\.utilisation$/.test(k));
    assert.deepEqual(utilisation.map(([k]) => k).sort(), [
      'resource.accelerator.utilisation',
      'resource.cpu.utilisation',
      'resource.scaler.utilisation',
    ]);
    for (const [k, v] of utilisation) assert.ok(Number(v) >= 0 && Number(v) <= 1, `${k} = ${v}`);
    // The default config has no detector. Stereo is costed from its cost volume: the default
    // coarse-to-fine matcher at 640x480x64 on DX-V3's cores (~31.5 ms) fits the 33 ms period with
    // fusion and publishing beside it on the CPU, so every set runs in full: nothing is shed, and
    // the accelerator runs the two side cameras' learned depth.
    assert.ok(
      first.decisions.every((d) => d === 'completed:full'),
      first.decisions.join(' '),
    );
    assert.equal(last.shed_total, '0');
    const cpu = Number(last['resource.cpu.utilisation']);
    assert.ok(cpu > 0.8 && cpu < 1, JSON.stringify(last));
    const accelerator = Number(last['resource.accelerator.utilisation']);
    assert.ok(accelerator > 0 && accelerator < cpu, JSON.stringify(last));
  });
});
