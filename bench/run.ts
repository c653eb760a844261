// `npm run bench [-- <filter>...]`: runs every bench/*.bench.ts (or those whose file name
// contains a filter word), prints one table and writes bench/results/<suite>.json.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { BenchFn, BenchRow } from './harness';

function verdict(row: BenchRow): string {
  if (row.target === undefined) return '';
  const lower = row.lowerIsBetter ?? true;
  return (lower ? row.value <= row.target : row.value >= row.target) ? 'meets' : 'MISSES';
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2);
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort();
  const outDir = join(__dirname, 'results');
  mkdirSync(outDir, { recursive: true });
  const all: Array<BenchRow & { suite: string }> = [];
  for (const file of files) {
    const suite = basename(file, '.bench.ts');
    process.stderr.write(`[bench] ${suite}...\n`);
    const mod = (await import(join(__dirname, file))) as { default: BenchFn };
    const rows = await mod.default();
    writeFileSync(join(outDir, `${suite}.json`), JSON.stringify({ suite, date: new Date().toISOString(), rows }, null, 2));
    for (const r of rows) all.push({ suite, ...r });
  }
  const header = ['suite', 'measure', 'value', 'unit', 'target', 'verdict', 'note'];
  const lines = all.map((r) => [
    r.suite,
    r.name,
    r.value.toPrecision(4),
    r.unit,
    r.target === undefined ? '' : String(r.target),
    verdict(r),
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
  writeFileSync(join(outDir, 'all.json'), JSON.stringify(all, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
