// ROS parameter descriptors of dx_perception_node, derived from the one configuration schema.
//
// Pure logic, no rclnodejs import: the schema becomes a list of parameter specs (name, type,
// description, range with its step, read-only). Mapping from the schema to ROS parameters:
// - every leaf is one parameter named by its dotted path (`depth.num_disparities`);
// - booleans, integers, numbers and strings (enums included) map to the ROS scalar types, and
//   arrays of them to the ROS array types;
// - a bound on both ends becomes a typed range; a value that must be a multiple (num_disparities,
//   16) gives the integer range that step, so `ros2 param describe` shows 16, 32, ...;
// - a record (`rig`) has keys chosen by the user, so its entries appear as `rig.<key>.<leaf>`,
//   declared from the parameter overrides (a params file's nested maps produce exactly these);
// - a value ROS cannot hold (an array of arrays, `depth.stereo_pairs`) is a string parameter
//   holding YAML flow text, e.g. "[[front_left, front_right]]".
import { z } from 'zod';
import { configSchema } from '../config/config_schema';

/** rcl_interfaces/msg/ParameterType values (the wire constants every ROS client library uses). */
export const ParamType = {
  BOOL: 1,
  INTEGER: 2,
  DOUBLE: 3,
  STRING: 4,
  BOOL_ARRAY: 6,
  INTEGER_ARRAY: 7,
  DOUBLE_ARRAY: 8,
  STRING_ARRAY: 9,
} as const;
export type ParamTypeCode = (typeof ParamType)[keyof typeof ParamType];

/** The segment standing for a record key in a spec name (`rig.*.xyz`). */
export const RECORD_KEY = '*';

/** Configuration groups that shape subscriptions, publishers or the rig: set at start only. */
const READ_ONLY_GROUPS: readonly string[] = ['cameras', 'topics', 'qos', 'rig', 'frames'];

export interface ParameterRange {
  kind: 'integer' | 'floating_point';
  from: number;
  to: number;
  /** Integer ranges: valid values are from, from + step, ...; 1 when any integer is. */
  step: number;
}

/** One ROS parameter derived from a schema leaf. */
export interface ParameterSpec {
  /** Dotted name; record entries have RECORD_KEY in place of the key. */
  name: string;
  type: ParamTypeCode;
  description: string;
  /** Constraints a range cannot express: allowed values, lengths, patterns. */
  additionalConstraints: string;
  readOnly: boolean;
  /** Inclusive range, when the schema bounds both ends of a scalar number. */
  range?: ParameterRange;
  /** 'yaml': the config value travels as YAML flow text in a string parameter. */
  encoding: 'value' | 'yaml';
}

type JsonSchema = {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  pattern?: string;
};

const SCALAR_TYPES: Record<string, ParamTypeCode> = {
  boolean: ParamType.BOOL,
  integer: ParamType.INTEGER,
  number: ParamType.DOUBLE,
  string: ParamType.STRING,
};
const ARRAY_TYPES: Record<string, ParamTypeCode> = {
  boolean: ParamType.BOOL_ARRAY,
  integer: ParamType.INTEGER_ARRAY,
  number: ParamType.DOUBLE_ARRAY,
  string: ParamType.STRING_ARRAY,
};

function constraintsOf(node: JsonSchema): string[] {
  const out: string[] = [];
  if (node.enum) out.push(`one of: ${node.enum.join(', ')}`);
  if (node.minLength !== undefined) out.push(`at least ${node.minLength} character(s)`);
  if (node.pattern !== undefined) out.push(`matches ${node.pattern}`);
  if (node.multipleOf !== undefined) out.push(`a multiple of ${node.multipleOf}`);
  if (node.exclusiveMinimum !== undefined) out.push(`value > ${node.exclusiveMinimum}`);
  if (node.exclusiveMaximum !== undefined) out.push(`value < ${node.exclusiveMaximum}`);
  return out;
}

function rangeOf(node: JsonSchema, kind: ParameterRange['kind']): ParameterRange | undefined {
  const { minimum: from, maximum: to } = node;
  // A one-sided bound has no ROS range form; it stays in additional_constraints.
  if (from === undefined || to === undefined || !Number.isFinite(from) || !Number.isFinite(to)) return undefined;
  if (kind === 'integer' && (!Number.isSafeInteger(from) || !Number.isSafeInteger(to))) return undefined;
  // Floating-point ranges get step 0, any value (rclnodejs_gaps.ts, gap 7); an integer step must
  // land on `to`, as rcl requires.
  const { multipleOf } = node;
  const onStep = multipleOf !== undefined && (to - from) % multipleOf === 0;
  return { kind, from, to, step: kind === 'floating_point' ? 0 : onStep ? multipleOf : 1 };
}

function leafSpec(name: string, node: JsonSchema): ParameterSpec {
  const readOnly = READ_ONLY_GROUPS.includes(name.split('.')[0]!);
  const description = node.description ?? '';
  const constraints = constraintsOf(node);
  if (node.type === 'array') {
    const items = node.items ?? {};
    const lengths =
      node.minItems !== undefined || node.maxItems !== undefined ? [`${node.minItems ?? 0}..${node.maxItems ?? 'any'} items`] : [];
    const elementType = items.type !== undefined ? ARRAY_TYPES[items.type] : undefined;
    if (elementType === undefined) {
      return {
        name,
        type: ParamType.STRING,
        description: `${description} (YAML flow text, e.g. ${exampleYaml(items)})`,
        additionalConstraints: lengths.join('; '),
        readOnly,
        encoding: 'yaml',
      };
    }
    const itemConstraints = constraintsOf(items).map((c) => `each item ${c}`);
    return {
      name,
      type: elementType,
      description,
      additionalConstraints: [...lengths, ...itemConstraints].join('; '),
      readOnly,
      encoding: 'value',
    };
  }
  const type = node.type !== undefined ? SCALAR_TYPES[node.type] : undefined;
  if (type === undefined) {
    throw new Error(
      `parameterSpecs: schema leaf "${name}" has type ${JSON.stringify(node.type)}; expected boolean, integer, number, string or an array`,
    );
  }
  const range =
    type === ParamType.INTEGER ? rangeOf(node, 'integer') : type === ParamType.DOUBLE ? rangeOf(node, 'floating_point') : undefined;
  // The bounds are written as text even when a typed range carries them too: rclnodejs 2.2 does
  // not send typed ranges to `ros2 param describe` (rclnodejs_gaps.ts, gap 10).
  if (node.minimum !== undefined || node.maximum !== undefined) {
    constraints.push(`${node.minimum ?? '-inf'} <= value <= ${node.maximum ?? 'inf'}`);
  }
  return { name, type, description, additionalConstraints: constraints.join('; '), readOnly, range, encoding: 'value' };
}

function exampleYaml(items: JsonSchema): string {
  return items.type === 'array' ? '"[[a, b]]"' : '"[...]"';
}

function walk(node: JsonSchema, prefix: string, out: ParameterSpec[]): void {
  if (node.type === 'object' && node.properties) {
    for (const [key, child] of Object.entries(node.properties)) walk(child, prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  if (node.type === 'object' && typeof node.additionalProperties === 'object') {
    walk(node.additionalProperties, `${prefix}.${RECORD_KEY}`, out);
    return;
  }
  out.push(leafSpec(prefix, node));
}

/** Every ROS parameter the schema defines, in schema order. Throws on a leaf ROS cannot carry. */
export function parameterSpecs(schema: z.ZodType = configSchema): ParameterSpec[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as JsonSchema;
  const out: ParameterSpec[] = [];
  walk(json, '', out);
  return out;
}

/** The spec a concrete parameter name belongs to (`rig.front_left.xyz` -> `rig.*.xyz`), if any. */
export function specForName(specs: readonly ParameterSpec[], name: string): ParameterSpec | undefined {
  const parts = name.split('.');
  return specs.find((spec) => {
    const pattern = spec.name.split('.');
    return pattern.length === parts.length && pattern.every((p, i) => p === RECORD_KEY || p === parts[i]);
  });
}

/** True when `name` lies inside the configuration (its first segment is a top-level key). */
export function isConfigParameterName(specs: readonly ParameterSpec[], name: string): boolean {
  const top = name.split('.')[0];
  return specs.some((s) => s.name.split('.')[0] === top);
}
