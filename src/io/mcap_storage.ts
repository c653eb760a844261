// Reading one rosbag2 MCAP file through @mcap/core's indexed reader: random access by chunk
// index, so a time or topic filter touches only the chunks it needs and memory stays bounded by
// the chunk size, not the file size.
import { McapIndexedReader, type DecompressHandlers } from '@mcap/core';
import { FileHandleReadable } from '@mcap/nodejs';
import { loadDecompressHandlers } from '@mcap/support';
import { open } from 'fs/promises';
import { parse as parseYaml } from 'yaml';
import type { Nanos } from '../msgs/time';
import type { BagStorage, StorageQuery, StorageTopic, StoredMessage } from './bag_storage';

let decompressHandlers: Promise<DecompressHandlers> | undefined;

/** Opens an .mcap file. Throws naming the file when it is missing, truncated or not MCAP. */
export async function openMcapStorage(file: string): Promise<BagStorage> {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot open MCAP file ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  try {
    decompressHandlers ??= loadDecompressHandlers();
    const reader = await McapIndexedReader.Initialize({
      readable: new FileHandleReadable(handle),
      decompressHandlers: await decompressHandlers,
    });
    return await McapStorage.create(file, reader, () => handle.close());
  } catch (err) {
    await handle.close();
    throw new Error(`MCAP file ${file} is truncated or corrupt: ${(err as Error).message}`);
  }
}

class McapStorage implements BagStorage {
  readonly #reader: McapIndexedReader;
  readonly #close: () => Promise<void>;

  private constructor(
    readonly file: string,
    reader: McapIndexedReader,
    close: () => Promise<void>,
    readonly topics: readonly StorageTopic[],
    readonly messageCount: number,
    readonly timeRange: { start: Nanos; end: Nanos } | undefined,
    readonly rosDistro: string | undefined,
  ) {
    this.#reader = reader;
    this.#close = close;
  }

  static async create(file: string, reader: McapIndexedReader, close: () => Promise<void>): Promise<McapStorage> {
    const counts = reader.statistics?.channelMessageCounts ?? (await countByScanning(reader));
    const topics: StorageTopic[] = [];
    for (const channel of reader.channelsById.values()) {
      const schema = reader.schemasById.get(channel.schemaId);
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
    const stats = reader.statistics;
    const messageCount = topics.reduce((n, t) => n + t.count, 0);
    const timeRange =
      messageCount === 0
        ? undefined
        : stats
          ? { start: stats.messageStartTime, end: stats.messageEndTime }
          : await scanTimeRange(reader);
    return new McapStorage(file, reader, close, topics, messageCount, timeRange, await readRosDistro(reader));
  }

  async *messages(query: StorageQuery): AsyncIterable<StoredMessage> {
    const topics = query.topics ? [...query.topics] : undefined;
    const records = this.#reader.readMessages({ topics, startTime: query.start, endTime: query.end, validateCrcs: true });
    try {
      for await (const m of records) {
        const channel = this.#reader.channelsById.get(m.channelId)!;
        yield { topic: channel.topic, logTime: m.logTime, publishTime: m.publishTime, data: m.data };
      }
    } catch (err) {
      throw new Error(`MCAP file ${this.file} is truncated or corrupt: ${(err as Error).message}`);
    }
  }

  close(): Promise<void> {
    return this.#close();
  }
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
  for await (const record of reader.readMetadata({ name: 'rosbag2' })) {
    const legacy = record.metadata.get('ROS_DISTRO');
    if (legacy) return legacy;
    const serialized = record.metadata.get('serialized_metadata');
    const distro: unknown = serialized ? (parseYaml(serialized) as { ros_distro?: unknown } | null)?.ros_distro : undefined;
    if (typeof distro === 'string' && distro !== '') return distro;
  }
  return undefined;
}
