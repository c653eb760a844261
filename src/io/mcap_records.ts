// Parsing one MCAP record, or one chunk's records, for the linear reader (mcap_linear.ts):
// @mcap/core's McapStreamReader parses them, given the schemas and channels known so far first,
// so a record parses without the records before it. A message on a channel no Channel record
// defines is passed on as read (the storage skips it, naming its log time and channel id): the
// stream reader throws on it, which inside a chunk would lose every record after it.
import { McapStreamReader, type DecompressHandlers, type TypedMcapRecord } from '@mcap/core';
import { duplicateChannelFromStreamError } from './mcap_channels';

/** MCAP opcodes of the top-level records this reader acts on. */
export const OP = {
  header: 0x01,
  footer: 0x02,
  schema: 0x03,
  channel: 0x04,
  message: 0x05,
  chunk: 0x06,
  messageIndex: 0x07,
  metadata: 0x0c,
  dataEnd: 0x0f,
} as const;
export const RECORD_HEADER = 9;

export type McapSchema = Extract<TypedMcapRecord, { type: 'Schema' }>;
export type McapChannel = Extract<TypedMcapRecord, { type: 'Channel' }>;
export type McapMessage = Extract<TypedMcapRecord, { type: 'Message' }>;
export type McapMetadata = Extract<TypedMcapRecord, { type: 'Metadata' }>;

/** @mcap/core's stream reader error for a message on an undefined channel. */
const STRAY_MESSAGE = /^Encountered message on channel \d+ without prior channel record/;
const MESSAGE_HEADER = 22; // channel id u16, sequence u32, log time u64, publish time u64

export function isStray(body: Buffer, defined: { has(id: number): boolean }): boolean {
  return body.length >= MESSAGE_HEADER && !defined.has(body.readUInt16LE(0));
}

export function messageRecord(body: Buffer): McapMessage {
  return {
    type: 'Message',
    channelId: body.readUInt16LE(0),
    sequence: body.readUInt32LE(2),
    logTime: body.readBigUInt64LE(6),
    publishTime: body.readBigUInt64LE(14),
    data: body.subarray(MESSAGE_HEADER),
  };
}

type Parsed = { records: TypedMcapRecord[]; error?: string };

// One top-level record parsed by a fresh stream reader that first sees the known schemas and
// channels (which it yields again; track() ignores known ids). A chunk whose stray message
// stopped the stream reader is parsed again record by record.
export function parseRecords(
  known: Uint8Array,
  head: Buffer,
  body: Buffer,
  decompressHandlers: DecompressHandlers,
  channels: ReadonlyMap<number, McapChannel>,
): Parsed {
  const parsed = withStreamReader(known, decompressHandlers, channels, (append) => {
    append(head);
    append(body);
  });
  return head[0] === OP.chunk && parsed.error && STRAY_MESSAGE.test(parsed.error)
    ? parseChunkByRecord(known, body, decompressHandlers, channels)
    : parsed;
}

// A chunk (already read once, so its compression and CRC are good) with a stray message: its
// records are walked one by one, each stray one passed on as read, the others parsed by the
// stream reader. Chunk layout: start and end time, uncompressed size, CRC, compression, records.
function parseChunkByRecord(
  known: Uint8Array,
  body: Buffer,
  decompressHandlers: DecompressHandlers,
  channels: ReadonlyMap<number, McapChannel>,
): Parsed {
  const compressionLength = body.readUInt32LE(28);
  const compression = body.toString('utf8', 32, 32 + compressionLength);
  const start = 32 + compressionLength + 8;
  let inner: Uint8Array = body.subarray(start, start + Number(body.readBigUInt64LE(start - 8)));
  if (compression !== '' && inner.byteLength > 0) inner = decompressHandlers[compression]!(inner, body.readBigUInt64LE(16));
  const records = Buffer.from(inner.buffer, inner.byteOffset, inner.byteLength);
  const defined = new Set(channels.keys());
  return withStreamReader(known, decompressHandlers, channels, (append, strayed) => {
    for (let at = 0; at < records.length;) {
      const end = at + RECORD_HEADER + Number(records.readBigUInt64LE(at + 1));
      if (end > records.length) throw new Error(`a record runs past the end of the chunk (${records.length - at} bytes left)`);
      const record = records.subarray(at + RECORD_HEADER, end);
      if (records[at] === OP.channel && record.length >= 2) defined.add(record.readUInt16LE(0));
      if (records[at] === OP.message && isStray(record, defined)) strayed(messageRecord(record));
      else append(records.subarray(at, end));
      at = end;
    }
  });
}

// Records yielded before an error are kept; the error is returned, except a channel id defined
// twice, which is thrown: that is not damage to skip but a file whose messages cannot be told apart.
function withStreamReader(
  known: Uint8Array,
  decompressHandlers: DecompressHandlers,
  channels: ReadonlyMap<number, McapChannel>,
  feed: (append: (bytes: Uint8Array) => void, strayed: (m: McapMessage) => void) => void,
): Parsed {
  const reader = new McapStreamReader({ noMagicPrefix: true, validateCrcs: true, decompressHandlers });
  const records: TypedMcapRecord[] = [];
  const append = (bytes: Uint8Array): void => {
    reader.append(bytes);
    for (let r; (r = reader.nextRecord());) records.push(r);
  };
  try {
    append(known);
    feed(append, (m) => records.push(m));
    return { records };
  } catch (err) {
    const error = withoutLibrary((err as Error).message);
    const duplicate = duplicateChannelFromStreamError(error, channels);
    if (duplicate) throw duplicate;
    return { records, error };
  }
}

/** @mcap/core's message without the "[library=…]" tag it appends, which names nothing for a user. */
export function withoutLibrary(message: string): string {
  return message.replace(/ \[(no header|library=[^\]]*)\]$/, '');
}
