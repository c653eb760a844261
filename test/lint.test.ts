// `npm test` fails on a lint error or unformatted code: ESLint (eslint.config.mjs, typescript-eslint's
// recommended rules plus the project's) and prettier (.prettierrc.json) over the sources, run here
// so that one command checks everything. tsconfig.json adds the compiler's strict checks.
//
// test/lint_pending.json lists the files not yet formatted (and lint findings not yet fixed) when
// ESLint and prettier arrived, so that engineers editing in parallel are not forced into a mass
// reformat; scripts/format-all.sh formats everything once and empties it. Nothing may be added to it.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

interface Pending {
  /** Files prettier would still change. */
  unformatted: string[];
  /** Per file, the ESLint rules it still breaks. */
  lint: Record<string, string[]>;
}

const pendingPath = join(root, 'test/lint_pending.json');
const pending: Pending = existsSync(pendingPath)
  ? (JSON.parse(readFileSync(pendingPath, 'utf8')) as Pending)
  : { unformatted: [], lint: {} };

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
    assert.ok(sources.some((f) => f.endsWith('src/pipeline/config_schema.ts')));
    assert.ok(sources.length > 200, `only ${sources.length} files`);
  });

  it('ESLint finds nothing (typescript-eslint recommended, no debugger, .only or console.log in the core)', async () => {
    const all = findings(await eslint.lintFiles(sources));
    const found = all.filter((f) => !(pending.lint[f.file] ?? []).includes(f.rule));
    assert.deepEqual(
      found.map((f) => f.text),
      [],
    );
    const stale = Object.entries(pending.lint).flatMap(([file, rules]) =>
      rules.filter((rule) => !all.some((f) => f.file === file && f.rule === rule)).map((rule) => `${file} ${rule}`),
    );
    assert.deepEqual(stale, [], 'fixed: remove these from test/lint_pending.json');
  });

  it('prettier would change no file', async () => {
    const unformatted: string[] = [];
    for (const path of sources) {
      if (pending.unformatted.includes(rel(path))) continue;
      if (!(await formatted(path, readFileSync(path, 'utf8')))) unformatted.push(rel(path));
    }
    assert.deepEqual(unformatted, [], 'run `npx prettier --write` on these files');
  });

  it('test/lint_pending.json names only files that exist and prettier would still change', async () => {
    const stale: string[] = [];
    for (const file of pending.unformatted) {
      const path = join(root, file);
      if (!existsSync(path) || (await formatted(path, readFileSync(path, 'utf8')))) stale.push(file);
    }
    assert.deepEqual(stale, [], 'remove these from test/lint_pending.json');
  });

  it('catches each rule on a sample', async () => {
    const sample = `export const a: any = 1;\n// @ts-${'ignore'}\ndebugger;\nconsole.log(a);\nit.only('x', () => {});\n`;
    const rules = findings(await eslint.lintText(sample, { filePath: join(root, 'src/pipeline/sample.ts') })).map((f) => f.text);
    for (const rule of ['no-explicit-any', 'ban-ts-comment', 'no-debugger', 'it.only', 'console.log']) {
      assert.ok(
        rules.some((v) => v.includes(rule)),
        `${rule} not caught in ${rules.join('; ')}`,
      );
    }
    const path = join(root, 'src/pipeline/sample.ts');
    assert.equal(await formatted(path, 'export const a = 1;\n'), true);
    for (const bad of ['export const a = "1";\n', '\texport const a = 1;\n', 'export const a = 1;\r\n', 'export const a = 1;']) {
      assert.equal(await formatted(path, bad), false, JSON.stringify(bad));
    }
  });
});
