// Reading one rosbag2 MCAP file through @mcap/core's indexed reader: random access by chunk
// index, so a time or topic filter touches only the chunks it needs and memory stays bounded by
// the chunk size, not the file size. Files without a usable index, and the rest of a file once a
// damaged chunk is met, are read record by record (mcap_linear.ts).
import { hasMcapPrefix, McapIndexedReader, MCAP_MAGIC, type DecompressHandlers } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';
import { loadDecompressHandlers } from '@mcap/support';
import { open, type FileHandle } from 'fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Nanos } from '../msgs/time';
import type { BagStorage, SkipTally, StorageQuery, StorageTopic, StoredMessage } from './bag_storage';
import { checkSummaryChannels } from './mcap_channels';
import { scanMcapLinearly, type McapDamage } from './mcap_linear';
import { withoutLibrary, type McapChannel, type McapMessage, type McapMetadata, type McapSchema } from './mcap_records';

let decompressHandlers: Promise<DecompressHandlers> | undefined;

/**
 * Opens an .mcap file. A file whose summary is missing, cut off or without chunk indexes is read
 * record by record instead (warning when the summary is damaged, silently when the file is valid
 * but unindexed). Throws naming the file when it is missing or not MCAP at all.
 */
export async function openMcapStorage(file: string, onWarning: (m: string) => void): Promise<BagStorage> {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot open MCAP file ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  try {
    decompressHandlers ??= loadDecompressHandlers();
    const handlers = await decompressHandlers;
    const indexed = await McapIndexedReader.Initialize({ readable: new FileHandleReadable(handle), decompressHandlers: handlers }).catch(
      async (err: Error) => {
        const magic = Buffer.alloc(MCAP_MAGIC.length);
        await handle.read(magic, 0, magic.length, 0);
        if (!hasMcapPrefix(new DataView(magic.buffer, magic.byteOffset, magic.byteLength)))
          throw new Error(`it does not start with the MCAP magic bytes (${err.message})`);
        // A footer without a summary is valid MCAP (the summary is optional): nothing to warn about.
        if (!/^File is not indexed/.test(err.message))
          onWarning(`MCAP file ${file}: its summary is unusable (${withoutLibrary(err.message)}); reading it record by record`);
        return undefined;
      },
    );
    if (indexed) await checkSummaryChannels(handle, indexed);
    const context = { file, handle, handlers, onWarning };
    return indexed && indexIsComplete(indexed) ? await McapStorage.indexed(context, indexed) : await McapStorage.linear(context);
  } catch (err) {
    await handle.close();
    throw new Error(`MCAP file ${file} is truncated or corrupt: ${(err as Error).message}`);
  }
}

// The indexed reader finds messages only through ChunkIndex and MessageIndex records, both
// optional in the spec: an unchunked file, a summary without ChunkIndex or chunks without
// MessageIndex are valid and must be read linearly.
function indexIsComplete(reader: McapIndexedReader): boolean {
  if (reader.chunkIndexes.length === 0) return reader.statistics?.messageCount === 0n;
  return reader.chunkIndexes.every((c) => c.messageIndexOffsets.size > 0);
}

interface McapContext {
  file: string;
  handle: FileHandle;
  handlers: DecompressHandlers;
  onWarning: (m: string) => void;
}

class McapStorage implements BagStorage {
  readonly skipped: SkipTally = { parts: 0, messages: 0 };
  readonly #context: McapContext;
  readonly #channels: ReadonlyMap<number, McapChannel>;
  readonly #schemas: ReadonlyMap<number, McapSchema>;
  /** Undefined once the file is read linearly (no usable index, or a damaged chunk met). */
  #indexed: McapIndexedReader | undefined;
  /** Damaged parts already reported, by file offset, so a second pass does not repeat them. */
  readonly #reported = new Set<number>();

  private constructor(
    context: McapContext,
    indexed: McapIndexedReader | undefined,
    channels: ReadonlyMap<number, McapChannel>,
    schemas: ReadonlyMap<number, McapSchema>,
    readonly topics: readonly StorageTopic[],
    readonly messageCount: number,
    readonly timeRange: { start: Nanos; end: Nanos } | undefined,
    readonly rosDistro: string | undefined,
  ) {
    this.#context = context;
    this.#indexed = indexed;
    this.#channels = channels;
    this.#schemas = schemas;
  }

  get file(): string {
    return this.#context.file;
  }

  static async indexed(context: McapContext, reader: McapIndexedReader): Promise<McapStorage> {
    const counts = reader.statistics?.channelMessageCounts ?? (await countByScanning(reader));
    const topics = describeTopics(reader.channelsById, reader.schemasById, counts);
    const stats = reader.statistics;
    const messageCount = topics.reduce((n, t) => n + t.count, 0);
    const timeRange =
      messageCount === 0 ? undefined : stats ? { start: stats.messageStartTime, end: stats.messageEndTime } : await scanTimeRange(reader);
    return new McapStorage(
      context,
      reader,
      reader.channelsById,
      reader.schemasById,
      topics,
      messageCount,
      timeRange,
      await readRosDistro(reader),
    );
  }

  /** One pass over the file for topics, counts and time range; damage is reported here, once. */
  static async linear(context: McapContext): Promise<McapStorage> {
    const schemas = new Map<number, McapSchema>();
    const channels = new Map<number, McapChannel>();
    const counts = new Map<number, bigint>();
    const metadata: McapMetadata[] = [];
    const damage: McapDamage[] = [];
    let range: { start: Nanos; end: Nanos } | undefined;
    const events = {
      onSchema: (s: McapSchema) => schemas.set(s.id, s),
      onChannel: (c: McapChannel) => channels.set(c.id, c),
      onMetadata: (m: McapMetadata) => metadata.push(m),
      onDamage: (d: McapDamage) => damage.push(d),
    };
    for await (const m of scanMcapLinearly(context.handle, context.handlers, events)) {
      counts.set(m.channelId, (counts.get(m.channelId) ?? 0n) + 1n);
      range = range
        ? { start: m.logTime < range.start ? m.logTime : range.start, end: m.logTime > range.end ? m.logTime : range.end }
        : { start: m.logTime, end: m.logTime };
    }
    if (channels.size === 0 && damage.length > 0)
      throw new Error(`no channel could be read (${damage[0]!.reason} at offset ${damage[0]!.offset})`);
    const topics = describeTopics(channels, schemas, counts);
    const storage = new McapStorage(
      context,
      undefined,
      channels,
      schemas,
      topics,
      topics.reduce((n, t) => n + t.count, 0),
      range,
      rosDistroOf(metadata),
    );
    for (const d of damage) storage.#report(d);
    return storage;
  }

  async *messages(query: StorageQuery): AsyncIterable<StoredMessage> {
    // What the indexed read already yielded, so a fall back to the linear read does not repeat it.
    let last: { time: Nanos; perChannel: Map<number, number> } | undefined;
    if (this.#indexed) {
      const records = this.#indexed.readMessages({
        topics: query.topics ? [...query.topics] : undefined,
        startTime: query.start,
        endTime: query.end,
        validateCrcs: true,
      });
      try {
        for await (const m of records) {
          if (last?.time !== m.logTime) last = { time: m.logTime, perChannel: new Map() };
          last.perChannel.set(m.channelId, (last.perChannel.get(m.channelId) ?? 0) + 1);
          const stored = this.#stored(m);
          if (stored) yield stored;
        }
        return;
      } catch (err) {
        this.#context.onWarning(
          `MCAP file ${this.file}: the indexed read failed (${withoutLibrary((err as Error).message)}); reading the rest record by record`,
        );
        this.#indexed = undefined;
      }
    }
    const channelIds = query.topics
      ? new Set([...this.#channels.values()].filter((c) => query.topics!.has(c.topic)).map((c) => c.id))
      : undefined;
    const events = { onDamage: (d: McapDamage) => this.#report(d) };
    for await (const m of scanMcapLinearly(this.#context.handle, this.#context.handlers, events, {
      channelIds,
      start: last?.time ?? query.start,
      end: query.end,
      schemas: this.#schemas,
      channels: this.#channels,
    })) {
      if (last && m.logTime === last.time) {
        const seen = last.perChannel.get(m.channelId) ?? 0;
        if (seen > 0) {
          last.perChannel.set(m.channelId, seen - 1);
          continue;
        }
      }
      const stored = this.#stored(m);
      if (stored) yield stored;
    }
  }

  close(): Promise<void> {
    return this.#context.handle.close();
  }

  #stored(m: McapMessage): StoredMessage | undefined {
    const channel = this.#channels.get(m.channelId);
    if (channel) return { topic: channel.topic, logTime: m.logTime, publishTime: m.publishTime, data: m.data };
    this.#context.onWarning(
      `MCAP file ${this.file}: skipped a message at log time ${m.logTime} ns on channel ${m.channelId}, which the file does not define`,
    );
    this.skipped.parts++;
    this.skipped.messages++;
    return undefined;
  }

  #report(d: McapDamage): void {
    if (this.#reported.has(d.offset)) return;
    this.#reported.add(d.offset);
    this.skipped.parts++;
    this.skipped.messages += d.lostMessages ?? 0;
    const what = [`${d.bytes} bytes`];
    if (d.timeRange) what.push(`log time ${d.timeRange.start}..${d.timeRange.end} ns`);
    if (d.topics.length > 0) what.push(`topics ${d.topics.join(', ')}`);
    if (d.lostMessages !== undefined) what.push(`${d.lostMessages} messages`);
    this.#context.onWarning(
      `MCAP file ${this.file}: skipped the damaged part at offset ${d.offset} (${what.join(', ')}): ${d.reason}; reading on`,
    );
  }
}

function describeTopics(
  channels: ReadonlyMap<number, McapChannel>,
  schemas: ReadonlyMap<number, McapSchema>,
  counts: ReadonlyMap<number, bigint>,
): StorageTopic[] {
  const topics: StorageTopic[] = [];
  for (const channel of channels.values()) {
    const schema = schemas.get(channel.schemaId);
    if (!schema) throw new Error(`channel ${channel.id} (${channel.topic}) refers to missing schema ${channel.schemaId}`);
    topics.push({
      name: channel.topic,
      type: schema.name,
      serializationFormat: channel.messageEncoding,
      count: Number(counts.get(channel.id) ?? 0n),
      offeredQos: channel.metadata.get('offered_qos_profiles'),
      schema: { encoding: schema.encoding, text: new TextDecoder().decode(schema.data) },
    });
  }
  return topics;
}

// Files written without a Statistics record (allowed by the spec) still get exact counts.
async function countByScanning(reader: McapIndexedReader): Promise<Map<number, bigint>> {
  const counts = new Map<number, bigint>();
  for await (const m of reader.readMessages()) counts.set(m.channelId, (counts.get(m.channelId) ?? 0n) + 1n);
  return counts;
}

async function scanTimeRange(reader: McapIndexedReader): Promise<{ start: Nanos; end: Nanos } | undefined> {
  let range: { start: Nanos; end: Nanos } | undefined;
  for await (const m of reader.readMessages()) {
    range = range
      ? { start: m.logTime < range.start ? m.logTime : range.start, end: m.logTime > range.end ? m.logTime : range.end }
      : { start: m.logTime, end: m.logTime };
  }
  return range;
}

// rosbag2 stores its metadata (ros_distro included) in a Metadata record named "rosbag2".
async function readRosDistro(reader: McapIndexedReader): Promise<string | undefined> {
  const records: McapMetadata[] = [];
  for await (const record of reader.readMetadata({ name: 'rosbag2' })) records.push(record);
  return rosDistroOf(records);
}

function rosDistroOf(records: readonly McapMetadata[]): string | undefined {
  for (const record of records) {
    if (record.name !== 'rosbag2') continue;
    const legacy = record.metadata.get('ROS_DISTRO');
    if (legacy) return legacy;
    const serialized = record.metadata.get('serialized_metadata');
    const distro: unknown = serialized ? (parseYaml(serialized) as { ros_distro?: unknown } | null)?.ros_distro : undefined;
    if (typeof distro === 'string' && distro !== '') return distro;
  }
  return undefined;
}
