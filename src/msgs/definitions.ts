// The registry of message definitions the codec knows: ROS 2 Jazzy's common interfaces
// (@foxglove/rosmsg-msgs-common), vision_msgs 4.x, this package's msg/ files, and any type a bag
// brings along in its embedded ros2msg schema.
//
// Built-in definitions win over a bag's schema for the same name: they are the types this node
// publishes, and some bags (the rosbag2 .db3 fixtures among them) carry placeholder definitions.
import { ros2jazzy } from '@foxglove/rosmsg-msgs-common';
import { definitionToMsgText, fieldDependencies, parseMsgText, type MessageDefinition } from './msg_text';
import { readPackageMessages } from './package_msgs';
import { fullTypeName, shortTypeName } from './type_name';
import { VISION_MSGS } from './vision_msgs';

interface MessageSpec {
  definition: MessageDefinition;
  /** .msg text, as it appears in a ros2msg schema. */
  text: string;
}

const SCHEMA_DELIMITER = '='.repeat(80);

let registry: Map<string, MessageSpec> | undefined;

function specs(): Map<string, MessageSpec> {
  if (registry) return registry;
  const map = new Map<string, MessageSpec>();
  for (const [name, definition] of Object.entries(ros2jazzy)) {
    map.set(name, { definition: { ...definition, name }, text: definitionToMsgText(definition) });
  }
  for (const [name, text] of Object.entries(VISION_MSGS)) map.set(name, { definition: parseMsgText(name, text), text });
  for (const { type, text } of readPackageMessages()) map.set(type, { definition: parseMsgText(type, text), text });
  registry = map;
  return map;
}

function lookup(type: string): MessageSpec {
  const spec = specs().get(shortTypeName(type));
  if (!spec) {
    throw new Error(`no message definition for ${fullTypeName(type)}; it is neither a known type nor registered from a bag's schema`);
  }
  return spec;
}

/** Full names (`pkg/msg/Name`) of every type the codec can encode and decode, sorted. */
export function knownMessageTypes(): string[] {
  return [...specs().keys()].map(fullTypeName).sort();
}

/** True when `type` (either spelling) has a definition. */
export function isKnownMessageType(type: string): boolean {
  return specs().has(shortTypeName(type));
}

/**
 * The root definition of `type` followed by every definition it depends on, transitively: the
 * list @foxglove/rosmsg2-serialization's MessageReader and MessageWriter take. Throws, naming
 * the type, when `type` or a dependency has no definition.
 */
export function definitionsFor(type: string): MessageDefinition[] {
  const out: MessageDefinition[] = [];
  const seen = new Set<string>();
  const visit = (name: string, referrer?: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    let spec: MessageSpec;
    try {
      spec = lookup(name);
    } catch (err) {
      throw referrer ? new Error(`${(err as Error).message} (needed by ${fullTypeName(referrer)})`) : err;
    }
    out.push(spec.definition);
    for (const field of spec.definition.definitions) {
      if (field.isComplex === true && field.isConstant !== true) visit(field.type, name);
    }
  };
  visit(shortTypeName(type));
  return out;
}

/**
 * The complete ros2msg definition of `type` as rosbag2 writes it into an MCAP schema: the type's
 * own text, then each dependency (depth first, sorted, once) after a line of 80 `=` and a line
 * `MSG: pkg/Name`.
 */
export function ros2msgSchema(type: string): string {
  const seen = new Set<string>();
  const append = (name: string): string => {
    const spec = lookup(name);
    let text = spec.text;
    for (const dep of fieldDependencies(spec.definition)) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      text += `\n${SCHEMA_DELIMITER}\nMSG: ${dep}\n${append(dep)}`;
    }
    return text;
  };
  return append(shortTypeName(type));
}

/**
 * Registers the definitions in a ros2msg schema (as found in an MCAP Schema record or a .db3's
 * message_definitions table) for `type` and the dependencies it embeds. Types that already have a
 * definition keep it. Throws when the schema cannot be parsed, naming the type.
 */
export function registerSchema(type: string, schemaText: string): void {
  const sections = schemaText.split(new RegExp(`\\r?\\n?^${SCHEMA_DELIMITER}\\r?\\n`, 'm'));
  const parsed: { type: string; text: string }[] = [{ type, text: sections[0]! }];
  for (const section of sections.slice(1)) {
    const m = /^(MSG|IDL|SRV): *(\S+)\r?\n?/.exec(section);
    if (!m || m[1] !== 'MSG') {
      throw new Error(
        `schema of ${fullTypeName(type)}: section "${section.split('\n')[0]}" is not a "MSG: pkg/Name" definition; only ros2msg schemas are supported`,
      );
    }
    parsed.push({ type: m[2]!, text: section.slice(m[0].length) });
  }
  const map = specs();
  const fresh = parsed
    .filter((p) => !map.has(shortTypeName(p.type)))
    .map((p) => ({ name: shortTypeName(p.type), spec: { definition: parseMsgText(p.type, p.text), text: p.text } }));
  // Parse everything before registering anything, so a bad schema leaves the registry unchanged.
  for (const { name, spec } of fresh) map.set(name, spec);
}
