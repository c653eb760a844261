// Damaged and unusual-but-valid bags, made the way a user meets them: a real bag written by the
// project's writer (or @mcap/core's, for layouts it never writes), then cut or corrupted. The
// reader must read everything a stream reader can recover, say what it skipped, and refuse only
// what is not a bag at all.
import { strict as assert } from 'assert';
import { McapIndexedReader, McapRecordBuilder, McapStreamReader, McapWriter, type IWritable } from '@mcap/core';
import { loadDecompressHandlers } from '@mcap/support';
import Database from 'better-sqlite3';
import * as fs from 'fs';
import * as path from 'path';
import { openBag, type MessageQuery } from '../../src/io/bag_reader';
import { McapBagWriter } from '../../src/io/bag_writer';
import { encodeMessage } from '../../src/msgs/codec';
import { ros2msgSchema } from '../../src/msgs/definitions';
import { readAll, tempDir } from './bag_test_support';

const COUNT = 200;
const text = (i: number): string => `message ${i} `.repeat(5);

/** Reads a file with the warnings it gives; each message decoded as std_msgs/String. */
async function readWithWarnings(
  file: string,
  query?: MessageQuery,
): Promise<{ data: string[]; warnings: string[]; skipped: { parts: number; messages: number } }> {
  const warnings: string[] = [];
  const reader = await openBag(file, { onWarning: (m) => warnings.push(m) });
  try {
    const data = (await readAll(reader, query)).map((m) => m.decode<{ data: string }>().data);
    return { data, warnings, skipped: reader.skipped() };
  } finally {
    await reader.close();
  }
}

/** The reference: how many messages @mcap/core's stream reader gets from the bytes before it stops. */
async function streamRecoverable(bytes: Uint8Array): Promise<number> {
  const reader = new McapStreamReader({ decompressHandlers: await loadDecompressHandlers() });
  let n = 0;
  try {
    reader.append(bytes);
    for (let r; (r = reader.nextRecord());) if (r.type === 'Message') n++;
  } catch {
    // The stream reader stops at the first damage; what it yielded so far is the reference.
  }
  return n;
}

/** An in-memory writable for @mcap/core's McapWriter. */
class MemoryWritable implements IWritable {
  readonly #parts: Uint8Array[] = [];
  #size = 0n;
  async write(buffer: Uint8Array): Promise<void> {
    this.#parts.push(buffer.slice());
    this.#size += BigInt(buffer.byteLength);
  }
  position(): bigint {
    return this.#size;
  }
  bytes(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

/** A valid MCAP of COUNT std_msgs/String on /chatter in a layout McapBagWriter never writes. */
async function mcapWith(options: { useChunks?: boolean; useMessageIndex?: boolean; useChunkIndex?: boolean }): Promise<Buffer> {
  const out = new MemoryWritable();
  const writer = new McapWriter({ writable: out, chunkSize: 4096, ...options });
  await writer.start({ profile: 'ros2', library: 'test' });
  const schemaId = await writer.registerSchema({
    name: 'std_msgs/msg/String',
    encoding: 'ros2msg',
    data: new TextEncoder().encode(ros2msgSchema('std_msgs/msg/String')),
  });
  const channelId = await writer.registerChannel({ topic: '/chatter', schemaId, messageEncoding: 'cdr', metadata: new Map() });
  for (let i = 0; i < COUNT; i++) {
    await writer.addMessage({
      channelId,
      sequence: i,
      logTime: BigInt(i) * 1000n,
      publishTime: BigInt(i) * 1000n,
      data: encodeMessage('std_msgs/msg/String', { data: text(i) }),
    });
  }
  await writer.end();
  return out.bytes();
}

/**
 * An unchunked, unindexed MCAP built record by record with @mcap/core's McapRecordBuilder (what a
 * merge or conversion tool writes): schema 1 is std_msgs/String; `build` adds channels and messages.
 */
function rawMcap(build: (b: McapRecordBuilder, message: (channelId: number, i: number) => void) => void): Buffer {
  const b = new McapRecordBuilder();
  b.writeMagic();
  b.writeHeader({ profile: 'ros2', library: 'test' });
  b.writeSchema({
    id: 1,
    name: 'std_msgs/msg/String',
    encoding: 'ros2msg',
    data: new TextEncoder().encode(ros2msgSchema('std_msgs/msg/String')),
  });
  const message = (channelId: number, i: number) =>
    b.writeMessage({
      channelId,
      sequence: i,
      logTime: BigInt(i) * 1000n,
      publishTime: BigInt(i) * 1000n,
      data: encodeMessage('std_msgs/msg/String', { data: text(i) }),
    });
  build(b, message);
  b.writeDataEnd({ dataSectionCrc: 0 });
  b.writeFooter({ summaryStart: 0n, summaryOffsetStart: 0n, summaryCrc: 0 });
  b.writeMagic();
  return Buffer.from(b.buffer);
}

const channel = (id: number, topic: string) => ({ id, schemaId: 1, topic, messageEncoding: 'cdr', metadata: new Map<string, string>() });

describe('io/bag damage: read what is readable, say what was skipped', () => {
  let dir: string;
  let cleanup: () => void;
  let plain: Buffer;
  let zstd: Buffer;
  const expected = Array.from({ length: COUNT }, (_, i) => text(i));

  async function writeBag(name: string, compression: 'none' | 'zstd'): Promise<Buffer> {
    const writer = await McapBagWriter.create(path.join(dir, name), { compression, chunkSize: 4096 });
    for (let i = 0; i < COUNT; i++) await writer.write('/chatter', 'std_msgs/msg/String', BigInt(i) * 1000n, { data: text(i) });
    await writer.close();
    return fs.readFileSync(path.join(dir, name, `${name}_0.mcap`));
  }

  /** The good file's chunk indexes, as @mcap/core reads them. */
  async function chunksOf(bytes: Buffer) {
    const reader = await McapIndexedReader.Initialize({
      readable: {
        size: async () => BigInt(bytes.length),
        read: async (offset, length) => bytes.subarray(Number(offset), Number(offset + length)),
      },
      decompressHandlers: await loadDecompressHandlers(),
    });
    return reader.chunkIndexes;
  }

  function save(name: string, bytes: Uint8Array | string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  }

  before(async () => {
    ({ dir, cleanup } = tempDir('damage'));
    plain = await writeBag('plain', 'none');
    zstd = await writeBag('zstd', 'zstd');
  });
  after(() => cleanup());

  it('a file whose summary is cut off reads every message, with one warning naming the file', async () => {
    const chunks = await chunksOf(plain);
    const last = chunks[chunks.length - 1]!;
    // Cut just after the last chunk and its message index: the data is whole, the summary gone.
    const file = save(
      'summary-cut.mcap',
      plain.subarray(0, Number(last.chunkStartOffset + last.chunkLength + last.messageIndexLength) + 9),
    );
    const { data, warnings } = await readWithWarnings(file);
    assert.deepStrictEqual(data, expected);
    assert.ok(
      warnings.some((w) => w.startsWith(`MCAP file ${file}: its summary is unusable`)),
      warnings.join('\n'),
    );
  });

  it('a file with no summary at all (an interrupted recording) reads every message', async () => {
    const chunks = await chunksOf(plain);
    const last = chunks[chunks.length - 1]!;
    const file = save('no-summary.mcap', plain.subarray(0, Number(last.chunkStartOffset + last.chunkLength)));
    const { data } = await readWithWarnings(file);
    assert.deepStrictEqual(data, expected);
  });

  it('a file cut in the middle of a chunk reads every message before it, as a stream reader does, and names the offset', async () => {
    const chunks = await chunksOf(plain);
    const cut = Number(chunks[3]!.chunkStartOffset) + 100;
    const bytes = plain.subarray(0, cut);
    const file = save('half.mcap', bytes);
    const { data, warnings, skipped } = await readWithWarnings(file);
    assert.equal(data.length, await streamRecoverable(bytes));
    assert.ok(data.length > 0);
    assert.deepStrictEqual(data, expected.slice(0, data.length));
    assert.ok(
      warnings.some((w) => w.includes(`at offset ${chunks[3]!.chunkStartOffset}`) && /truncated/.test(w)),
      warnings.join('\n'),
    );
    assert.equal(skipped.parts, 1);
  });

  it('a chunk with a bad CRC is skipped, naming offset, time range and topic; every other chunk is read', async () => {
    const chunks = await chunksOf(plain);
    const bad = chunks[1]!;
    const bytes = Buffer.from(plain);
    bytes[Number(bad.chunkStartOffset + bad.chunkLength) - 20]! ^= 0xff;
    const file = save('bad-crc.mcap', bytes);
    const { data, warnings, skipped } = await readWithWarnings(file);
    const lost = expected.filter((_, i) => BigInt(i) * 1000n >= bad.messageStartTime && BigInt(i) * 1000n <= bad.messageEndTime);
    assert.ok(lost.length > 0);
    assert.deepStrictEqual(
      data,
      expected.filter((t) => !lost.includes(t)),
    );
    const warning = warnings.find((w) => w.includes(`offset ${bad.chunkStartOffset}`));
    assert.ok(warning, warnings.join('\n'));
    assert.match(
      warning,
      new RegExp(
        `log time ${bad.messageStartTime}\\.\\.${bad.messageEndTime} ns, topics /chatter, ${lost.length} messages\\): Incorrect chunk CRC`,
      ),
    );
    assert.deepStrictEqual(skipped, { parts: 1, messages: lost.length });
  });

  it('a chunk with a bad record inside and no CRC to catch it is skipped, naming its offset; every other chunk is read', async () => {
    const chunks = await chunksOf(plain);
    const bad = chunks[1]!;
    const bytes = Buffer.from(plain);
    const start = Number(bad.chunkStartOffset);
    // Chunk record: opcode, record length, start and end time, uncompressed size, then the CRC
    // (0 = not checked, as the spec allows), the compression string ("" here), the records' length.
    bytes.writeUInt32LE(0, start + 33);
    assert.equal(bytes.readUInt32LE(start + 37), 0, 'the test bag is uncompressed');
    // The first inner record's length, made to run past the end of the chunk.
    bytes.writeBigUInt64LE(0xffff_ffffn, start + 49 + 1);
    const file = save('bad-record.mcap', bytes);
    const { data, warnings, skipped } = await readWithWarnings(file);
    const inChunk = (i: number) => BigInt(i) * 1000n >= bad.messageStartTime && BigInt(i) * 1000n <= bad.messageEndTime;
    const lost = expected.filter((_, i) => inChunk(i));
    assert.ok(lost.length > 0);
    assert.deepStrictEqual(
      data,
      expected.filter((_, i) => !inChunk(i)),
    );
    assert.ok(
      warnings.some((w) => w.includes(`offset ${bad.chunkStartOffset}`)),
      warnings.join('\n'),
    );
    assert.deepStrictEqual(skipped, { parts: 1, messages: lost.length });
  });

  it('a chunk with an unknown compression, and one with corrupt compressed data, are skipped and the rest read', async () => {
    const chunks = await chunksOf(zstd);
    const bytes = Buffer.from(zstd);
    const renamed = bytes.indexOf('zstd', Number(chunks[2]!.chunkStartOffset));
    bytes.write('zzzz', renamed);
    const garbled = Number(chunks[4]!.chunkStartOffset + chunks[4]!.chunkLength) - 40;
    for (let i = garbled; i < garbled + 20; i++) bytes[i] = 0x55;
    const file = save('bad-compression.mcap', bytes);
    const { data, warnings, skipped } = await readWithWarnings(file);
    const inChunk = (c: (typeof chunks)[number]) => (_: string, i: number) =>
      BigInt(i) * 1000n >= c.messageStartTime && BigInt(i) * 1000n <= c.messageEndTime;
    assert.deepStrictEqual(
      data,
      expected.filter((t, i) => !inChunk(chunks[2]!)(t, i) && !inChunk(chunks[4]!)(t, i)),
    );
    assert.ok(
      warnings.some((w) => w.includes(`offset ${chunks[2]!.chunkStartOffset}`) && w.includes('Unsupported compression zzzz')),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.some((w) => w.includes(`offset ${chunks[4]!.chunkStartOffset}`)),
      warnings.join('\n'),
    );
    assert.equal(skipped.parts, 2);
  });

  for (const [what, options] of [
    ['an unchunked file', { useChunks: false }],
    ['chunks without MessageIndex records', { useMessageIndex: false }],
    ['a summary without ChunkIndex records', { useChunkIndex: false }],
  ] as const) {
    it(`valid: ${what} reads every message, without a warning`, async () => {
      const file = save(`${what.replace(/\W+/g, '-')}.mcap`, await mcapWith(options));
      const { data, warnings } = await readWithWarnings(file);
      assert.deepStrictEqual(data, expected);
      assert.deepStrictEqual(warnings, []);
      const reader = await openBag(file);
      try {
        assert.deepStrictEqual(
          reader.info.topics.map((t) => [t.name, t.count]),
          [['/chatter', COUNT]],
        );
        assert.equal(reader.info.endTime, BigInt(COUNT - 1) * 1000n);
      } finally {
        await reader.close();
      }
    });
  }

  it('a message on a channel the file never defines is skipped, naming the file, its log time and the channel id', async () => {
    const bytes = rawMcap((b, message) => {
      b.writeChannel(channel(1, '/chatter'));
      for (let i = 0; i < COUNT; i++) message(i === 50 ? 7 : 1, i);
    });
    const file = save('unknown-channel.mcap', bytes);
    const { data, warnings, skipped } = await readWithWarnings(file);
    assert.deepStrictEqual(
      data,
      expected.filter((_, i) => i !== 50),
    );
    assert.deepStrictEqual(warnings, [
      `MCAP file ${file}: skipped a message at log time 50000 ns on channel 7, which the file does not define`,
    ]);
    assert.deepStrictEqual(skipped, { parts: 1, messages: 1 });
  });

  it('a message on an undefined channel inside a chunk costs only that message, read through the index or record by record', async () => {
    const chunks = await chunksOf(plain);
    const bytes = Buffer.from(plain);
    // Message 50's channel id (22 bytes before its payload in the uncompressed chunk) made 77.
    const payload = Buffer.from(encodeMessage('std_msgs/msg/String', { data: text(50) }));
    const at = bytes.indexOf(payload);
    assert.ok(at > 0 && bytes.indexOf(payload, at + 1) < 0);
    bytes.writeUInt16LE(77, at - 22);
    // The chunk's CRC set to 0 ("not computed"), as a writer that skips CRCs leaves it.
    const chunk = chunks.find((c) => c.chunkStartOffset < at && at < c.chunkStartOffset + c.chunkLength)!;
    bytes.writeUInt32LE(0, Number(chunk.chunkStartOffset) + 9 + 24);
    const last = chunks[chunks.length - 1]!;
    const whole = save('stray-in-chunk.mcap', bytes);
    const cut = save('stray-in-chunk-no-summary.mcap', bytes.subarray(0, Number(last.chunkStartOffset + last.chunkLength)));
    const queries: (MessageQuery | undefined)[] = [undefined, { topics: ['/chatter'] }];
    for (const [file, query] of [whole, cut].flatMap((f) => queries.map((q) => [f, q] as const))) {
      const { data, warnings, skipped } = await readWithWarnings(file, query);
      assert.deepStrictEqual(
        data,
        expected.filter((_, i) => i !== 50),
      );
      // The cut file also says once that its summary is unusable.
      assert.deepStrictEqual(
        warnings.filter((w) => file === whole || !w.includes('its summary is unusable')),
        [`MCAP file ${file}: skipped a message at log time 50000 ns on channel 77, which the file does not define`],
      );
      assert.deepStrictEqual(skipped, { parts: 1, messages: 1 });
    }
  });

  /** The file with the summary's ChunkIndex of `chunk` pointing at `offset`; `keepCrc` leaves the summary CRC as written. */
  function withChunkIndexAt(bytes: Buffer, chunkStart: bigint, offset: bigint, keepCrc: boolean): Buffer {
    const out = Buffer.from(bytes);
    // Footer: opcode, length, summary start, summary offset start, summary CRC, then the magic.
    const summaryStart = Number(out.readBigUInt64LE(out.length - 8 - 4 - 8 - 8));
    let patched = 0;
    for (let at = summaryStart; at + 9 <= out.length - 8; at += 9 + Number(out.readBigUInt64LE(at + 1))) {
      // ChunkIndex (0x08): message start time, message end time, chunk start offset, ...
      if (out[at] === 0x08 && out.readBigUInt64LE(at + 9 + 16) === chunkStart) {
        out.writeBigUInt64LE(offset, at + 9 + 16);
        patched++;
      }
    }
    assert.equal(patched, 1);
    if (!keepCrc) out.writeUInt32LE(0, out.length - 8 - 4);
    return out;
  }

  for (const [what, target, keepCrc, warning] of [
    ['points into the middle of its chunk (summary CRC intact)', 'middle', true, 'its summary is unusable (Incorrect summary CRC'],
    ['points into the middle of its chunk', 'middle', false, 'the indexed read failed (Chunk start offset'],
    ['points at the next chunk', 'next', false, 'the indexed read failed ('],
  ] as const) {
    it(`a summary ChunkIndex that ${what}: every message read once, in order, with one warning`, async () => {
      const chunks = await chunksOf(plain);
      const bad = chunks[2]!;
      const offset = target === 'middle' ? bad.chunkStartOffset + 13n : chunks[3]!.chunkStartOffset;
      const file = save(`chunk-index-${target}-${keepCrc}.mcap`, withChunkIndexAt(plain, bad.chunkStartOffset, offset, keepCrc));
      const { data, warnings, skipped } = await readWithWarnings(file);
      assert.deepStrictEqual(data, expected);
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.ok(warnings[0]!.startsWith(`MCAP file ${file}: ${warning}`), warnings[0]);
      assert.deepStrictEqual(skipped, { parts: 0, messages: 0 });
    });
  }

  it('one channel id defined for two topics is refused naming both, read linearly or through the index', async () => {
    const linear = save(
      'duplicate-linear.mcap',
      rawMcap((b, message) => {
        b.writeChannel(channel(1, '/left/image_raw'));
        message(1, 0);
        b.writeChannel(channel(1, '/right/image_raw'));
        message(1, 1);
      }),
    );
    const refusal = /channel id \d+ is defined twice, for topic \/left\/image_raw and for topic \/right\/image_raw/;
    await assert.rejects(openBag(linear), (e: Error) => e.message.includes(linear) && refusal.test(e.message));

    // Indexed: @mcap/core's writer, then /right/image_raw's Channel records (in its chunk and in the
    // summary) given /left/image_raw's id, CRCs cleared (0 = not computed) so the index is used.
    const out = new MemoryWritable();
    const writer = new McapWriter({ writable: out, chunkSize: 1 << 20 });
    await writer.start({ profile: 'ros2', library: 'test' });
    const schemaId = await writer.registerSchema({
      name: 'std_msgs/msg/String',
      encoding: 'ros2msg',
      data: new TextEncoder().encode(ros2msgSchema('std_msgs/msg/String')),
    });
    const ids = [];
    for (const topic of ['/left/image_raw', '/right/image_raw'])
      ids.push(await writer.registerChannel({ topic, schemaId, messageEncoding: 'cdr', metadata: new Map() }));
    for (let i = 0; i < 10; i++)
      await writer.addMessage({
        channelId: ids[i % 2]!,
        sequence: i,
        logTime: BigInt(i),
        publishTime: BigInt(i),
        data: encodeMessage('std_msgs/msg/String', { data: text(i) }),
      });
    await writer.end();
    const bytes = out.bytes();
    const chunks = await chunksOf(bytes);
    const topic = Buffer.concat([Buffer.from([16, 0, 0, 0]), Buffer.from('/right/image_raw')]);
    let patched = 0;
    for (let at = bytes.indexOf(topic); at >= 0; at = bytes.indexOf(topic, at + 1), patched++) bytes.writeUInt16LE(ids[0]!, at - 4);
    assert.equal(patched, 2, 'one Channel record in the chunk, one in the summary');
    for (const c of chunks) bytes.writeUInt32LE(0, Number(c.chunkStartOffset) + 9 + 24);
    bytes.writeUInt32LE(0, bytes.length - 8 - 4);
    const indexed = save('duplicate-indexed.mcap', bytes);
    await assert.rejects(openBag(indexed), (e: Error) => e.message.includes(indexed) && refusal.test(e.message));
  });

  it('a file that is not MCAP at all is still refused, naming it', async () => {
    const file = save('text.mcap', 'this is not an mcap file, just some text that is long enough to have a footer');
    await assert.rejects(
      openBag(file),
      new RegExp(
        `MCAP file ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is truncated or corrupt: it does not start with the MCAP magic bytes`,
      ),
    );
  });

  it('.db3 rows with a NULL timestamp, a NULL payload or an unknown topic id are skipped, naming the row; the others read', async () => {
    const file = path.join(dir, 'rows.db3');
    const db = new Database(file);
    db.exec(`CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL);
             CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER, timestamp INTEGER, data BLOB);`);
    db.prepare('INSERT INTO topics VALUES (1, ?, ?, ?, ?)').run('/chatter', 'std_msgs/msg/String', 'cdr', '');
    const insert = db.prepare('INSERT INTO messages (id, topic_id, timestamp, data) VALUES (?, ?, ?, ?)');
    const cdr = (s: string) => Buffer.from(encodeMessage('std_msgs/msg/String', { data: s }));
    insert.run(1, 1, 10n, cdr('one'));
    insert.run(2, 1, null, cdr('no time'));
    insert.run(3, 1, 30n, null);
    insert.run(4, 9, 40n, cdr('no topic'));
    insert.run(5, 1, 50n, cdr('five'));
    db.close();
    const { data, warnings, skipped } = await readWithWarnings(file);
    assert.deepStrictEqual(data, ['one', 'five']);
    assert.deepStrictEqual(warnings, [
      `sqlite3 bag file ${file}: skipped messages row id 2: it (/chatter) has a NULL timestamp`,
      `sqlite3 bag file ${file}: skipped messages row id 3: it (/chatter) has a NULL payload`,
      `sqlite3 bag file ${file}: skipped messages row id 4: it refers to topic id 9, which the topics table does not list`,
    ]);
    assert.deepStrictEqual(skipped, { parts: 3, messages: 3 });
  });

  it('a .db3 with a damaged page reads every row outside it in time order, naming the file and the lost row ids', async () => {
    const file = path.join(dir, 'damaged-page.db3');
    const db = new Database(file);
    db.exec(`CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL);
             CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL, timestamp INTEGER NOT NULL, data BLOB NOT NULL);
             CREATE INDEX timestamp_idx ON messages (timestamp ASC);`);
    db.prepare('INSERT INTO topics VALUES (1, ?, ?, ?, ?)').run('/chatter', 'std_msgs/msg/String', 'cdr', '');
    const insert = db.prepare('INSERT INTO messages (id, topic_id, timestamp, data) VALUES (?, 1, ?, ?)');
    const rows = Array.from({ length: 2000 }, (_, i) => `row ${i} `.repeat(40));
    db.transaction(() =>
      rows.forEach((t, i) => insert.run(i + 1, BigInt(i) * 1000n, Buffer.from(encodeMessage('std_msgs/msg/String', { data: t })))),
    )();
    db.close();
    // What a bad disk sector does: one 4 KiB page in the middle of the table overwritten.
    const bytes = fs.readFileSync(file);
    const page = Math.floor(bytes.length / 4096 / 2) * 4096;
    bytes.fill(0x55, page, page + 4096);
    fs.writeFileSync(file, bytes);

    const { data, warnings, skipped } = await readWithWarnings(file);
    assert.equal(
      warnings[0],
      `sqlite3 bag file ${file}: its messages table is damaged (database disk image is malformed); reading it row by row`,
    );
    const lost = /^sqlite3 bag file .*: skipped messages rows id (\d+)\.\.(\d+): unreadable \(database disk image is malformed\)$/.exec(
      warnings[1] ?? '',
    );
    assert.ok(lost && warnings.length === 2, warnings.join('\n'));
    const [first, last] = [Number(lost[1]), Number(lost[2])];
    assert.ok(last - first + 1 <= 12, `one page holds a few rows, not ${last - first + 1}`);
    assert.deepStrictEqual(
      data,
      rows.filter((_, i) => i + 1 < first || i + 1 > last),
    );
    assert.deepStrictEqual(skipped, { parts: 1, messages: last - first + 1 });
  });

  it('a .db3 topic with a malformed type name opens; only that topic fails to decode, naming the topic and type', async () => {
    const file = path.join(dir, 'garbage-type.db3');
    const db = new Database(file);
    db.exec(`CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL);
             CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL, timestamp INTEGER NOT NULL, data BLOB NOT NULL);`);
    db.prepare('INSERT INTO topics VALUES (1, ?, ?, ?, ?)').run('/odd', 'garbage', 'cdr', '');
    db.prepare('INSERT INTO topics VALUES (2, ?, ?, ?, ?)').run('/chatter', 'std_msgs/msg/String', 'cdr', '');
    const insert = db.prepare('INSERT INTO messages (topic_id, timestamp, data) VALUES (?, ?, ?)');
    insert.run(1, 1n, Buffer.from([0, 1, 0, 0]));
    insert.run(2, 2n, Buffer.from(encodeMessage('std_msgs/msg/String', { data: 'fine' })));
    db.close();
    const reader = await openBag(file);
    try {
      const [odd, chatter] = await readAll(reader);
      assert.throws(
        () => odd!.decode(),
        /cannot decode message on \/odd \(garbage\) at log time 1 ns: message type "garbage" is not a ROS message type name/,
      );
      assert.deepStrictEqual(chatter!.decode(), { data: 'fine' });
    } finally {
      await reader.close();
    }
  });
});
