// A malformed --profile YAML or --calibrate JSON file is refused naming the file (issue #20,
// section 6): the parser's own message alone ("Expected double-quoted property name...") does
// not say which of the user's files is wrong.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

const MODEL = join(__dirname, '..', '..', 'models', 'mono_depth_side.onnx');

async function stderrOf(argv: string[]): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), text: out.join('') };
  } finally {
    process.stderr.write = write;
  }
}

describe('profile: malformed --profile and --calibrate files are refused naming the file', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'profile-files-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--profile with a YAML syntax error', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: x\n  bad: [\n');
    const { code, text } = await stderrOf(['profile', MODEL, '--profile', file]);
    assert.equal(code, 1);
    assert.match(text, new RegExp(`hardware profile "${file}" is not valid YAML: `));
  });

  it('--calibrate with a JSON syntax error', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '[{"model": "a", ');
    const { code, text } = await stderrOf(['profile', MODEL, '--calibrate', file]);
    assert.equal(code, 1);
    assert.match(text, new RegExp(`timing report "${file}" is not valid JSON: `));
  });
});
