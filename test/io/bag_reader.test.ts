import { strict as assert } from 'assert';
import Database from 'better-sqlite3';
import * as fs from 'fs';
import * as path from 'path';
import { MessageDecodeError, openBag } from '../../src/io/bag_reader';
import { encodeMessage } from '../../src/msgs/codec';
import { requireData } from '../support/data_dir';
import { FIXTURES, fixtureMetadata, readAll, tempDir } from './bag_test_support';

interface Log {
  level: number;
  name: string;
  msg: string;
  stamp: { sec: number; nanosec: number };
}

describe('io/bag_reader', () => {
  for (const bag of ['talker_mcap', 'talker_db3']) {
    describe(`fixture ${bag}`, () => {
      let meta: ReturnType<typeof fixtureMetadata>;
      before(function () {
        requireData(this, `data/rosbag2_format_fixtures/${bag}`);
        meta = fixtureMetadata(bag);
      });

      it('reports the counts, start and duration its metadata.yaml records', async () => {
        const reader = await openBag(path.join(FIXTURES, bag));
        try {
          const { info } = reader;
          assert.equal(info.storage, meta.storage_identifier);
          assert.deepStrictEqual(info.files, meta.relative_file_paths);
          assert.equal(info.messageCount, Number(meta.message_count));
          assert.equal(info.startTime, BigInt(meta.starting_time.nanoseconds_since_epoch));
          assert.equal(info.duration, BigInt(meta.duration.nanoseconds));
          assert.equal(info.endTime, info.startTime + info.duration);
          const expected = meta.topics_with_message_count.map((t) => ({ ...t.topic_metadata, count: Number(t.message_count) }));
          assert.deepStrictEqual(
            info.topics.map((t) => ({ name: t.name, type: t.type, serialization_format: t.serializationFormat, count: t.count })),
            expected.map((t) => ({ name: t.name, type: t.type, serialization_format: t.serialization_format, count: t.count })),
          );
          const messages = await readAll(reader);
          assert.equal(messages.length, Number(meta.message_count));
        } finally {
          await reader.close();
        }
      });

      it('decodes std_msgs/String "Hello, world! N" and rcl_interfaces/Log in time order', async () => {
        const reader = await openBag(path.join(FIXTURES, bag));
        try {
          const messages = await readAll(reader);
          for (let i = 1; i < messages.length; i++) assert.ok(messages[i]!.logTime >= messages[i - 1]!.logTime);
          const strings = messages.filter((m) => m.topic === '/topic').map((m) => m.decode<{ data: string }>().data);
          assert.deepStrictEqual(
            strings,
            Array.from({ length: 10 }, (_, i) => `Hello, world! ${i}`),
          );
          const logs = messages.filter((m) => m.topic === '/rosout').map((m) => m.decode<Log>());
          assert.equal(logs.length, 10);
          logs.forEach((log, i) => {
            assert.equal(log.level, 20); // INFO
            assert.equal(log.name, 'minimal_publisher');
            assert.equal(log.msg, `Publishing: 'Hello, world! ${i}'`);
          });
          assert.deepStrictEqual(messages[0]!.type, 'rcl_interfaces/msg/Log');
          assert.equal(messages[0]!.logTime, BigInt(meta.starting_time.nanoseconds_since_epoch));
        } finally {
          await reader.close();
        }
      });

      it('filters by topic and inclusive time range', async () => {
        const reader = await openBag(path.join(FIXTURES, bag));
        try {
          const all = await readAll(reader);
          const start = all[5]!.logTime;
          const end = all[14]!.logTime;
          const some = await readAll(reader, { topics: ['/topic'], start, end });
          const expected = all.filter((m) => m.topic === '/topic' && m.logTime >= start && m.logTime <= end);
          assert.ok(expected.length > 0);
          assert.deepStrictEqual(
            some.map((m) => [m.topic, m.logTime]),
            expected.map((m) => [m.topic, m.logTime]),
          );
          await assert.rejects(readAll(reader, { topics: ['/nope'] }), /has no topic \/nope; its topics are/);
        } finally {
          await reader.close();
        }
      });
    });
  }

  it('opens a single storage file as a bag', async function () {
    requireData(this, 'data/rosbag2_format_fixtures/talker_mcap');
    const reader = await openBag(path.join(FIXTURES, 'talker_mcap', 'talker.mcap'));
    try {
      assert.equal(reader.info.messageCount, 20);
      assert.deepStrictEqual(reader.info.files, ['talker.mcap']);
    } finally {
      await reader.close();
    }
  });

  it('says what is missing', async () => {
    await assert.rejects(openBag('/nonexistent/bag'), /bag \/nonexistent\/bag does not exist/);
    const { dir, cleanup } = tempDir('empty');
    try {
      await assert.rejects(openBag(dir), /has no metadata.yaml and no .mcap or .db3 file/);
      fs.writeFileSync(
        path.join(dir, 'metadata.yaml'),
        'rosbag2_bagfile_information:\n  storage_identifier: mcap\n  relative_file_paths: [gone.mcap]\n',
      );
      await assert.rejects(openBag(dir), /cannot open MCAP file .*gone\.mcap: no such file/);
    } finally {
      cleanup();
    }
  });

  describe('.db3 with a type the codec does not know', () => {
    let dir: string;
    let cleanup: () => void;
    before(() => {
      ({ dir, cleanup } = tempDir('db3'));
      // The rosbag2 sqlite3 layout (schema version 3+), written directly.
      const db = new Database(path.join(dir, 'mystery.db3'));
      db.exec(`CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
                 serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL);
               CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL, timestamp INTEGER NOT NULL, data BLOB NOT NULL);`);
      db.prepare('INSERT INTO topics VALUES (?, ?, ?, ?, ?)').run(1, '/mystery', 'unknown_pkg/msg/Mystery', 'cdr', '');
      db.prepare('INSERT INTO topics VALUES (?, ?, ?, ?, ?)').run(2, '/chatter', 'std_msgs/msg/String', 'cdr', '');
      const insert = db.prepare('INSERT INTO messages (topic_id, timestamp, data) VALUES (?, ?, ?)');
      insert.run(1, 1_700_000_000_000_000_001n, Buffer.from([0, 1, 0, 0, 7, 0, 0, 0]));
      insert.run(2, 1_700_000_000_000_000_002n, Buffer.from(encodeMessage('std_msgs/msg/String', { data: 'still fine' })));
      db.close();
    });
    after(() => cleanup());

    it('opens, lists the topic, and fails only when that topic is decoded, naming topic, type and time', async () => {
      const reader = await openBag(dir);
      try {
        assert.deepStrictEqual(
          reader.info.topics.map((t) => [t.name, t.type, t.count]),
          [
            ['/mystery', 'unknown_pkg/msg/Mystery', 1],
            ['/chatter', 'std_msgs/msg/String', 1],
          ],
        );
        const [mystery, chatter] = await readAll(reader);
        assert.throws(
          () => mystery!.decode(),
          (err: Error) =>
            err instanceof MessageDecodeError &&
            /\/mystery \(unknown_pkg\/msg\/Mystery\) at log time 1700000000000000001 ns: no message definition for unknown_pkg\/msg\/Mystery/.test(
              err.message,
            ),
        );
        assert.deepStrictEqual(chatter!.decode(), { data: 'still fine' });
      } finally {
        await reader.close();
      }
    });
  });
});
