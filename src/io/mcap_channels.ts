// Two Channel records with one id and different topics: every message of that id would be read
// as one of the two topics, feeding one camera's images to another without a word. Both readers
// refuse such a file naming both topics: the indexed one by reading the summary's Channel records
// (McapIndexedReader keeps the last one it sees), the linear one when @mcap/core's stream reader
// meets the second record.
import type { FileHandle } from 'fs/promises';
import type { McapIndexedReader } from '@mcap/core';

const CHANNEL_OP = 0x04;
const RECORD_HEADER = 9;

/** The refusal for channel `id` defined as `first` and then as `second`. */
export function duplicateChannelError(id: number, first: string, second: string): Error {
  return new Error(
    `channel id ${id} is defined twice, for topic ${first} and for topic ${second}; its messages cannot be told apart, so the file is refused (rewrite it with distinct channel ids)`,
  );
}

/** The refusal for @mcap/core's "Channel record for id N ... differs" error, or undefined for another error. */
export function duplicateChannelFromStreamError(message: string, channels: ReadonlyMap<number, { topic: string }>): Error | undefined {
  const m = /^Channel record for id (\d+) \(topic: (.*)\) differs from previous channel record/.exec(message);
  if (!m) return undefined;
  const id = Number(m[1]);
  return duplicateChannelError(id, channels.get(id)?.topic ?? '(unknown)', m[2]!);
}

/** Throws when the summary section defines one channel id for two topics. */
export async function checkSummaryChannels(handle: FileHandle, reader: McapIndexedReader): Promise<void> {
  const { summaryStart, summaryOffsetStart } = reader.footer;
  if (summaryStart === 0n) return;
  const end = summaryOffsetStart !== 0n ? summaryOffsetStart : BigInt((await handle.stat()).size) - 37n; // footer record + magic
  const bytes = Buffer.alloc(Math.max(0, Number(end - summaryStart)));
  await handle.read(bytes, 0, bytes.length, Number(summaryStart));
  const topics = new Map<number, string>();
  for (let at = 0; at + RECORD_HEADER <= bytes.length;) {
    const length = Number(bytes.readBigUInt64LE(at + 1));
    if (bytes[at] === CHANNEL_OP && at + RECORD_HEADER + 8 <= bytes.length) {
      const id = bytes.readUInt16LE(at + RECORD_HEADER);
      const topicLength = bytes.readUInt32LE(at + RECORD_HEADER + 4);
      const topic = bytes.toString('utf8', at + RECORD_HEADER + 8, at + RECORD_HEADER + 8 + topicLength);
      const first = topics.get(id);
      if (first !== undefined && first !== topic) throw duplicateChannelError(id, first, topic);
      topics.set(id, topic);
    }
    at += RECORD_HEADER + length;
  }
}
