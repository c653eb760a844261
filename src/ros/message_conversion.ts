// Conversion between rclnodejs message objects and the core's message shapes (src/msgs/types.ts).
//
// Both sides use the ROS field names, so the work is small but exact:
// - inbound, uint8[] image data must reach the core as a Uint8Array without a copy. rclnodejs
//   hands typed arrays to subscriptions created with `enableTypedArray: true` (its default), so
//   the data is passed through by reference; only a plain number[] (a subscription created
//   with serializationMode 'plain') is copied, once. Sizes are checked, stamps validated.
// - outbound, rclnodejs refuses a JS number in an int64/uint64 field (it wants bigint), so each
//   output is conformed to its message definition; objects are copied only along paths where a
//   value changes, so large typed arrays (clouds, depth images) are never copied.
//
// No rclnodejs import at run time: only its message typings, so these functions are tested
// without ROS.
import type { sensor_msgs, tf2_msgs } from 'rclnodejs';
import { definitionsFor } from '../msgs/definitions';
import type { MessageDefinition, MessageField } from '../msgs/msg_text';
import { timeToNanos, type Nanos } from '../msgs/time';
import { shortTypeName } from '../msgs/type_name';
import type { CameraInfo, CompressedImage, Header, Image, TFMessage } from '../msgs/types';

/** Bytes of a uint8[] field as rclnodejs delivers it; a Buffer is a Uint8Array too. */
function bytesOf(what: string, data: number[] | Uint8Array): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (!Array.isArray(data)) throw new TypeError(`${what}: data is ${typeof data}; expected a Uint8Array or number[]`);
  return Uint8Array.from(data);
}

function headerOf(what: string, header: { stamp: { sec: number; nanosec: number }; frame_id: string }): Header {
  timeToNanos(header.stamp); // throws, naming the bad stamp, before it reaches the synchroniser
  if (typeof header.frame_id !== 'string') throw new TypeError(`${what}: header.frame_id is not a string`);
  return { stamp: header.stamp, frame_id: header.frame_id };
}

/**
 * A received sensor_msgs/Image -> the core's Image. `data` is the same buffer rclnodejs
 * delivered (no copy) when it is a typed array. Throws when the buffer is smaller than
 * step * height, naming `camera`.
 */
export function imageFromRos(camera: string, msg: sensor_msgs.msg.Image): Image {
  const what = `Image from camera "${camera}"`;
  const data = bytesOf(what, msg.data);
  if (msg.step < msg.width || data.length < msg.step * msg.height) {
    throw new RangeError(
      `${what}: ${msg.width}x${msg.height} ${msg.encoding} with step ${msg.step} needs ${msg.step * msg.height} bytes ` +
        `and step >= width; got ${data.length} bytes`,
    );
  }
  return {
    header: headerOf(what, msg.header),
    height: msg.height,
    width: msg.width,
    encoding: msg.encoding,
    is_bigendian: msg.is_bigendian,
    step: msg.step,
    data,
  };
}

/** A received sensor_msgs/CompressedImage -> the core's CompressedImage, data not copied. */
export function compressedImageFromRos(camera: string, msg: sensor_msgs.msg.CompressedImage): CompressedImage {
  const what = `CompressedImage from camera "${camera}"`;
  const data = bytesOf(what, msg.data);
  if (data.length === 0) throw new RangeError(`${what}: data is empty; expected ${msg.format || 'jpeg/png'} bytes`);
  return { header: headerOf(what, msg.header), format: msg.format, data };
}

/** A received sensor_msgs/CameraInfo -> the core's CameraInfo (arrays passed by reference). */
export function cameraInfoFromRos(camera: string, msg: sensor_msgs.msg.CameraInfo): CameraInfo {
  const what = `CameraInfo from camera "${camera}"`;
  for (const [field, n] of [
    ['k', 9],
    ['r', 9],
    ['p', 12],
  ] as const) {
    if (msg[field].length !== n) throw new RangeError(`${what}: ${field} has ${msg[field].length} values; expected ${n}`);
  }
  return {
    header: headerOf(what, msg.header),
    height: msg.height,
    width: msg.width,
    distortion_model: msg.distortion_model,
    d: msg.d,
    k: msg.k,
    r: msg.r,
    p: msg.p,
    binning_x: msg.binning_x,
    binning_y: msg.binning_y,
    roi: msg.roi,
  };
}

/** A received tf2_msgs/TFMessage -> the core's TFMessage. Throws on a transform with a bad stamp. */
export function tfMessageFromRos(msg: tf2_msgs.msg.TFMessage): TFMessage {
  return {
    transforms: msg.transforms.map((t) => ({
      header: headerOf(`transform ${t.header.frame_id} -> ${t.child_frame_id}`, t.header),
      child_frame_id: t.child_frame_id,
      transform: t.transform,
    })),
  };
}

/** builtin_interfaces/Time of a header -> integer nanoseconds. */
export function stampNanos(header: { stamp: { sec: number; nanosec: number } }): Nanos {
  return timeToNanos(header.stamp);
}

const INT64_TYPES = new Set(['int64', 'uint64']);

/** Turns a core message into the object rclnodejs publishes for one message type. */
export type MessageConformer = (msg: unknown) => unknown;

/**
 * A conformer for `type` (`pkg/msg/Name`): int64/uint64 fields given as JS integers become
 * bigint; everything else is passed through by reference. Throws, naming the type, when no
 * definition of `type` is known. The conformer throws, naming the field path, on a non-integer
 * in a 64-bit integer field or a missing nested message.
 */
export function conformerFor(type: string): MessageConformer {
  const defs = new Map<string, MessageDefinition>();
  for (const d of definitionsFor(type)) defs.set(d.name!, d);
  const rootName = shortTypeName(type);
  const needsWork = new Map<string, boolean>();
  // Only messages that contain a 64-bit integer somewhere need walking at all.
  const hasInt64 = (name: string): boolean => {
    const known = needsWork.get(name);
    if (known !== undefined) return known;
    needsWork.set(name, false); // cycles cannot occur in ROS messages; this guards anyway
    const result = defs
      .get(name)!
      .definitions.some((f) => f.isConstant !== true && (INT64_TYPES.has(f.type) || (f.isComplex === true && hasInt64(f.type))));
    needsWork.set(name, result);
    return result;
  };
  const conform = (name: string, value: unknown, path: string): unknown => {
    if (!hasInt64(name)) return value;
    if (value === null || typeof value !== 'object') {
      throw new TypeError(`${type}: ${path || 'message'} is ${String(value)}; expected a ${name} object`);
    }
    const obj = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const field of defs.get(name)!.definitions) {
      if (field.isConstant === true) continue;
      const before = obj[field.name];
      const after = conformField(field, before, path ? `${path}.${field.name}` : field.name);
      if (after !== before) {
        out ??= { ...obj };
        out[field.name] = after;
      }
    }
    return out ?? obj;
  };
  const conformField = (field: MessageField, value: unknown, path: string): unknown => {
    if (field.isComplex === true) {
      if (field.isArray !== true) return conform(field.type, value, path);
      if (!Array.isArray(value)) throw new TypeError(`${type}: ${path} is ${typeof value}; expected an array of ${field.type}`);
      let changed = false;
      const items = value.map((v, i) => {
        const c = conform(field.type, v, `${path}[${i}]`);
        changed ||= c !== v;
        return c;
      });
      return changed ? items : value;
    }
    if (!INT64_TYPES.has(field.type)) return value;
    if (field.isArray === true) {
      if (value instanceof BigInt64Array || value instanceof BigUint64Array) return value;
      if (!Array.isArray(value)) throw new TypeError(`${type}: ${path} is ${typeof value}; expected an array of ${field.type}`);
      return value.some((v) => typeof v !== 'bigint') ? value.map((v, i) => toBigInt(v, `${path}[${i}]`, field.type)) : value;
    }
    return toBigInt(value, path, field.type);
  };
  const toBigInt = (v: unknown, path: string, fieldType: string): bigint => {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
    throw new TypeError(`${type}: ${path} = ${String(v)}; expected an integer for ${fieldType}`);
  };
  return (msg) => conform(rootName, msg, '');
}
