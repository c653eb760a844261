// ROS 2 message type names come in two spellings: `pkg/msg/Name` (topic metadata, rclnodejs,
// MCAP schema names) and `pkg/Name` (field types inside .msg text, `MSG:` schema headers). The
// registry keys on the short form; every public API accepts both and reports the full form.

const TYPE_NAME = /^([A-Za-z][A-Za-z0-9_]*)\/(?:msg\/)?([A-Za-z][A-Za-z0-9_]*)$/;

/** Splits a message type name into package and message name; throws on anything else. */
export function splitTypeName(type: string): { pkg: string; name: string } {
  const m = TYPE_NAME.exec(type);
  if (!m) {
    throw new Error(`message type "${type}" is not a ROS message type name; expected "pkg/msg/Name" or "pkg/Name"`);
  }
  return { pkg: m[1]!, name: m[2]! };
}

/** `pkg/msg/Name` or `pkg/Name` -> `pkg/Name`. */
export function shortTypeName(type: string): string {
  const { pkg, name } = splitTypeName(type);
  return `${pkg}/${name}`;
}

/** `pkg/msg/Name` or `pkg/Name` -> `pkg/msg/Name`. */
export function fullTypeName(type: string): string {
  const { pkg, name } = splitTypeName(type);
  return `${pkg}/msg/${name}`;
}
