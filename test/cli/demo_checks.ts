// Shared by the demo's tests and the newcomer check: running the CLI with its output captured,
// and the rule that a demo refused for a bad input leaves the previous outputs as they were.
import { strict as assert } from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { main } from '../../src/cli/main';

/** Runs the CLI with `argv`, collecting what it writes to `stream`. */
export async function capture(stream: NodeJS.WriteStream, argv: string[]): Promise<{ code: number; text: string }> {
  const chunks: string[] = [];
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof stream.write;
  try {
    return { code: await main(argv), text: chunks.join('') };
  } finally {
    stream.write = write;
  }
}

/** Every file and folder under `dir` with its size, modification time and inode: any rewrite or replacement changes a line. */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      out.push(`${relative(dir, p)} ${st.size} ${st.mtimeMs} ${st.ino}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Runs the demo with each bad input against `out` and asserts it fails naming the flag, and
 * that nothing under `out` changed and no staging folder is left beside it.
 */
export async function assertBadDemosKeep(out: string): Promise<void> {
  const before = snapshot(out);
  const cases: Array<[string[], RegExp]> = [
    [['--bag', join(out, 'missing')], /--bag .*missing/],
    [['--duration', '0'], /--duration must be a positive number of seconds; got "0"/],
    [['--duration', 'abc'], /--duration must be a positive number of seconds; got "abc"/],
    [['--model', join(out, 'none.onnx')], /--model .*none\.onnx: no such file/],
    [['--set', 'depth.num_disparitys=96'], /depth\.num_disparitys/],
  ];
  for (const [args, expected] of cases) {
    const { code, text } = await capture(process.stderr, ['demo', ...args, '--out', out]);
    assert.equal(code, 1, args.join(' '));
    assert.match(text, expected);
    assert.deepEqual(snapshot(out), before, `${args.join(' ')} left ${out} as it was`);
  }
  const parent = join(out, '..');
  assert.deepEqual(
    readdirSync(parent).filter((n) => n.startsWith(`.${out.split('/').pop()}-partial-`)),
    [],
    'no staging folder left',
  );
}
