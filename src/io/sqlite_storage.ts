// Reading one rosbag2 sqlite3 (.db3) file with better-sqlite3. Messages come from a statement
// cursor ordered by the timestamp index, so memory holds one row at a time whatever the file size.
// Timestamps are read as BigInt (safeIntegers): epoch nanoseconds do not fit a double.
import Database from 'better-sqlite3';
import * as fs from 'fs';
import type { Nanos } from '../msgs/time';
import type { BagStorage, SkipTally, StorageQuery, StorageTopic, StoredMessage } from './bag_storage';
import { isCorruption, salvageMessages, type Salvage } from './sqlite_salvage';

interface TopicRow {
  id: bigint;
  name: string;
  type: string;
  serialization_format: string;
  offered_qos_profiles?: string;
}
interface MessageRow {
  id: bigint;
  topic_id: bigint | null;
  timestamp: bigint | null;
  data: Buffer | null;
}

/** Opens a .db3 file read-only. Throws naming the file when it is missing or not a rosbag2 database. */
export async function openSqliteStorage(file: string, onWarning: (m: string) => void): Promise<BagStorage> {
  if (!fs.existsSync(file)) throw new Error(`cannot open sqlite3 bag file ${file}: no such file`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.defaultSafeIntegers(true);
    return SqliteStorage.create(file, db, onWarning);
  } catch (err) {
    db?.close();
    const nativeModuleMissing = sqliteNativeModuleError(err as Error);
    if (nativeModuleMissing) throw nativeModuleMissing;
    throw new Error(`sqlite3 bag file ${file} is not a readable rosbag2 database: ${(err as Error).message}`);
  }
}

/**
 * The error to show when `err` says better-sqlite3's native module is absent or unloadable: it is
 * loaded on the first `new Database`, and `npm ci` does not build it here (.npmrc ignore-scripts),
 * so its absence must not read as a broken bag.
 */
export function sqliteNativeModuleError(err: Error & { code?: string }): Error | undefined {
  if (!/Could not locate the bindings file/.test(err.message) && err.code !== 'ERR_DLOPEN_FAILED') return undefined;
  return new Error(
    'reading .db3 bags needs the native module of better-sqlite3, which `npm ci` does not build ' +
      '(.npmrc sets ignore-scripts); run `npm run setup` in the dx_perception folder once (it compiles ' +
      'it, about 2-3 minutes; after a Node.js upgrade use `npm rebuild better-sqlite3 --ignore-scripts=false`)',
  );
}

class SqliteStorage implements BagStorage {
  readonly skipped: SkipTally = { parts: 0, messages: 0 };
  readonly #db: Database.Database;
  readonly #onWarning: (m: string) => void;
  readonly #topicIds: ReadonlyMap<string, bigint>;
  readonly #topicNames: ReadonlyMap<bigint, string>;
  /** The readable rows of a messages table with a damaged page, once one was met. */
  #salvage: Salvage | undefined;

  private constructor(
    readonly file: string,
    db: Database.Database,
    topicRows: readonly TopicRow[],
    readonly topics: readonly StorageTopic[],
    readonly messageCount: number,
    readonly timeRange: { start: Nanos; end: Nanos } | undefined,
    readonly rosDistro: string | undefined,
    onWarning: (m: string) => void,
    salvage: Salvage | undefined,
  ) {
    this.#db = db;
    this.#salvage = salvage;
    this.#onWarning = onWarning;
    this.#topicIds = new Map(topicRows.map((r) => [r.name, r.id]));
    this.#topicNames = new Map(topicRows.map((r) => [r.id, r.name]));
  }

  static create(file: string, db: Database.Database, onWarning: (m: string) => void): SqliteStorage {
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
    );
    for (const required of ['topics', 'messages']) {
      if (!tables.has(required)) throw new Error(`no "${required}" table`);
    }
    const topicColumns = new Set((db.prepare('PRAGMA table_info(topics)').all() as { name: string }[]).map((c) => c.name));
    const qosColumn = topicColumns.has('offered_qos_profiles') ? ', offered_qos_profiles' : '';
    const topicRows = db.prepare(`SELECT id, name, type, serialization_format${qosColumn} FROM topics ORDER BY id`).all() as TopicRow[];
    let stats: Map<bigint | null, number>;
    let range: { start: bigint | null; end: bigint | null };
    let salvage: Salvage | undefined;
    try {
      stats = new Map(
        (db.prepare('SELECT topic_id, COUNT(*) AS n FROM messages GROUP BY topic_id').all() as { topic_id: bigint; n: bigint }[]).map(
          (r) => [r.topic_id, Number(r.n)],
        ),
      );
      range = db.prepare('SELECT MIN(timestamp) AS start, MAX(timestamp) AS end FROM messages').get() as {
        start: bigint | null;
        end: bigint | null;
      };
    } catch (err) {
      if (!isCorruption(err)) throw err;
      onWarning(`sqlite3 bag file ${file}: its messages table is damaged (${(err as Error).message}); reading it row by row`);
      salvage = salvageMessages(db);
      stats = new Map();
      for (const r of salvage.rows) stats.set(r.topicId, (stats.get(r.topicId) ?? 0) + 1);
      const times = salvage.rows.flatMap((r) => (r.timestamp === null ? [] : [r.timestamp]));
      range = { start: times[0] ?? null, end: times[times.length - 1] ?? null };
    }
    const definitions = tables.has('message_definitions')
      ? new Map(
          (
            db.prepare('SELECT topic_type, encoding, encoded_message_definition AS text FROM message_definitions').all() as {
              topic_type: string;
              encoding: string;
              text: string;
            }[]
          ).map((r) => [r.topic_type, { encoding: r.encoding, text: r.text }]),
        )
      : new Map<string, { encoding: string; text: string }>();
    const topics = topicRows.map((r) => ({
      name: r.name,
      type: r.type,
      serializationFormat: r.serialization_format,
      count: stats.get(r.id) ?? 0,
      offeredQos: r.offered_qos_profiles,
      schema: definitions.get(r.type),
    }));
    const timeRange = range.start !== null && range.end !== null ? { start: range.start, end: range.end } : undefined;
    const distro = tables.has('schema')
      ? (db.prepare('SELECT ros_distro FROM schema LIMIT 1').get() as { ros_distro: string } | undefined)?.ros_distro
      : undefined;
    const storage = new SqliteStorage(
      file,
      db,
      topicRows,
      topics,
      topics.reduce((n, t) => n + t.count, 0),
      timeRange,
      distro || undefined,
      onWarning,
      salvage,
    );
    storage.#reportLost();
    return storage;
  }

  async *messages(query: StorageQuery): AsyncIterable<StoredMessage> {
    if (this.#salvage) {
      yield* this.#salvaged(query, undefined);
      return;
    }
    const where: string[] = [];
    const params: bigint[] = [];
    if (query.start !== undefined) {
      where.push('timestamp >= ?');
      params.push(query.start);
    }
    if (query.end !== undefined) {
      where.push('timestamp <= ?');
      params.push(query.end);
    }
    if (query.topics) {
      const ids = [...query.topics].flatMap((t) => this.#topicIds.get(t) ?? []);
      where.push(`topic_id IN (${ids.map(() => '?').join(', ')})`);
      params.push(...ids);
    }
    const sql = `SELECT id, topic_id, timestamp, data FROM messages${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY timestamp, id`;
    let last: MessageRow | undefined;
    try {
      for (const row of this.#db.prepare(sql).iterate(...params) as IterableIterator<MessageRow>) {
        last = row;
        const message = this.#message(row);
        if (message) yield message;
      }
    } catch (err) {
      // A corrupt page ends the cursor: the rest is read row by row, skipping the damaged rows.
      if (isCorruption(err)) {
        try {
          this.#salvage = salvageMessages(this.#db);
        } catch {
          // Not even the id range is readable: what the cursor read is all there is.
        }
      }
      this.#onWarning(
        `sqlite3 bag file ${this.file}: a damaged part of the database stopped the read (${(err as Error).message}); ${this.#salvage ? 'reading the rest row by row' : 'the messages after it are skipped'}`,
      );
      if (!this.#salvage) {
        this.skipped.parts++;
        return;
      }
      this.#reportLost();
      yield* this.#salvaged(query, last);
    }
  }

  /** The salvaged rows `query` selects, after `after` in (timestamp, id) order. */
  *#salvaged(query: StorageQuery, after: MessageRow | undefined): Iterable<StoredMessage> {
    const topicIds = query.topics ? new Set([...query.topics].flatMap((t) => this.#topicIds.get(t) ?? [])) : undefined;
    const data = this.#db.prepare('SELECT data FROM messages WHERE id = ?');
    for (const r of this.#salvage!.rows) {
      const t = r.timestamp;
      // NULL timestamps sort first, as in the cursor's ORDER BY and the salvage's order.
      if (after && ((t ?? -1n) < (after.timestamp ?? -1n) || ((t ?? -1n) === (after.timestamp ?? -1n) && r.id <= after.id))) continue;
      if ((query.start !== undefined && (t === null || t < query.start)) || (query.end !== undefined && (t === null || t > query.end)))
        continue;
      if (topicIds && (r.topicId === null || !topicIds.has(r.topicId))) continue;
      let payload: Buffer | null;
      try {
        payload = (data.get(r.id) as { data: Buffer | null }).data;
      } catch (err) {
        this.#skip({ id: r.id, topic_id: r.topicId, timestamp: t, data: null }, `could not be read (${(err as Error).message})`);
        continue;
      }
      const message = this.#message({ id: r.id, topic_id: r.topicId, timestamp: t, data: payload });
      if (message) yield message;
    }
  }

  /** Names each id range of the salvage that could not be read, once. */
  #reportLost(): void {
    for (const l of this.#salvage?.lost.splice(0) ?? []) {
      this.skipped.parts++;
      this.skipped.messages += Number(l.last - l.first + 1n);
      this.#onWarning(`sqlite3 bag file ${this.file}: skipped messages rows id ${l.first}..${l.last}: unreadable (${l.why})`);
    }
  }

  // A row that names no known topic, has no timestamp or no payload is skipped, naming its id.
  #message(row: MessageRow): StoredMessage | undefined {
    const topic = row.topic_id === null ? undefined : this.#topicNames.get(row.topic_id);
    if (topic === undefined) return this.#skip(row, `refers to topic id ${row.topic_id}, which the topics table does not list`);
    if (row.timestamp === null) return this.#skip(row, `(${topic}) has a NULL timestamp`);
    if (row.data === null) return this.#skip(row, `(${topic}) has a NULL payload`);
    return { topic, logTime: row.timestamp, data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) };
  }

  #skip(row: MessageRow, why: string): undefined {
    this.skipped.parts++;
    this.skipped.messages++;
    this.#onWarning(`sqlite3 bag file ${this.file}: skipped messages row id ${row.id}: it ${why}`);
    return undefined;
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
