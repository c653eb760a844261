// The demo's input checks: a refused demo leaves earlier outputs as they were. The full run, its
// scores and its report are checked by the newcomer check (test/newcomer/newcomer.test.ts).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBadDemosKeep } from './demo_checks';

describe('dx-perception demo', function () {
  this.timeout(300_000);

  it('checks its inputs before touching earlier outputs, naming the flag at fault', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'demo-kept-')), 'out');
    try {
      mkdirSync(out);
      for (const dir of ['scene_bag', 'perception_bag']) {
        mkdirSync(join(out, dir));
        writeFileSync(join(out, dir, 'earlier'), dir);
      }
      writeFileSync(join(out, 'report.html'), 'earlier report');
      await assertBadDemosKeep(out);
      assert.equal(readFileSync(join(out, 'report.html'), 'utf8'), 'earlier report');
      assert.equal(readFileSync(join(out, 'scene_bag', 'earlier'), 'utf8'), 'scene_bag');
    } finally {
      rmSync(join(out, '..'), { recursive: true, force: true });
    }
  });
});
