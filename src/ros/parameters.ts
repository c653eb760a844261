// ROS parameter values of dx_perception_node <-> the validated configuration.
//
// Pure logic, no rclnodejs import: ROS parameter values (integers as bigint, as rclnodejs wants
// them) become a validated PerceptionConfig and back, and a runtime parameter change is checked
// against the whole schema. The specs (names, types, ranges) come from parameter_specs.ts; the
// node (node_parameters.ts) only moves these values in and out of rclnodejs.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ConfigError, parseConfig, unflatten } from '../config/config';
import type { PerceptionConfig } from '../config/config_schema';
import { ParamType, isConfigParameterName, parameterSpecs, specForName, RECORD_KEY, type ParameterSpec } from './parameter_specs';

/** A value as a ROS parameter holds it (rclnodejs's representation: integers as bigint). */
export type RosParamValue = boolean | bigint | number | string | boolean[] | bigint[] | number[] | string[];

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
