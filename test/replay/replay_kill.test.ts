// What a replay leaves behind when it is stopped: Ctrl-C or SIGTERM closes a valid, indexed bag; SIGKILL
// and a full disk leave a bag that a stream reader recovers up to about a second of bag time
// before the end (the writer closes a chunk every second), and a full disk is named with --out.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapStreamReader } from '@mcap/core';
import { loadDecompressHandlers } from '@mcap/support';
import { openBag } from '../../src/io/bag_reader';
import { sceneBag } from '../support/scene_bags';

const CLI = join(__dirname, '..', '..', 'bin', 'dx-perception');

/** Runs `dx-perception replay` in a child; `onOutput` may kill it. */
function replayChild(args: string[], onOutput: (child: ReturnType<typeof spawn>, stderr: string) => void, fileBlocks?: number) {
  const cmd = [process.execPath, CLI, 'replay', ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('bash', ['-c', `${fileBlocks ? `ulimit -f ${fileBlocks} && ` : ''}exec ${cmd}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => {
    stderr += String(d);
    onOutput(child, stderr);
  });
  return new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/** The output bag as our reader reads it, and what @mcap/core's stream reader recovers. */
async function recovered(out: string): Promise<{ status: bigint[]; stream: number; warnings: string[] }> {
  const warnings: string[] = [];
  const reader = await openBag(out, { onWarning: (w) => warnings.push(w) });
  const status: bigint[] = [];
  let total = 0;
  try {
    for await (const m of reader.messages()) {
      total++;
      if (m.topic.endsWith('/status')) status.push(m.logTime);
    }
  } finally {
    await reader.close();
  }
  const file = join(
    out,
    readdirSync(out).find((f) => f.endsWith('.mcap'))!,
  );
  const stream = new McapStreamReader({ decompressHandlers: await loadDecompressHandlers() });
  let streamed = 0;
  try {
    stream.append(readFileSync(file));
    for (let r; (r = stream.nextRecord());) if (r.type === 'Message') streamed++;
  } catch {
    // The stream reader stops at the cut; what it yielded is the reference.
  }
  assert.equal(total, streamed, 'we read exactly what a stream reader recovers');
  return { status, stream: streamed, warnings };
}

describe('replay stopped by a signal or a full disk', function () {
  this.timeout(300_000);
  let bag: string;
  let work: string;
  before(async () => {
    bag = await sceneBag('corridor_crossing', 1);
    work = mkdtempSync(join(tmpdir(), 'replay-kill-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} during a replay leaves a valid, indexed output bag with metadata.yaml, and exits ${code}`, async () => {
      const out = join(work, `interrupted-${signal}`);
      // Interrupt once the replay is under way (its first progress line), whatever this host's speed.
      const run = await replayChild([bag, '--target-time', '--out', out], (child, stderr) => {
        if (/replay: \d+\//.test(stderr) && !child.killed) child.kill(signal);
      });
      assert.equal(run.code, code, run.stderr);
      assert.match(run.stderr, new RegExp(`replay stopped by ${signal}`));
      const sets = Number(/frame sets:\s+(\d+)/.exec(run.stdout)?.[1]);
      assert.ok(sets > 0 && sets < 30, `stopped part way: ${sets} frame sets\n${run.stdout}`);
      assert.ok(existsSync(join(out, 'metadata.yaml')));
      const { status, warnings } = await recovered(out);
      assert.deepEqual(warnings, [], 'the output bag has its summary and index');
      assert.equal(status.length, sets);
    });
  }

  it('SIGKILL during a replay leaves a bag readable up to its last closed chunk, frame sets in order', async () => {
    const out = join(work, 'killed');
    const file = join(out, 'killed_0.mcap');
    // Kill once some frame sets are on disk (the file has grown), whatever this host's speed.
    const run = await replayChild([bag, '--target-time', '--out', out], (child) => {
      if (existsSync(file) && statSync(file).size > 8 * 2 ** 20 && !child.killed) child.kill('SIGKILL');
    });
    assert.equal(run.signal, 'SIGKILL', run.stderr);
    const { status, warnings } = await recovered(out);
    assert.ok(status.length >= 2 && status.length < 30, `${status.length} frame sets recovered`);
    assert.deepEqual(
      [...status].sort((a, b) => (a < b ? -1 : 1)),
      status,
    );
    assert.ok(
      warnings.some((w) => /summary is unusable.*reading it record by record/.test(w)),
      warnings.join('\n'),
    );
  });

  it('a full disk (file-size limit) stops the replay with an error naming --out; the bag keeps what was written', async () => {
    const out = join(work, 'full');
    // 20 MiB of file (ulimit -f counts 512-byte blocks); the whole replay writes about 45 MiB.
    const run = await replayChild([bag, '--target-time', '--out', out], () => undefined, 40960);
    assert.equal(run.code, 1, run.stderr);
    assert.ok(
      run.stderr.includes(
        `output bag ${out} (--out): cannot write ${join(out, 'full_0.mcap')}: the file grew past the size limit (EFBIG); the replay stopped`,
      ),
      run.stderr,
    );
    const { status } = await recovered(out);
    assert.ok(status.length >= 2, `${status.length} frame sets recovered`);
  });
});
