// `npm test` fails on a lint error or unformatted code: ESLint (eslint.config.mjs, typescript-eslint's
// recommended rules plus the project's) and prettier (.prettierrc.json) over the sources, run here
// so that one command checks everything. tsconfig.json adds the compiler's strict checks.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

const root = resolve(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

const sources = [...['src', 'test', 'bench', 'scripts'].flatMap((d) => files(join(root, d))), join(root, 'eslint.config.mjs')];
const rel = (path: string): string => relative(root, path);

const eslint = new ESLint({ cwd: root, cache: true, cacheLocation: join(root, 'node_modules/.cache/eslint/') });

/** Each ESLint finding in `results`: its file, its rule and a "path:line rule: message" line. */
const findings = (results: ESLint.LintResult[]): { file: string; rule: string; text: string }[] =>
  results.flatMap((r) =>
    r.messages.map((m) => ({
      file: rel(r.filePath),
      rule: m.ruleId ?? 'parse',
      text: `${rel(r.filePath)}:${m.line} ${m.ruleId}: ${m.message}`,
    })),
  );

async function formatted(path: string, text: string): Promise<boolean> {
  const options = await prettier.resolveConfig(path);
  return prettier.check(text, { ...options, filepath: path });
}

describe('lint (ESLint and prettier)', function () {
  // Both tools read every source file; under a loaded machine that takes tens of seconds.
  this.timeout(600_000);

  it("reads the project's sources", () => {
    assert.ok(sources.some((f) => f.endsWith('src/config/config_schema.ts')));
    assert.ok(sources.length > 200, `only ${sources.length} files`);
  });

  it('ESLint finds nothing (typescript-eslint recommended, no debugger, .only or console.log in the core)', async () => {
    const found = findings(await eslint.lintFiles(sources));
    assert.deepEqual(
      found.map((f) => f.text),
      [],
    );
  });

  it('prettier would change no file', async () => {
    const unformatted: string[] = [];
    for (const path of sources) {
      if (!(await formatted(path, readFileSync(path, 'utf8')))) unformatted.push(rel(path));
    }
    assert.deepEqual(unformatted, [], 'run `npx prettier --write` on these files');
  });

  it('catches each rule on a sample', async () => {
    const sample = `export const a: any = 1;\n// @ts-${'ignore'}\ndebugger;\nconsole.log(a);\nit.only('x', () => {});\n`;
    const rules = findings(await eslint.lintText(sample, { filePath: join(root, 'src/core/sample.ts') })).map((f) => f.text);
    for (const rule of ['no-explicit-any', 'ban-ts-comment', 'no-debugger', 'it.only', 'console.log']) {
      assert.ok(
        rules.some((v) => v.includes(rule)),
        `${rule} not caught in ${rules.join('; ')}`,
      );
    }
    const path = join(root, 'src/core/sample.ts');
    assert.equal(await formatted(path, 'export const a = 1;\n'), true);
    for (const bad of ['export const a = "1";\n', '\texport const a = 1;\n', 'export const a = 1;\r\n', 'export const a = 1;']) {
      assert.equal(await formatted(path, bad), false, JSON.stringify(bad));
    }
  });
});
