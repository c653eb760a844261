// Builds and runs test/support/message_filters_reference.cpp: ROS message_filters' own C++
// ApproximateTime, the reference the TypeScript port must match set for set. The binary is cached
// in the OS temp dir under a hash of the source, so only the first run pays the ~15 s compile.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = join(__dirname, 'message_filters_reference.cpp');
const HEADER = '/usr/include/message_filters/sync_policies/approximate_time.h';

export interface ReferenceCase {
  topics: number;
  queueSize: number;
  maxIntervalNs?: bigint;
  agePenalty: number;
  lowerBoundsNs: bigint[];
  /** Messages in arrival order. */
  messages: { topic: number; stamp: bigint }[];
}

function missingToolchain(what: string): Error {
  return new Error(
    `message_filters reference: ${what}. The ApproximateTime comparison needs g++, pkg-config and ` +
      "Debian's libmessage-filters-dev (with its roscpp/rosconsole/boost dependencies): " +
      'apt-get install g++ pkg-config libmessage-filters-dev',
  );
}

/** Compiles the reference (or reuses a cached build) and returns the executable's path. */
export function buildReference(): string {
  if (!existsSync(HEADER)) throw missingToolchain(`${HEADER} is missing`);
  const source = readFileSync(SOURCE);
  const hash = createHash('sha1').update(source).update(readFileSync(HEADER)).digest('hex').slice(0, 12);
  const dir = join(tmpdir(), `dx_perception_mf_reference_${hash}`);
  const exe = join(dir, 'message_filters_reference');
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  let flags: string[];
  try {
    flags = execFileSync('pkg-config', ['--cflags', '--libs', 'message_filters'], { encoding: 'utf8' }).trim().split(/\s+/);
  } catch (e) {
    throw missingToolchain(`pkg-config --cflags --libs message_filters failed (${(e as Error).message})`);
  }
  const tmpExe = `${exe}.${process.pid}`;
  const cc = spawnSync('g++', ['-std=c++17', '-O1', '-o', tmpExe, SOURCE, ...flags], { encoding: 'utf8' });
  if (cc.error) throw missingToolchain(`g++ could not run (${cc.error.message})`);
  if (cc.status !== 0) throw missingToolchain(`g++ failed:\n${cc.stderr.slice(0, 4000)}`);
  renameSync(tmpExe, exe);
  return exe;
}

/** Runs one case through the C++ policy; returns the emitted sets as stamp lists (topic order). */
export function runReference(exe: string, c: ReferenceCase): bigint[][] {
  const header = [c.topics, c.queueSize, c.maxIntervalNs ?? -1n, c.agePenalty, ...c.lowerBoundsNs].join(' ');
  const input = `${header}\n${c.messages.map((m) => `${m.topic} ${m.stamp}`).join('\n')}\n`;
  const run = spawnSync(exe, [], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`message_filters reference exited ${run.status}: ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter((l) => l.startsWith('S'))
    .map((l) =>
      l
        .trim()
        .split(' ')
        .slice(1)
        .map((s) => BigInt(s)),
    );
}
