// ROS parameters of dx_perception_node, derived from the one configuration schema.
//
// Pure logic, no rclnodejs import: the schema becomes a list of parameter specs (name, type,
// description, range, read-only), ROS parameter values become a validated PerceptionConfig and
// back, and a runtime parameter change is checked against the whole schema. The node
// (perception_node.ts) only moves these values in and out of rclnodejs.
//
// Mapping from the schema to ROS parameters:
// - every leaf is one parameter named by its dotted path (`depth.num_disparities`);
// - booleans, integers, numbers and strings (enums included) map to the ROS scalar types, and
//   arrays of them to the ROS array types; integer values are bigint, as rclnodejs wants them;
// - a record (`rig`) has keys chosen by the user, so its entries appear as `rig.<key>.<leaf>`,
//   declared from the parameter overrides (a params file's nested maps produce exactly these);
// - a value ROS cannot hold (an array of arrays, `depth.stereo_pairs`) is a string parameter
//   holding YAML flow text, e.g. "[[front_left, front_right]]".
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, parseConfig, unflatten } from '../pipeline/config';
import { configSchema, type PerceptionConfig } from '../pipeline/config_schema';

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

/** A value as a ROS parameter holds it (rclnodejs's representation: integers as bigint). */
export type RosParamValue = boolean | bigint | number | string | boolean[] | bigint[] | number[] | string[];

/** The segment standing for a record key in a spec name (`rig.*.xyz`). */
export const RECORD_KEY = '*';

/** Configuration groups that shape subscriptions, publishers or the rig: set at start only. */
const READ_ONLY_GROUPS: readonly string[] = ['cameras', 'topics', 'qos', 'rig', 'frames'];

export interface ParameterRange {
  kind: 'integer' | 'floating_point';
  from: number;
  to: number;
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
  return out;
}

function rangeOf(node: JsonSchema, kind: ParameterRange['kind']): ParameterRange | undefined {
  const { minimum: from, maximum: to } = node;
  // A one-sided bound has no ROS range form; it stays in additional_constraints.
  if (from === undefined || to === undefined || !Number.isFinite(from) || !Number.isFinite(to)) return undefined;
  if (kind === 'integer' && (!Number.isSafeInteger(from) || !Number.isSafeInteger(to))) return undefined;
  return { kind, from, to };
}

function leafSpec(name: string, node: JsonSchema): ParameterSpec {
  const readOnly = READ_ONLY_GROUPS.includes(name.split('.')[0]!);
  const description = node.description ?? '';
  const constraints = constraintsOf(node);
  if (node.type === 'array') {
    const items = node.items ?? {};
    const lengths =
      node.minItems !== undefined || node.maxItems !== undefined
        ? [`${node.minItems ?? 0}..${node.maxItems ?? 'any'} items`]
        : [];
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
    throw new Error(`parameterSpecs: schema leaf "${name}" has type ${JSON.stringify(node.type)}; expected boolean, integer, number, string or an array`);
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

function integerFromRos(name: string, v: unknown): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new ConfigError(`parameter ${name} = ${show(v)}: expected an integer`);
  }
  return n;
}

function doubleFromRos(name: string, v: unknown): number {
  // An integer literal in a params file ("max_range_m: 12") arrives as an integer: accept it.
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number') throw new ConfigError(`parameter ${name} = ${show(v)}: expected a number`);
  return n;
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)) ?? String(v);
}

function expectArray(name: string, v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new ConfigError(`parameter ${name} = ${show(v)}: expected an array of ${what}`);
  return v;
}

/**
 * A ROS parameter value -> the config value of `spec`. Throws ConfigError naming the parameter,
 * the value and what was expected. Ranges and enums are left to parseConfig.
 */
export function fromParameterValue(spec: ParameterSpec, name: string, value: unknown): unknown {
  if (spec.encoding === 'yaml') {
    if (typeof value !== 'string') throw new ConfigError(`parameter ${name} = ${show(value)}: expected YAML flow text in a string`);
    try {
      return parseYaml(value);
    } catch (err) {
      throw new ConfigError(`parameter ${name} = ${show(value)}: expected YAML flow text (${(err as Error).message.split('\n')[0]})`);
    }
  }
  switch (spec.type) {
    case ParamType.INTEGER:
      return integerFromRos(name, value);
    case ParamType.DOUBLE:
      return doubleFromRos(name, value);
    case ParamType.INTEGER_ARRAY:
      return expectArray(name, value, 'integers').map((v) => integerFromRos(name, v));
    case ParamType.DOUBLE_ARRAY:
      return expectArray(name, value, 'numbers').map((v) => doubleFromRos(name, v));
    case ParamType.BOOL_ARRAY:
    case ParamType.STRING_ARRAY:
      // An empty array from a params file has no element type; anything else is checked by the schema.
      return expectArray(name, value, spec.type === ParamType.BOOL_ARRAY ? 'booleans' : 'strings');
    default:
      return value;
  }
}

/** A config value -> the ROS parameter value of `spec` (integers as bigint, YAML text when needed). */
export function toParameterValue(spec: ParameterSpec, value: unknown): RosParamValue {
  if (spec.encoding === 'yaml') return stringifyYaml(value, { collectionStyle: 'flow' }).trim();
  switch (spec.type) {
    case ParamType.INTEGER:
      return BigInt(value as number);
    case ParamType.INTEGER_ARRAY:
      return (value as number[]).map((v) => BigInt(v));
    default:
      return value as RosParamValue;
  }
}

/**
 * A value set at run time -> the same value in the declared ROS type of `spec` (`ros2 param set
 * x 1` sends an integer for a double parameter). Throws ConfigError like fromParameterValue.
 */
export function normaliseParameterValue(spec: ParameterSpec, name: string, value: unknown): RosParamValue {
  return toParameterValue(spec, fromParameterValue(spec, name, value));
}

/** One parameter as the node declares or reads it. */
export interface NamedParameter {
  name: string;
  value: unknown;
}

/**
 * ROS parameters (overrides from a params file or launch, or the node's current values) -> a
 * validated configuration. Names outside the configuration (`use_sim_time`, `qos_overrides.*`)
 * are ignored; a name inside it that no schema leaf matches is an error, so a typo in a params
 * file never falls back to a default silently. Throws ConfigError.
 */
export function configFromParameters(
  params: readonly NamedParameter[],
  source: string,
  specs: readonly ParameterSpec[] = parameterSpecs(),
): PerceptionConfig {
  const flat: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const { name, value } of params) {
    if (!isConfigParameterName(specs, name)) continue;
    const spec = specForName(specs, name);
    if (!spec) unknown.push(name);
    else flat[name] = fromParameterValue(spec, name, value);
  }
  if (unknown.length > 0) {
    throw new ConfigError(`invalid configuration in ${source}: unknown parameter(s) ${unknown.join(', ')}`);
  }
  return parseConfig(unflatten(flat), source);
}

/**
 * A configuration -> every parameter with its ROS value and spec, record entries expanded
 * (`rig.front_left.xyz`). What the node declares once the configuration is known.
 */
export function parametersFromConfig(
  config: PerceptionConfig,
  specs: readonly ParameterSpec[] = parameterSpecs(),
): { spec: ParameterSpec; name: string; value: RosParamValue }[] {
  const out: { spec: ParameterSpec; name: string; value: RosParamValue }[] = [];
  for (const spec of specs) {
    for (const { name, value } of expand(spec.name.split('.'), config, [])) {
      out.push({ spec, name, value: toParameterValue(spec, value) });
    }
  }
  return out;
}

function expand(pattern: string[], node: unknown, path: string[]): NamedParameter[] {
  if (pattern.length === 0) return [{ name: path.join('.'), value: node }];
  if (node === null || typeof node !== 'object') return [];
  const [head, ...rest] = pattern;
  const obj = node as Record<string, unknown>;
  const keys = head === RECORD_KEY ? Object.keys(obj) : [head!];
  return keys.flatMap((k) => (k in obj ? expand(rest, obj[k], [...path, k]) : []));
}

/** Outcome of a runtime parameter change, in the shape of rcl_interfaces/SetParametersResult. */
export interface ParameterChangeResult {
  successful: boolean;
  reason: string;
  /** The configuration after the change, when successful and a configuration parameter changed. */
  config?: PerceptionConfig;
}

/**
 * Checks a runtime change (`ros2 param set`) against the whole schema: the current values with
 * the changes applied must form a valid configuration. The reason of a refusal names the
 * parameter, the value and what was expected.
 */
export function checkParameterChange(
  current: readonly NamedParameter[],
  changes: readonly NamedParameter[],
  specs: readonly ParameterSpec[] = parameterSpecs(),
): ParameterChangeResult {
  const merged = new Map(current.map((p) => [p.name, p.value]));
  let touched = false;
  for (const change of changes) {
    if (!isConfigParameterName(specs, change.name)) continue;
    touched = true;
    const spec = specForName(specs, change.name);
    if (!spec) return { successful: false, reason: `parameter ${change.name} is not part of the dx_perception configuration` };
    if (spec.readOnly) {
      return { successful: false, reason: `parameter ${change.name} is read-only: it is set at start (params file or launch argument)` };
    }
    merged.set(change.name, change.value);
  }
  if (!touched) return { successful: true, reason: '' };
  try {
    const config = configFromParameters(
      [...merged].map(([name, value]) => ({ name, value })),
      'parameter change',
      specs,
    );
    return { successful: true, reason: '', config };
  } catch (err) {
    if (err instanceof ConfigError) return { successful: false, reason: err.message };
    throw err;
  }
}
