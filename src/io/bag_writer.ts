// Writing rosbag2 MCAP bags that `ros2 bag info` and `ros2 bag play` (Jazzy) accept, following
// rosbag2_storage_mcap: profile "ros2", one ros2msg Schema per type named `pkg/msg/Name`, one
// cdr Channel per topic with `offered_qos_profiles` and `topic_type_hash` metadata, a "rosbag2"
// Metadata record, and a version-9 metadata.yaml beside `<bagname>_0.mcap`.
//
// Output is a pure function of the calls made: no wall-clock time, host name or random id is
// written anywhere, so the same messages give byte-identical bags (golden-file regressions).
import { McapWriter } from '@mcap/core';
import { FileHandleWritable } from '@mcap/nodejs';
import * as zstd from '@foxglove/wasm-zstd';
import * as fs from 'fs';
import { open, type FileHandle } from 'fs/promises';
import * as path from 'path';
import { encodeMessage } from '../msgs/codec';
import { ros2msgSchema } from '../msgs/definitions';
import type { Nanos } from '../msgs/time';
import { fullTypeName } from '../msgs/type_name';
import { stringify as stringifyYaml } from 'yaml';
import {
  bagMetadataNode,
  bagMetadataYaml,
  qosProfilesYaml,
  METADATA_FILE,
  YAML_OPTIONS,
  type QosProfile,
  type WrittenTopic,
} from './bag_metadata';

export interface McapBagWriterOptions {
  /** Uncompressed bytes per chunk. */
  chunkSize?: number;
  /** Chunk compression. */
  compression?: 'none' | 'zstd';
  /** ROS distribution recorded in the metadata. */
  rosDistro?: string;
  /**
   * Closes the open chunk once it spans this much log time (with the first message past it), so
   * a killed process or a full disk loses at most about this much of the bag. Default: size only.
   */
  flushEveryNs?: Nanos;
  /**
   * History depth of the keep-last QoS recorded as every topic's offered profile (not /tf_static,
   * which is latched with depth 1). Default 10, rclcpp's default; a replay's output bag records
   * what the node's publishers offer.
   */
  historyDepth?: number;
}

/**
 * McapWriter closes its open chunk after a message when the chunk's size exceeds chunkSize,
 * compared on every message; it has no public way to close a chunk early. This limit reads as
 * the configured size, or as -1 (always exceeded) for the message that must close the chunk.
 */
class ChunkLimit {
  closeNow = false;
  constructor(readonly bytes: number) {}
  valueOf(): number {
    return this.closeNow ? -1 : this.bytes;
  }
}

/** What a failed write means for a user, from the file system's error code. */
function writeFailure(file: string, err: NodeJS.ErrnoException): Error {
  const why: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EFBIG: 'the file grew past the size limit',
    EDQUOT: 'the disk quota is exceeded',
    EIO: 'an input/output error',
  };
  return new Error(`cannot write ${file}: ${why[err.code ?? ''] ?? err.message}${err.code ? ` (${err.code})` : ''}`);
}

const UNSPECIFIED = { sec: 0, nsec: 0 };

/** rclcpp's default publisher QoS (depth 10, reliable, volatile), what a recorded driver usually offers. */
const DEFAULT_QOS: QosProfile = {
  history: 'keep_last',
  depth: 10,
  reliability: 'reliable',
  durability: 'volatile',
  deadline: UNSPECIFIED,
  lifespan: UNSPECIFIED,
  liveliness: 'system_default',
  liveliness_lease_duration: UNSPECIFIED,
  avoid_ros_namespace_conventions: false,
};

/** Static transforms are latched: playback must offer them transient-local so late joiners get them. */
function qosFor(topic: string, depth: number): QosProfile {
  return topic === '/tf_static' ? { ...DEFAULT_QOS, depth: 1, durability: 'transient_local' } : { ...DEFAULT_QOS, depth };
}

interface TopicState extends WrittenTopic {
  channelId: number;
}

/**
 * A rosbag2 MCAP bag being written. Calls may be issued without awaiting each other: they are
 * queued and applied in call order. After close() resolves, no other method may be called.
 */
export class McapBagWriter {
  readonly #bagDir: string;
  readonly #file: string;
  readonly #handle: FileHandle;
  readonly #mcap: McapWriter;
  readonly #rosDistro: string;
  readonly #limit: ChunkLimit;
  readonly #flushEveryNs: Nanos | undefined;
  readonly #historyDepth: number;
  /** Log time of the first message of the open chunk. */
  #chunkStart: Nanos | undefined;
  /** The first failed write: every later call fails with it, and close() leaves the file as it is. */
  #failed: Error | undefined;
  readonly #topics = new Map<string, TopicState>();
  readonly #schemaIds = new Map<string, number>();
  #queue: Promise<void> = Promise.resolve();
  #start: Nanos | undefined;
  #end: Nanos | undefined;
  #count = 0;
  #closed = false;

  private constructor(
    bagDir: string,
    file: string,
    handle: FileHandle,
    mcap: McapWriter,
    limit: ChunkLimit,
    opts: { rosDistro: string; flushEveryNs: Nanos | undefined; historyDepth: number },
  ) {
    this.#bagDir = bagDir;
    this.#file = file;
    this.#handle = handle;
    this.#mcap = mcap;
    this.#limit = limit;
    this.#rosDistro = opts.rosDistro;
    this.#flushEveryNs = opts.flushEveryNs;
    this.#historyDepth = opts.historyDepth;
  }

  /**
   * Creates `bagDir` (which must not exist, or be empty) and starts `<basename>_0.mcap` in it.
   * Defaults: 1 MiB chunks, zstd compression, ros_distro "jazzy".
   */
  static async create(bagDir: string, opts: McapBagWriterOptions = {}): Promise<McapBagWriter> {
    const { chunkSize = 1024 * 1024, compression = 'zstd', rosDistro = 'jazzy', flushEveryNs, historyDepth = DEFAULT_QOS.depth } = opts;
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
      throw new Error(`McapBagWriter.create: chunkSize ${chunkSize} is invalid; expected a positive integer byte count`);
    }
    if (!Number.isInteger(historyDepth) || historyDepth < 1)
      throw new Error(`McapBagWriter.create: historyDepth ${historyDepth} is invalid; expected a positive integer`);
    if (flushEveryNs !== undefined && flushEveryNs < 0n)
      throw new Error(`McapBagWriter.create: flushEveryNs ${flushEveryNs} is invalid; expected >= 0`);
    if (fs.existsSync(bagDir) && fs.readdirSync(bagDir).length > 0) {
      throw new Error(`output bag ${bagDir} already exists and is not empty; expected a new or empty folder`);
    }
    fs.mkdirSync(bagDir, { recursive: true });
    const file = `${path.basename(path.resolve(bagDir))}_0.mcap`;
    if (compression === 'zstd') await zstd.isLoaded;
    const handle = await open(path.join(bagDir, file), 'w');
    const limit = new ChunkLimit(chunkSize);
    const mcap = new McapWriter({
      writable: new FileHandleWritable(handle),
      chunkSize: limit as unknown as number,
      compressChunk: compression === 'zstd' ? (data) => ({ compression: 'zstd', compressedData: zstd.compress(data) }) : undefined,
    });
    await mcap.start({ profile: 'ros2', library: 'dx_perception' });
    return new McapBagWriter(bagDir, file, handle, mcap, limit, { rosDistro, flushEveryNs, historyDepth });
  }

  /** CDR-encodes `msg` as `type` and writes it on `topic` at `logTime` (also its publish time). */
  write(topic: string, type: string, logTime: Nanos, msg: unknown): Promise<void> {
    return this.writeSerialized(topic, type, logTime, encodeMessage(type, msg));
  }

  /**
   * Writes already-serialized CDR bytes. A topic's type is fixed by its first message; a later
   * message with another type is refused, naming both.
   */
  writeSerialized(topic: string, type: string, logTime: Nanos, data: Uint8Array): Promise<void> {
    return this.#enqueue(async () => {
      const state = await this.#topic(topic, fullTypeName(type));
      this.#chunkStart ??= logTime;
      this.#limit.closeNow = this.#flushEveryNs !== undefined && logTime - this.#chunkStart >= this.#flushEveryNs;
      const chunks = this.#mcap.statistics?.chunkCount;
      try {
        await this.#mcap.addMessage({ channelId: state.channelId, sequence: 0, logTime, publishTime: logTime, data });
      } finally {
        this.#limit.closeNow = false;
      }
      if (this.#mcap.statistics?.chunkCount !== chunks) this.#chunkStart = undefined;
      state.count++;
      this.#count++;
      if (this.#start === undefined || logTime < this.#start) this.#start = logTime;
      if (this.#end === undefined || logTime > this.#end) this.#end = logTime;
    });
  }

  /**
   * Finishes the MCAP file (summary, statistics, rosbag2 metadata record) and writes metadata.yaml.
   * After a failed write it only closes the file, which then holds every chunk written before the
   * failure (readable record by record), and rejects with that failure.
   */
  close(): Promise<void> {
    if (this.#failed) {
      const failed = this.#failed;
      this.#closed = true;
      return this.#queue.then(() => this.#handle.close()).then(() => Promise.reject(failed));
    }
    const done = this.#enqueue(async () => {
      const start = this.#start ?? 0n;
      const bag = {
        file: this.#file,
        topics: [...this.#topics.values()].map(({ name, type, qos, count }) => ({ name, type, qos, count })),
        messageCount: this.#count,
        start,
        duration: (this.#end ?? start) - start,
        rosDistro: this.#rosDistro,
      };
      await this.#mcap.addMetadata({
        name: 'rosbag2',
        metadata: new Map([['serialized_metadata', stringifyYaml(bagMetadataNode(bag), YAML_OPTIONS)]]),
      });
      await this.#mcap.end();
      await this.#handle.close();
      fs.writeFileSync(path.join(this.#bagDir, METADATA_FILE), bagMetadataYaml(bag));
    });
    this.#closed = true;
    return done;
  }

  #enqueue(op: () => Promise<void>): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`McapBagWriter: bag ${this.#bagDir} is already closed`));
    const next = this.#queue.then(() => {
      if (this.#failed) throw this.#failed;
      return op().catch((err: NodeJS.ErrnoException) => {
        // A file system error leaves the file as far as it got; a refused message (a type clash) does not.
        if (typeof err.code === 'string') throw (this.#failed = writeFailure(path.join(this.#bagDir, this.#file), err));
        throw err;
      });
    });
    // A failed call rejects its own promise; later calls still run.
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #topic(name: string, type: string): Promise<TopicState> {
    const known = this.#topics.get(name);
    if (known) {
      if (known.type !== type) throw new Error(`McapBagWriter: topic ${name} has type ${known.type}; cannot write a ${type} on it`);
      return known;
    }
    let schemaId = this.#schemaIds.get(type);
    if (schemaId === undefined) {
      schemaId = await this.#mcap.registerSchema({ name: type, encoding: 'ros2msg', data: new TextEncoder().encode(ros2msgSchema(type)) });
      this.#schemaIds.set(type, schemaId);
    }
    const qos = qosFor(name, this.#historyDepth);
    const channelId = await this.#mcap.registerChannel({
      topic: name,
      schemaId,
      messageEncoding: 'cdr',
      metadata: new Map([
        ['offered_qos_profiles', qosProfilesYaml([qos])],
        ['topic_type_hash', ''],
      ]),
    });
    const state = { name, type, qos, count: 0, channelId };
    this.#topics.set(name, state);
    return state;
  }
}
