// Conversion between .msg text and parsed message definitions.
//
// Parsing goes through @foxglove/rosmsg; what this file adds is the rosbag2 convention for
// unqualified field types (they belong to the package of the message that names them), and the
// reverse direction: .msg text for definitions that arrive already parsed
// (@foxglove/rosmsg-msgs-common), so that every known type can be written into a bag's schema.
import { parse } from '@foxglove/rosmsg';
import { shortTypeName, splitTypeName } from './type_name';

/** A parsed message definition, as @foxglove/rosmsg and the CDR reader/writer use it. */
export type MessageDefinition = ReturnType<typeof parse>[number];
export type MessageField = MessageDefinition['definitions'][number];

/** The builtin_interfaces types the CDR layer treats as primitives `time` and `duration`. */
const BUILTIN_TIME_TYPES: Readonly<Record<string, string>> = {
  time: 'builtin_interfaces/Time',
  duration: 'builtin_interfaces/Duration',
};

/**
 * Parses the .msg text of one message (no `MSG:` sections) named `type`. Complex field types are
 * returned as short names `pkg/Name`; an unqualified type resolves to `type`'s own package, as
 * rosbag2 and rosidl resolve it.
 */
export function parseMsgText(type: string, text: string): MessageDefinition {
  const { pkg } = splitTypeName(type);
  let parsed: MessageDefinition[];
  try {
    parsed = parse(text, { ros2: true, skipTypeFixup: true });
  } catch (err) {
    throw new Error(`cannot parse the .msg definition of ${type}: ${(err as Error).message}`);
  }
  if (parsed.length !== 1) {
    throw new Error(`the .msg definition of ${type} holds ${parsed.length} messages; expected exactly one`);
  }
  const definitions = parsed[0]!.definitions.map((field) =>
    field.isComplex === true ? { ...field, type: qualifyFieldType(field.type, pkg) } : field,
  );
  return { name: shortTypeName(type), definitions };
}

function qualifyFieldType(type: string, pkg: string): string {
  if (type.includes('/')) return shortTypeName(type);
  return type === 'Header' ? 'std_msgs/Header' : `${pkg}/${type}`;
}

/**
 * Short names of the message types a definition's fields refer to (builtin_interfaces included),
 * sorted and without repeats: the order in which rosbag2 appends dependencies to a schema.
 */
export function fieldDependencies(definition: MessageDefinition): string[] {
  const deps = new Set<string>();
  for (const field of definition.definitions) {
    if (field.isConstant === true) continue;
    const builtin = BUILTIN_TIME_TYPES[field.type];
    if (builtin !== undefined) deps.add(builtin);
    else if (field.isComplex === true) deps.add(field.type);
  }
  return [...deps].sort();
}

/** Renders a parsed definition back to .msg text (comments are not kept; semantics are). */
export function definitionToMsgText(definition: MessageDefinition): string {
  const lines = definition.definitions.map((field) =>
    field.isConstant === true
      ? `${field.type} ${field.name}=${field.valueText ?? String(field.value)}`
      : `${fieldTypeText(field)} ${field.name}${field.defaultValue === undefined ? '' : ` ${formatDefault(field.defaultValue)}`}`,
  );
  return lines.join('\n') + '\n';
}

function fieldTypeText(field: MessageField): string {
  let base = BUILTIN_TIME_TYPES[field.type] ?? field.type;
  if (field.upperBound !== undefined) base += `<=${field.upperBound}`;
  if (field.isArray !== true) return base;
  if (field.arrayLength !== undefined) return `${base}[${field.arrayLength}]`;
  if (field.arrayUpperBound !== undefined) return `${base}[<=${field.arrayUpperBound}]`;
  return `${base}[]`;
}

function formatDefault(value: NonNullable<MessageField['defaultValue']>): string {
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
