// Reading an MCAP file front to back, record by record, for files whose summary is missing or
// wrong (a truncated file, an interrupted `ros2 bag record`, a summary without ChunkIndex) and
// for files whose indexed read hit a damaged chunk. Each top-level record is read and parsed on
// its own by @mcap/core's McapStreamReader, so one damaged chunk (bad CRC, unknown or corrupt
// compression, a bad record) is skipped with a warning naming its offset, time range and
// topics, and reading goes on with the next. Memory holds one record at a time.
import { McapRecordBuilder, type DecompressHandlers, type TypedMcapRecord } from '@mcap/core';
import type { FileHandle } from 'fs/promises';
import type { Nanos } from '../msgs/time';
import {
  isStray,
  messageRecord,
  OP,
  parseRecords,
  RECORD_HEADER,
  type McapChannel,
  type McapMessage,
  type McapMetadata,
  type McapSchema,
} from './mcap_records';

const MAGIC_LENGTH = 8;

/** What a linear read reports besides messages. */
export interface LinearScanEvents {
  onSchema?: (s: McapSchema) => void;
  onChannel?: (c: McapChannel) => void;
  onMetadata?: (m: McapMetadata) => void;
  /** A damaged part of the file that was skipped, as one line naming it. */
  onDamage: (damage: McapDamage) => void;
}

/** One skipped part of a file: a chunk or record, or the unreadable tail. */
export interface McapDamage {
  offset: number;
  bytes: number;
  /** Messages the file's MessageIndex records say were in it and that were not read. */
  lostMessages?: number;
  /** Topics of the lost messages, when the file's MessageIndex records name them. */
  topics: string[];
  timeRange?: { start: Nanos; end: Nanos };
  reason: string;
}

/** Only messages inside these bounds are parsed; chunks outside them are not decompressed. */
export interface LinearFilter {
  channelIds?: ReadonlySet<number>;
  start?: Nanos;
  end?: Nanos;
  /** Definitions already known (from the summary or an earlier pass), so skipped chunks may hold them. */
  schemas?: ReadonlyMap<number, McapSchema>;
  channels?: ReadonlyMap<number, McapChannel>;
}

/**
 * Every readable message of the file in file order. Schema and Channel records are tracked as
 * they appear (inside chunks too), so a chunk's messages parse without the chunks before it.
 */
export async function* scanMcapLinearly(
  handle: FileHandle,
  decompressHandlers: DecompressHandlers,
  events: LinearScanEvents,
  filter: LinearFilter = {},
): AsyncGenerator<McapMessage> {
  const size = (await handle.stat()).size;
  const schemas = new Map(filter.schemas);
  const channels = new Map(filter.channels);
  let prefix: Uint8Array | undefined;
  // A damaged chunk's MessageIndex records follow it; they name its topics and message count.
  let pending: McapDamage | undefined;
  const settle = (): void => {
    if (pending) events.onDamage(pending);
    pending = undefined;
  };
  const track = (r: TypedMcapRecord): void => {
    if (r.type === 'Schema' && !schemas.has(r.id)) {
      schemas.set(r.id, r);
      prefix = undefined;
      events.onSchema?.(r);
    } else if (r.type === 'Channel' && !channels.has(r.id)) {
      channels.set(r.id, r);
      prefix = undefined;
      events.onChannel?.(r);
    }
  };
  // The schemas and channels seen so far, as records a fresh stream reader is given first.
  const knownRecords = (): Uint8Array => {
    if (!prefix) {
      const b = new McapRecordBuilder();
      for (const s of schemas.values()) b.writeSchema(s);
      for (const c of channels.values()) b.writeChannel(c);
      prefix = b.buffer.slice();
    }
    return prefix;
  };
  // A message on an undefined channel may belong to any topic: it passes the topic filter, so
  // that the storage names it whatever was asked for.
  const wanted = (m: McapMessage): boolean =>
    (!filter.channelIds || filter.channelIds.has(m.channelId) || !channels.has(m.channelId)) &&
    (filter.start === undefined || m.logTime >= filter.start) &&
    (filter.end === undefined || m.logTime <= filter.end);

  let offset = MAGIC_LENGTH;
  const head = Buffer.alloc(RECORD_HEADER);
  for (;;) {
    if (offset + RECORD_HEADER > size) {
      settle();
      if (offset < size) events.onDamage({ offset, bytes: size - offset, topics: [], reason: 'the file ends inside a record (truncated)' });
      return;
    }
    await handle.read(head, 0, RECORD_HEADER, offset);
    const op = head[0]!;
    const length = head.readBigUInt64LE(1);
    if (BigInt(offset + RECORD_HEADER) + length > BigInt(size)) {
      settle();
      const reason =
        op === OP.chunk || op === OP.message
          ? 'the file ends inside this record (truncated)'
          : `a record (opcode 0x${op.toString(16)}) runs past the end of the file; the file is truncated or its framing is corrupt`;
      events.onDamage({ offset, bytes: size - offset, topics: [], reason });
      return;
    }
    const body = Buffer.alloc(Number(length));
    await handle.read(body, 0, body.length, offset + RECORD_HEADER);
    const recordOffset = offset;
    offset += RECORD_HEADER + body.length;
    if (op === OP.messageIndex) {
      if (pending && body.length >= 6) {
        const channel = channels.get(body.readUInt16LE(0));
        if (channel && !pending.topics.includes(channel.topic)) pending.topics.push(channel.topic);
        pending.lostMessages = (pending.lostMessages ?? 0) + Math.floor(body.readUInt32LE(2) / 16);
      }
      continue;
    }
    settle();
    if (op === OP.footer || op === OP.dataEnd) return;
    if (op === OP.chunk && body.length >= 16) {
      const timeRange = { start: body.readBigUInt64LE(0), end: body.readBigUInt64LE(8) };
      if ((filter.start !== undefined && timeRange.end < filter.start) || (filter.end !== undefined && timeRange.start > filter.end)) {
        continue;
      }
      const parsed = parseRecords(knownRecords(), head, body, decompressHandlers, channels);
      for (const r of parsed.records) {
        track(r);
        if (r.type === 'Message' && wanted(r)) yield r;
      }
      if (parsed.error) pending = { offset: recordOffset, bytes: RECORD_HEADER + body.length, topics: [], timeRange, reason: parsed.error };
      continue;
    }
    if (op !== OP.schema && op !== OP.channel && op !== OP.message && op !== OP.metadata) continue;
    if (op === OP.message && isStray(body, channels)) {
      const m = messageRecord(body);
      if (wanted(m)) yield m;
      continue;
    }
    const parsed = parseRecords(knownRecords(), head, body, decompressHandlers, channels);
    for (const r of parsed.records) {
      track(r);
      if (r.type === 'Message' && wanted(r)) yield r;
      else if (r.type === 'Metadata') events.onMetadata?.(r);
    }
    if (parsed.error) events.onDamage({ offset: recordOffset, bytes: RECORD_HEADER + body.length, topics: [], reason: parsed.error });
  }
}
