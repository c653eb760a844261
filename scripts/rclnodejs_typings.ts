// Writes rclnodejs's message typings (node_modules/rclnodejs/types/interfaces.d.ts) from the
// message definitions the codec already knows (src/msgs/definitions.ts: ROS 2 Jazzy's common
// interfaces, vision_msgs and this package's msg/), in the shape rclnodejs's own generator
// (rostsd_gen) gives them.
//
// Why: rclnodejs generates that file in its install script, which needs a sourced ROS 2 and is
// skipped here (.npmrc ignore-scripts). Without it `tsc` cannot check src/ros. Messages only:
// src/ros uses no service or action types, so their maps are left empty.
import { writeFileSync } from 'node:fs';
import { definitionsFor, knownMessageTypes } from '../src/msgs/definitions';
import type { MessageField } from '../src/msgs/msg_text';
import { splitTypeName } from '../src/msgs/type_name';

/** rclnodejs's typed-array alternative for arrays of each numeric primitive. */
const TYPED_ARRAYS: Readonly<Record<string, string>> = {
  float32: 'Float32Array',
  float64: 'Float64Array',
  int8: 'Int8Array',
  uint8: 'Uint8Array',
  byte: 'Uint8Array',
  int16: 'Int16Array',
  uint16: 'Uint16Array',
  int32: 'Int32Array',
  uint32: 'Uint32Array',
};

function scalarType(type: string, isComplex: boolean): string {
  if (isComplex) {
    const { pkg, name } = splitTypeName(type);
    return `${pkg}.msg.${name}`;
  }
  // Jazzy's definitions (via @foxglove/rosmsg-msgs-common) spell builtin_interfaces' Time and
  // Duration as the primitives `time` and `duration`; rclnodejs types them as the messages.
  if (type === 'time') return 'builtin_interfaces.msg.Time';
  if (type === 'duration') return 'builtin_interfaces.msg.Duration';
  if (type === 'bool') return 'boolean';
  if (type === 'string' || type === 'wstring') return 'string';
  if (type === 'int64' || type === 'uint64') return 'bigint';
  return 'number';
}

function fieldType(field: MessageField): string {
  const scalar = scalarType(field.type, field.isComplex === true);
  if (field.isArray !== true) return scalar;
  const typed = field.isComplex === true ? undefined : TYPED_ARRAYS[field.type];
  return typed ? `${scalar}[] | ${typed}` : `${scalar}[]`;
}

/** The text of interfaces.d.ts for every known message type. */
export function rclnodejsInterfaces(): string {
  const byPackage = new Map<string, string[]>();
  for (const full of knownMessageTypes()) {
    const { pkg, name } = splitTypeName(full);
    const definition = definitionsFor(full)[0]!;
    const fields = definition.definitions.filter((f) => f.isConstant !== true);
    const constants = definition.definitions.filter((f) => f.isConstant === true);
    const lines = [
      `      export interface ${name} {`,
      ...fields.map((f) => `        ${f.name}: ${fieldType(f)};`),
      '      }',
      `      export interface ${name}Constructor {`,
      ...constants.map((c) => `        readonly ${c.name}: ${scalarType(c.type, false)};`),
      `        new(other?: ${name}): ${name};`,
      '      }',
    ];
    byPackage.set(pkg, [...(byPackage.get(pkg) ?? []), ...lines]);
  }
  const namespaces = [...byPackage].flatMap(([pkg, lines]) => [`  namespace ${pkg} {`, '    namespace msg {', ...lines, '    }', '  }']);
  const types = knownMessageTypes();
  const entry = (suffix: string) => (full: string) => {
    const { pkg, name } = splitTypeName(full);
    return `    '${full}': ${pkg}.msg.${name}${suffix},`;
  };
  return [
    '// DO NOT EDIT: written by scripts/rclnodejs_typings.ts from the definitions in src/msgs.',
    "declare module 'rclnodejs' {",
    ...namespaces,
    '  type MessagesMap = {',
    ...types.map(entry('')),
    '  };',
    '  type MessageTypeClassName = keyof MessagesMap;',
    '  type Message = MessagesMap[MessageTypeClassName];',
    '  type MessageType<T> = T extends MessageTypeClassName ? MessagesMap[T] : T extends new (...args: any[]) => infer R ? R : object;',
    '  type MessageTypeClassConstructorMap = {',
    ...types.map(entry('Constructor')),
    '  };',
    '  type MessageConstructorType<T> = T extends MessageTypeClassName ? MessageTypeClassConstructorMap[T] : object;',
    '  type ServicesMap = {};',
    '  type ServiceTypeClassName = keyof ServicesMap;',
    '  type Service = ServicesMap[ServiceTypeClassName];',
    '  type ServiceType<T> = T extends ServiceTypeClassName ? ServicesMap[T] : T extends { Request: any; Response: any } ? T : object;',
    '  type ActionsMap = {};',
    '  type ActionTypeClassName = keyof ActionsMap;',
    '  type Action = ActionsMap[ActionTypeClassName];',
    '  type ActionType<T> = T extends ActionTypeClassName ? ActionsMap[T] : T extends { Goal: any; Feedback: any; Result: any } ? T : object;',
    '  type TypeClassName = MessageTypeClassName | ServiceTypeClassName | ActionTypeClassName;',
    '  type InterfaceType<T> = T extends TypeClassName ? (MessageTypeClassConstructorMap & ServicesMap & ActionsMap)[T] : object;',
    '}',
    '',
  ].join('\n');
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: tsx scripts/rclnodejs_typings.ts <output .d.ts>');
  writeFileSync(out, rclnodejsInterfaces());
}
