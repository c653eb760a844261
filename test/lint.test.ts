// The lint checks `npm test` can run with what is installed. ESLint, typescript-eslint and a
// formatter are not in node_modules (and cannot be installed offline), so the rules that matter
// most run here on the TypeScript compiler's own syntax trees; tsconfig.json adds the compiler's
// strict checks (unused locals and parameters, fall-through, implicit returns, override).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

const sources = ['src', 'test', 'bench', 'scripts'].flatMap((d) => files(join(root, d)));

/** Written in two parts so that this file does not match itself. */
const SUPPRESSION = new RegExp('@ts-' + '(ignore|nocheck)');

/** Rule violations of one file (`rel`: its path from the repository root), as "path:line: what". */
function violations(rel: string, text: string): string[] {
  const source = ts.createSourceFile(rel, text, ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const at = (pos: number, what: string): void => void out.push(`${rel}:${source.getLineAndCharacterOfPosition(pos).line + 1}: ${what}`);
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) at(node.getStart(), 'explicit any (use unknown and narrow it)');
    if (node.kind === ts.SyntaxKind.DebuggerStatement) at(node.getStart(), 'debugger statement');
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const { expression: obj, name } = node.expression;
      const callee = `${obj.getText()}.${name.text}`;
      if (/^(it|describe|context)\.only$/.test(callee)) at(node.getStart(), `${callee} leaves the rest of the suite out`);
      if (callee === 'console.log' && !rel.startsWith('src/cli/') && rel.startsWith('src/')) {
        at(node.getStart(), 'console.log in the core (warn through the runner, or print in src/cli)');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  text.split('\n').forEach((line, i) => {
    if (SUPPRESSION.test(line)) out.push(`${rel}:${i + 1}: a type-check suppression comment hides a type error`);
    if (line.includes('\t')) out.push(`${rel}:${i + 1}: tab (indent with spaces)`);
    if (line.endsWith('\r')) out.push(`${rel}:${i + 1}: CRLF line ending`);
  });
  if (text.length > 0 && !text.endsWith('\n')) out.push(`${rel}: no newline at the end of the file`);
  return out;
}

describe('lint (rules the installed tools can check)', () => {
  it('reads the project\'s sources', () => {
    assert.ok(sources.some((f) => f.endsWith('src/pipeline/config_schema.ts')));
    assert.ok(sources.length > 200, `only ${sources.length} files`);
  });

  it('no explicit any, debugger, .only, ts-ignore, console.log in the core, tabs, CRLF, missing final newline', () => {
    const found = sources.flatMap((f) => violations(relative(root, f), readFileSync(f, 'utf8')));
    assert.deepEqual(found, [], `lint violations:\n  ${found.join('\n  ')}`);
  });

  it('catches each rule on a sample', () => {
    const text = `export const a: any = 1;\n// @ts-${'ignore'}\ndebugger;\nconsole.log(a);\n\tit.only('x', () => {});`;
    const found = violations('src/pipeline/sample.ts', text);
    for (const rule of ['explicit any', 'debugger', 'it.only', 'suppression', 'console.log', 'tab', 'no newline']) {
      assert.ok(found.some((v) => v.includes(rule)), `${rule} not caught in ${found.join('; ')}`);
    }
  });
});
