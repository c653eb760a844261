// Guards the layering that DESIGN.md and docs/architecture.md describe, so a violation fails `npm test` instead of
// waiting for a reader to notice: folders import only from folders to their left, no file
// imports itself through a chain (a cycle), and rclnodejs is loaded only under src/ros.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const srcRoot = resolve(__dirname, '../src');

/**
 * DESIGN.md's order (docs/architecture.md lists what each folder holds).;
 * a folder missing from this list fails the test, so a new folder must be placed deliberately.
 */
const layerOrder = [
  'msgs',
  'io',
  'sync',
  'geometry',
  'inference',
  'quantize',
  'depth',
  'fusion',
  'profile',
  'scheduler',
  'config',
  'core',
  'replay',
  'report',
  'sim',
  'ros',
  'cli',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file names: static, type-only, dynamic imports and require calls. */
function specifiers(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(p) && statSync(p).isFile());
}

const folderOf = (file: string): string => relative(srcRoot, file).split('/')[0] ?? '';

describe('architecture (DESIGN.md layering)', () => {
  const files = sourceFiles(srcRoot);
  const graph = new Map<string, string[]>(
    files.map((f) => [
      f,
      specifiers(f)
        .filter((s) => s.startsWith('.'))
        .map((s) => resolveRelative(f, s))
        .filter((p): p is string => p !== undefined),
    ]),
  );

  it('places every source folder in the documented order', () => {
    const unknown = [...new Set(files.map(folderOf))].filter((d) => !layerOrder.includes(d));
    assert.deepEqual(unknown, [], `folders missing from the layer order: ${unknown.join(', ')}`);
  });

  it('imports only from the same folder or folders to its left', () => {
    const violations: string[] = [];
    for (const [file, deps] of graph) {
      const rank = layerOrder.indexOf(folderOf(file));
      for (const dep of deps) {
        if (layerOrder.indexOf(folderOf(dep)) > rank) {
          violations.push(`${relative(srcRoot, file)} imports ${relative(srcRoot, dep)}`);
        }
      }
    }
    assert.deepEqual(violations, []);
  });

  it('has no import cycle between files (type-only imports included)', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) {
        if (state.get(dep) === 'open') {
          const loop = [...path.slice(path.indexOf(dep)), dep].map((p) => relative(srcRoot, p));
          cycles.push(loop.join(' -> '));
        } else if (!state.has(dep)) {
          visit(dep, [...path, dep]);
        }
      }
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
    assert.deepEqual(cycles, []);
  });

  it('loads rclnodejs only under src/ros', () => {
    const outside = files.filter(
      (f) => folderOf(f) !== 'ros' && specifiers(f).some((s) => s === 'rclnodejs' || s.startsWith('rclnodejs/')),
    );
    assert.deepEqual(
      outside.map((f) => relative(srcRoot, f)),
      [],
    );
  });

  it('would see a violation: the checks find the ROS adapter importing rclnodejs', () => {
    // Keeps the scan honest: if specifiers() stopped seeing imports, every check above would pass.
    const rosFiles = files.filter((f) => folderOf(f) === 'ros');
    assert.ok(rosFiles.some((f) => specifiers(f).includes('rclnodejs')));
    assert.ok([...graph.values()].some((deps) => deps.length > 0));
  });
});
