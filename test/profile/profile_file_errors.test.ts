// A malformed --profile YAML or --calibrate JSON file is refused naming the file (issue #20,
// section 6): the parser's own message alone ("Expected double-quoted property name...") does
// not say which of the user's files is wrong.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli_run';

const MODEL = join(__dirname, '..', '..', 'models', 'mono_depth_side.onnx');

describe('profile: malformed --profile and --calibrate files are refused naming the file', function () {
  this.timeout(60_000);
  // The test run's own temporary folder (test/support/run_tmpdir.ts) removes it.
  const dir = mkdtempSync(join(tmpdir(), 'profile-files-'));
  const cases = [
    ['--profile', 'bad.yaml', 'name: x\n  bad: [\n', 'hardware profile "FILE" is not valid YAML: '],
    ['--calibrate', 'bad.json', '[{"model": "a", ', 'timing report "FILE" is not valid JSON: '],
  ] as const;
  for (const [flag, name, text, expected] of cases) {
    it(`${flag} with a syntax error`, async () => {
      const file = join(dir, name);
      writeFileSync(file, text);
      const { code, errors } = await runCli(['profile', MODEL, flag, file]);
      assert.equal(code, 1);
      assert.ok(errors.includes(expected.replace('FILE', file)), errors);
    });
  }
});
