import { strict as assert } from 'assert';
import { McapIndexedReader } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';
import { loadDecompressHandlers } from '@mcap/support';
import * as fs from 'fs';
import { open } from 'fs/promises';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { openBag } from '../../src/io/bag_reader';
import { McapBagWriter, type McapBagWriterOptions } from '../../src/io/bag_writer';
import { SAMPLE_MESSAGES } from '../fixtures/sample_messages';
import { readAll, tempDir } from './bag_test_support';

const T0 = 1_700_000_000_000_000_000n;

/** Writes every sample on its own topic, twice, 10 ms apart. */
async function writeSamples(bagDir: string, opts?: McapBagWriterOptions): Promise<void> {
  const writer = await McapBagWriter.create(bagDir, opts);
  for (let round = 0; round < 2; round++) {
    for (const [i, { type, msg }] of SAMPLE_MESSAGES.entries()) {
      await writer.write(`/sample/m${i}`, type, T0 + BigInt(round * SAMPLE_MESSAGES.length + i) * 10_000_000n, msg);
    }
  }
  await writer.close();
}

describe('io/bag_writer', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('writer')));
  afterEach(() => cleanup());

  for (const compression of ['none', 'zstd'] as const) {
    it(`round-trips every listed type exactly through MCAP (${compression})`, async () => {
      const bagDir = path.join(dir, 'samples');
      await writeSamples(bagDir, { compression, chunkSize: 2048 });
      const reader = await openBag(bagDir);
      try {
        const n = SAMPLE_MESSAGES.length;
        assert.equal(reader.info.messageCount, 2 * n);
        assert.equal(reader.info.startTime, T0);
        assert.equal(reader.info.duration, BigInt(2 * n - 1) * 10_000_000n);
        const messages = await readAll(reader);
        messages.forEach((m, k) => {
          const sample = SAMPLE_MESSAGES[k % n]!;
          assert.equal(m.topic, `/sample/m${k % n}`);
          assert.equal(m.type, sample.type);
          assert.deepStrictEqual(m.decode(), sample.msg, sample.type);
        });
      } finally {
        await reader.close();
      }
    });
  }

  it('is deterministic: the same writes give byte-identical files', async () => {
    await writeSamples(path.join(dir, 'a', 'bag'));
    await writeSamples(path.join(dir, 'b', 'bag'));
    for (const file of ['bag_0.mcap', 'metadata.yaml']) {
      assert.ok(fs.readFileSync(path.join(dir, 'a', 'bag', file)).equals(fs.readFileSync(path.join(dir, 'b', 'bag', file))), file);
    }
  });

  it('follows the rosbag2 MCAP conventions (profile, schemas, channels, metadata record)', async () => {
    const bagDir = path.join(dir, 'conv');
    await writeSamples(bagDir);
    const handle = await open(path.join(bagDir, 'conv_0.mcap'), 'r');
    try {
      const mcap = await McapIndexedReader.Initialize({
        readable: new FileHandleReadable(handle),
        decompressHandlers: await loadDecompressHandlers(),
      });
      assert.equal(mcap.header.profile, 'ros2');
      const schemaNames = [...mcap.schemasById.values()].map((s) => s.name);
      assert.deepStrictEqual(new Set(schemaNames), new Set(SAMPLE_MESSAGES.map((s) => s.type)));
      for (const schema of mcap.schemasById.values()) assert.equal(schema.encoding, 'ros2msg');
      for (const channel of mcap.channelsById.values()) {
        assert.equal(channel.messageEncoding, 'cdr');
        const qos = parseYaml(channel.metadata.get('offered_qos_profiles')!) as { reliability: string; durability: string }[];
        assert.equal(qos.length, 1);
        assert.equal(qos[0]!.reliability, 'reliable');
        assert.equal(channel.metadata.get('topic_type_hash'), '');
      }
      const records = [];
      for await (const record of mcap.readMetadata({ name: 'rosbag2' })) records.push(record);
      assert.equal(records.length, 1);
      const embedded = parseYaml(records[0]!.metadata.get('serialized_metadata')!) as { version: number; ros_distro: string };
      assert.equal(embedded.version, 9);
      assert.equal(embedded.ros_distro, 'jazzy');
    } finally {
      await handle.close();
    }
  });

  it('writes a version-9 metadata.yaml with the fields rosbag2 Jazzy reads', async () => {
    const bagDir = path.join(dir, 'meta');
    await writeSamples(bagDir);
    const info = (
      parseYaml(fs.readFileSync(path.join(bagDir, 'metadata.yaml'), 'utf8'), { intAsBigInt: true }) as {
        rosbag2_bagfile_information: Record<string, unknown>;
      }
    ).rosbag2_bagfile_information as {
      version: bigint;
      storage_identifier: string;
      relative_file_paths: string[];
      message_count: bigint;
      ros_distro: string;
      starting_time: { nanoseconds_since_epoch: bigint };
      duration: { nanoseconds: bigint };
      custom_data: object;
      files: { path: string; message_count: bigint }[];
      topics_with_message_count: {
        message_count: bigint;
        topic_metadata: {
          name: string;
          type: string;
          serialization_format: string;
          offered_qos_profiles: unknown[];
          type_description_hash: string;
        };
      }[];
    };
    const n = BigInt(SAMPLE_MESSAGES.length);
    assert.equal(info.version, 9n);
    assert.equal(info.storage_identifier, 'mcap');
    assert.deepStrictEqual(info.relative_file_paths, ['meta_0.mcap']);
    assert.equal(info.message_count, 2n * n);
    assert.equal(info.starting_time.nanoseconds_since_epoch, T0);
    assert.equal(info.duration.nanoseconds, (2n * n - 1n) * 10_000_000n);
    assert.deepStrictEqual(
      info.files.map((f) => [f.path, f.message_count]),
      [['meta_0.mcap', 2n * n]],
    );
    assert.equal(info.ros_distro, 'jazzy');
    assert.deepStrictEqual(info.custom_data, {});
    assert.equal(info.topics_with_message_count.length, SAMPLE_MESSAGES.length);
    for (const t of info.topics_with_message_count) {
      assert.equal(t.message_count, 2n);
      assert.equal(t.topic_metadata.serialization_format, 'cdr');
      assert.equal(t.topic_metadata.offered_qos_profiles.length, 1);
      assert.equal(t.topic_metadata.type_description_hash, '');
    }
  });

  it('refuses a non-empty directory, a type change on a topic and writes after close', async () => {
    fs.writeFileSync(path.join(dir, 'x'), 'x');
    await assert.rejects(McapBagWriter.create(dir), /already exists and is not empty/);
    const writer = await McapBagWriter.create(path.join(dir, 'bag'));
    await writer.write('/a', 'std_msgs/msg/String', 1n, { data: 'a' });
    await assert.rejects(
      writer.write('/a', 'geometry_msgs/msg/Point', 2n, { x: 0, y: 0, z: 0 }),
      /topic \/a has type std_msgs\/msg\/String; cannot write a geometry_msgs\/msg\/Point/,
    );
    await writer.close();
    await assert.rejects(writer.write('/a', 'std_msgs/msg/String', 3n, { data: 'late' }), /already closed/);
  });
});

describe('io/bag_writer when the process dies or the disk fills', function () {
  this.timeout(120_000);
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('writer-kill')));
  afterEach(() => cleanup());

  // A child writes std_msgs/String at 10 ms of log time each, saying each one once written.
  const writerScript = (bagDir: string, flushEveryNs: string) => `
    const { McapBagWriter } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'io', 'bag_writer.ts'))});
    (async () => {
      const w = await McapBagWriter.create(${JSON.stringify(bagDir)}, { flushEveryNs: ${flushEveryNs} });
      for (let i = 0; ; i++) {
        await w.write('/chatter', 'std_msgs/msg/String', ${T0}n + BigInt(i) * 10000000n, { data: 'message ' + i });
        process.stdout.write(i + '\\n');
        await new Promise((r) => setTimeout(r, 1));
      }
    })();`;

  async function killedAfter(bagDir: string, flushEveryNs: string, messages: number): Promise<number> {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', writerScript(bagDir, flushEveryNs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let written = -1;
    child.stdout.on('data', (d: Buffer) => {
      written = Math.max(written, ...String(d).trim().split('\n').map(Number));
      if (written >= messages - 1) child.kill('SIGKILL');
    });
    await new Promise((resolve) => child.on('exit', resolve));
    return written + 1;
  }

  it('SIGKILL: with flushEveryNs, every message older than one flush interval is readable from the bag left behind', async () => {
    const bagDir = path.join(dir, 'killed');
    const written = await killedAfter(bagDir, '200000000n', 300);
    const warnings: string[] = [];
    const reader = await openBag(bagDir, { onWarning: (w) => warnings.push(w) });
    try {
      const data = (await readAll(reader)).map((m) => m.decode<{ data: string }>().data);
      // 200 ms of log time is 20 messages; the chunk closes with the first message past it.
      assert.ok(data.length >= written - 21 && data.length <= written, `${data.length} of ${written} recovered`);
      assert.deepEqual(
        data,
        Array.from({ length: data.length }, (_, i) => `message ${i}`),
      );
      assert.ok(
        warnings.some((w) => /summary is unusable/.test(w)),
        warnings.join('\n'),
      );
    } finally {
      await reader.close();
    }
  });

  it('SIGKILL without flushEveryNs: the open 1 MiB chunk, all of this bag, is lost (why replay sets it)', async () => {
    const bagDir = path.join(dir, 'unflushed');
    await killedAfter(bagDir, 'undefined', 300);
    const reader = await openBag(bagDir, { onWarning: () => undefined });
    try {
      assert.equal((await readAll(reader)).length, 0);
    } finally {
      await reader.close();
    }
  });

  it('a write that fails (file-size limit, as a full disk fails it) rejects naming the file, and what was written stays readable', async () => {
    const { spawnSync } = await import('node:child_process');
    const bagDir = path.join(dir, 'full');
    const script = `
      const { McapBagWriter } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'io', 'bag_writer.ts'))});
      (async () => {
        const w = await McapBagWriter.create(${JSON.stringify(bagDir)}, { compression: 'none', chunkSize: 4096 });
        let i = 0;
        try {
          for (; ; i++) await w.write('/chatter', 'std_msgs/msg/String', ${T0}n + BigInt(i), { data: 'message ' + i + ' '.repeat(200) });
        } catch (err) {
          console.log(i, err.message);
          await w.close().catch((e) => console.log('close:', e.message));
        }
      })();`;
    // ulimit -f counts 512-byte blocks: 256 KiB of file, then writes fail with EFBIG (Node ignores SIGXFSZ).
    const run = spawnSync('bash', ['-c', `ulimit -f 512 && exec "${process.execPath}" --require tsx/cjs -e "$0"`, script], {
      encoding: 'utf8',
    });
    const [first, second] = run.stdout.trim().split('\n');
    const failedAt = Number(first!.split(' ')[0]);
    const file = path.join(bagDir, 'full_0.mcap');
    assert.match(first!, new RegExp(`^\\d+ cannot write ${file}: the file grew past the size limit \\(EFBIG\\)$`), run.stdout + run.stderr);
    assert.equal(second, `close: cannot write ${file}: the file grew past the size limit (EFBIG)`);
    const reader = await openBag(bagDir, { onWarning: () => undefined });
    try {
      const data = (await readAll(reader)).map((m) => m.decode<{ data: string }>().data.trim());
      // Everything but the open 4 KiB chunk (about 18 messages) is there, in order.
      assert.ok(data.length >= failedAt - 20 && data.length <= failedAt, `${data.length} of ${failedAt}`);
      assert.deepEqual(
        data,
        Array.from({ length: data.length }, (_, i) => `message ${i}`),
      );
    } finally {
      await reader.close();
    }
  });
});
