// One temporary folder per test run: every test (and every child process it starts) that asks
// os.tmpdir() gets a folder inside it, and it is removed when the run ends. Scene bags and edited
// bags are hundreds of MB per run; left in /tmp they fill the disk (README, "The two commands").
// Loaded by .mocharc.json before any test file, so no test sees the machine's own tmpdir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runDir = mkdtempSync(join(tmpdir(), 'dx-perception-test-'));
process.env.TMPDIR = runDir;

export const mochaHooks = {
  afterAll(): void {
    if (process.env.DX_PERCEPTION_KEEP_TMP === '1') {
      console.log(`test files kept in ${runDir} (DX_PERCEPTION_KEEP_TMP=1)`);
      return;
    }
    rmSync(runDir, { recursive: true, force: true });
  },
};
