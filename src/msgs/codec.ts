// CDR encode/decode of ROS 2 messages by type name, on top of @foxglove/rosmsg2-serialization.
// Readers and writers are built once per type and cached: building one walks the whole
// definition tree, which costs far more than encoding a small message.
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';
import { definitionsFor } from './definitions';
import { fullTypeName, shortTypeName } from './type_name';

const readers = new Map<string, MessageReader>();
const writers = new Map<string, MessageWriter>();

function readerFor(type: string): MessageReader {
  const key = shortTypeName(type);
  let reader = readers.get(key);
  if (!reader) {
    reader = new MessageReader(definitionsFor(key));
    readers.set(key, reader);
  }
  return reader;
}

function writerFor(type: string): MessageWriter {
  const key = shortTypeName(type);
  let writer = writers.get(key);
  if (!writer) {
    writer = new MessageWriter(definitionsFor(key));
    writers.set(key, writer);
  }
  return writer;
}

/**
 * Serializes `msg` (a plain object with ROS field names) as CDR (little-endian, with the 4-byte
 * encapsulation header), as rosbag2 and DDS carry it. Throws naming the type when the type is
 * unknown or the value does not fit its definition.
 */
export function encodeMessage(type: string, msg: unknown): Uint8Array {
  const writer = writerFor(type);
  try {
    return writer.writeMessage(msg);
  } catch (err) {
    throw new Error(`encodeMessage: cannot encode a ${fullTypeName(type)}: ${(err as Error).message}`);
  }
}

/**
 * Deserializes CDR bytes as `type`. Primitive arrays come back as typed arrays (uint8[] as
 * Uint8Array, float64[] as Float64Array, ...), 64-bit integers as bigint, times as
 * `{ sec, nanosec }`. Throws naming the type and the byte count when the bytes do not hold one.
 */
export function decodeMessage<T = unknown>(type: string, data: Uint8Array): T {
  const reader = readerFor(type);
  try {
    return reader.readMessage<T>(data);
  } catch (err) {
    throw new Error(`decodeMessage: cannot decode ${data.byteLength} bytes as ${fullTypeName(type)}: ${(err as Error).message}`);
  }
}
