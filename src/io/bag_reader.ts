// Opening a rosbag2 bag (a directory with metadata.yaml, or a single .mcap / .db3 file) and
// streaming its messages in log-time order across all of its split files.
import * as fs from 'fs';
import * as path from 'path';
import { isKnownMessageType, registerSchema } from '../msgs/definitions';
import type { Nanos } from '../msgs/time';
import { readBagMetadata, METADATA_FILE, type BagMetadataSummary } from './bag_metadata';
import { bagMessage, type BagMessage } from './bag_message';
import type { BagStorage, SkipTally, StorageQuery, StorageTopic, StoredMessage } from './bag_storage';
import { openMcapStorage } from './mcap_storage';
import { openSqliteStorage } from './sqlite_storage';

export type { BagMessage } from './bag_message';
export type { SkipTally } from './bag_storage';
export { MessageDecodeError } from './bag_message';

export type StorageId = 'mcap' | 'sqlite3';

/** A topic as the bag summary lists it: the storage's record without the schema text. */
export type BagTopicInfo = Omit<StorageTopic, 'schema'>;

/** Summary of a bag, computed from its storage files (not copied from metadata.yaml). */
export interface BagInfo {
  path: string;
  storage: StorageId;
  /** Storage files, relative to the bag directory (as metadata.yaml lists them). */
  files: string[];
  /** Bytes of every file in the bag directory (or of the single file), as `ros2 bag info` counts them. */
  bagSize: number;
  /** From metadata.yaml or the storage file; undefined when neither records it. */
  rosDistro?: string;
  /** First and last log time; both 0 for a bag without messages. */
  startTime: Nanos;
  endTime: Nanos;
  duration: Nanos;
  messageCount: number;
  topics: BagTopicInfo[];
}

export interface MessageQuery {
  /** Only these topics; every one must exist in the bag. */
  topics?: string[];
  /** Inclusive log-time bounds. */
  start?: Nanos;
  end?: Nanos;
}

/** An open bag. Close it when done; messages() may be iterated several times, one at a time. */
export interface BagReader {
  readonly info: BagInfo;
  messages(opts?: MessageQuery): AsyncIterable<BagMessage>;
  /** Damaged parts skipped so far over all files (each one also told to onWarning). */
  skipped(): SkipTally;
  close(): Promise<void>;
}

export interface OpenBagOptions {
  /** Told each damaged part that is skipped and each summary that cannot be used, naming file and offset or row. */
  onWarning?: (m: string) => void;
}

const OPENERS: Record<StorageId, (file: string, onWarning: (m: string) => void) => Promise<BagStorage>> = {
  mcap: openMcapStorage,
  sqlite3: openSqliteStorage,
};

const EXTENSIONS: Record<string, StorageId> = { '.mcap': 'mcap', '.db3': 'sqlite3' };

/**
 * Opens a bag directory or a single .mcap/.db3 file. Damaged parts of a file are skipped and told
 * to onWarning; throws an error naming the path and the problem when it does not exist, holds no
 * storage file, or a file is not a bag at all.
 */
export async function openBag(bagPath: string, opts: OpenBagOptions = {}): Promise<BagReader> {
  const onWarning = opts.onWarning ?? (() => undefined);
  const stat = fs.statSync(bagPath, { throwIfNoEntry: false });
  if (!stat) throw new Error(`bag ${bagPath} does not exist`);
  const location = stat.isDirectory() ? locateDirectoryBag(bagPath) : locateFileBag(bagPath);
  const { dir, storage, files } = location;
  const storages: BagStorage[] = [];
  try {
    for (const f of files) storages.push(await OPENERS[storage](path.join(dir, f), onWarning));
  } catch (err) {
    await Promise.all(storages.map((s) => s.close()));
    throw err;
  }
  const bagSize = stat.isDirectory() ? directorySize(bagPath) : stat.size;
  return new MultiFileBagReader(bagPath, location, bagSize, storages);
}

interface BagLocation {
  dir: string;
  storage: StorageId;
  files: string[];
  metadata?: BagMetadataSummary;
}

function locateFileBag(file: string): BagLocation {
  const storage = EXTENSIONS[path.extname(file)];
  if (!storage) throw new Error(`bag file ${file} is neither .mcap nor .db3`);
  return { dir: path.dirname(file), storage, files: [path.basename(file)] };
}

function locateDirectoryBag(dir: string): BagLocation {
  const metadata = readBagMetadata(path.join(dir, METADATA_FILE));
  if (metadata) {
    const storage = metadata.storageIdentifier as StorageId;
    if (!(storage in OPENERS)) {
      throw new Error(
        `bag ${dir}: storage_identifier "${metadata.storageIdentifier}" in ${METADATA_FILE} is not supported; expected mcap or sqlite3`,
      );
    }
    if (metadata.relativeFilePaths.length === 0) throw new Error(`bag ${dir}: ${METADATA_FILE} lists no storage file`);
    // Older rosbag2 versions wrote paths including the bag directory name; keep what exists.
    const files = metadata.relativeFilePaths.map((p) => (fs.existsSync(path.join(dir, p)) ? p : path.basename(p)));
    return { dir, storage, files, metadata };
  }
  const entries = fs.readdirSync(dir).sort();
  for (const [ext, storage] of Object.entries(EXTENSIONS)) {
    const files = entries.filter((f) => f.endsWith(ext));
    if (files.length > 0) return { dir, storage, files };
  }
  throw new Error(`bag ${dir} has no ${METADATA_FILE} and no .mcap or .db3 file`);
}

function directorySize(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((n, e) => n + fs.statSync(path.join(dir, e.name)).size, 0);
}

class MultiFileBagReader implements BagReader {
  readonly info: BagInfo;
  readonly #storages: readonly BagStorage[];
  readonly #types = new Map<string, string>();
  /** Why a topic's messages cannot be decoded, for topics whose schema or format is unusable. */
  readonly #unusable = new Map<string, string>();

  constructor(bagPath: string, location: BagLocation, bagSize: number, storages: BagStorage[]) {
    this.#storages = storages;
    const topics = new Map<string, BagTopicInfo>();
    for (const s of storages) {
      for (const t of s.topics) {
        const known = topics.get(t.name);
        if (known) known.count += t.count;
        else
          topics.set(t.name, {
            name: t.name,
            type: t.type,
            serializationFormat: t.serializationFormat,
            count: t.count,
            offeredQos: t.offeredQos,
          });
        try {
          this.#prepareDecoding(t.name, t.type, t.serializationFormat, t.schema);
        } catch (err) {
          // A malformed type name ("garbage") makes that topic undecodable, not the whole bag unreadable.
          this.#unusable.set(t.name, (err as Error).message);
        }
      }
    }
    const ranges = storages.flatMap((s) => (s.timeRange ? [s.timeRange] : []));
    const startTime = ranges.reduce<Nanos | undefined>((m, r) => (m === undefined || r.start < m ? r.start : m), undefined) ?? 0n;
    const endTime = ranges.reduce<Nanos | undefined>((m, r) => (m === undefined || r.end > m ? r.end : m), undefined) ?? 0n;
    // With a metadata.yaml, topic order and ROS distro come from it, as `ros2 bag info` shows them.
    const { metadata } = location;
    const order = (name: string): number => {
      const i = metadata?.topicNames.indexOf(name) ?? -1;
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    this.info = {
      path: bagPath,
      storage: location.storage,
      files: location.files,
      bagSize,
      rosDistro: metadata ? metadata.rosDistro : storages.find((s) => s.rosDistro)?.rosDistro,
      startTime,
      endTime,
      duration: endTime - startTime,
      messageCount: storages.reduce((n, s) => n + s.messageCount, 0),
      topics: [...topics.values()].sort((a, b) => order(a.name) - order(b.name)),
    };
  }

  // Types we do not know get their definitions from the bag's own schema, when it has one.
  #prepareDecoding(topic: string, type: string, format: string, schema: { encoding: string; text: string } | undefined): void {
    this.#types.set(topic, type);
    if (format !== 'cdr') {
      this.#unusable.set(topic, `serialization format "${format}" is not supported; expected cdr`);
      return;
    }
    if (isKnownMessageType(type) || !schema || schema.text.trim() === '') return;
    if (schema.encoding !== 'ros2msg') {
      this.#unusable.set(
        topic,
        `no built-in definition for ${type} and the bag's schema encoding "${schema.encoding}" is not supported; expected ros2msg`,
      );
      return;
    }
    try {
      registerSchema(type, schema.text);
    } catch (err) {
      this.#unusable.set(topic, `no built-in definition for ${type} and the bag's schema does not parse: ${(err as Error).message}`);
    }
  }

  /** Messages in log-time order (ties keep file order), filtered by topic and inclusive time range. */
  async *messages(opts: MessageQuery = {}): AsyncIterable<BagMessage> {
    if (opts.topics) {
      const missing = opts.topics.filter((t) => !this.#types.has(t));
      if (missing.length > 0) {
        throw new Error(`bag ${this.info.path} has no topic ${missing.join(', ')}; its topics are ${[...this.#types.keys()].join(', ')}`);
      }
    }
    const query: StorageQuery = { topics: opts.topics ? new Set(opts.topics) : undefined, start: opts.start, end: opts.end };
    for await (const m of mergeByLogTime(this.#storages.map((s) => s.messages(query)))) {
      yield bagMessage(m, this.#types.get(m.topic)!, this.#unusable.get(m.topic));
    }
  }

  skipped(): SkipTally {
    return this.#storages.reduce((t, s) => ({ parts: t.parts + s.skipped.parts, messages: t.messages + s.skipped.messages }), {
      parts: 0,
      messages: 0,
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#storages.map((s) => s.close()));
  }
}

// k-way merge of time-ordered streams. Split files are usually consecutive, but rosbag2 does not
// promise it, so every file keeps one message in hand and the earliest goes first.
async function* mergeByLogTime(sources: AsyncIterable<StoredMessage>[]): AsyncIterable<StoredMessage> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((it) => it.next()));
  try {
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i]!;
        if (!h.done && (best < 0 || h.value.logTime < (heads[best]!.value as StoredMessage).logTime)) best = i;
      }
      if (best < 0) return;
      yield heads[best]!.value as StoredMessage;
      heads[best] = await iterators[best]!.next();
    }
  } finally {
    await Promise.all(iterators.map((it, i) => (heads[i]!.done ? undefined : it.return?.())));
  }
}
