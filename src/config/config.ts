// Loading and validating configuration from any source: YAML files (plain or ROS 2 params
// files), flat "a.b.c" parameters (ROS parameters, CLI --set flags) and objects.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { closestKey, describeIssues } from '../inference/validation_errors';
import { configSchema, type PerceptionConfig } from './config_schema';

/** A configuration problem; the message names the key, the value and what was expected. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Unknown keys are errors, not silently ignored: a typo must not fall back to a default. */
function unknownKeys(raw: unknown, schema: z.ZodType, prefix = ''): string[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (!(inner instanceof z.ZodObject)) return [];
  const shape = inner.shape as Record<string, z.ZodType>;
  const found: string[] = [];
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in shape)) {
      const near = closestKey(k, Object.keys(shape));
      found.push(near ? `${prefix}${k} (did you mean ${prefix}${near}?)` : `${prefix}${k}`);
    } else found.push(...unknownKeys(v, shape[k], `${prefix}${k}.`));
  }
  return found;
}

/** Validates a raw object against the schema and fills defaults. Throws ConfigError. */
export function parseConfig(raw: unknown, source = 'configuration'): PerceptionConfig {
  const unknown = unknownKeys(raw ?? {}, configSchema);
  if (unknown.length > 0) {
    throw new ConfigError(`invalid configuration in ${source}: unknown key(s) ${unknown.join(', ')}`);
  }
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) throw new ConfigError(`invalid configuration in ${source}:\n${describeIssues(result.error, raw)}`);
  const cfg = result.data;
  for (const pair of cfg.depth.stereo_pairs) {
    for (const cam of pair) {
      if (!cfg.cameras.includes(cam)) {
        throw new ConfigError(
          `invalid configuration in ${source}:\n  depth.stereo_pairs = ${JSON.stringify(cfg.depth.stereo_pairs)}: ` +
            `expected cameras listed in cameras (${cfg.cameras.join(', ')}); "${cam}" is not`,
        );
      }
    }
  }
  // Checked here, not only by the fusion stage, so the message names these keys, not its options.
  const bands = [
    ['depth.obstacle_min_height_m', cfg.depth.obstacle_min_height_m, 'depth.obstacle_max_height_m', cfg.depth.obstacle_max_height_m],
    ['scan.min_height_m', cfg.scan.min_height_m, 'scan.max_height_m', cfg.scan.max_height_m],
  ] as const;
  for (const [lowKey, low, highKey, high] of bands) {
    if (high <= low)
      throw new ConfigError(`invalid configuration in ${source}:\n  ${highKey} = ${high}: expected more than ${lowKey} (${low})`);
  }
  if (cfg.scan.angle_min >= cfg.scan.angle_max) {
    throw new ConfigError(
      `invalid configuration in ${source}:\n  scan.angle_min = ${cfg.scan.angle_min}: expected less than scan.angle_max (${cfg.scan.angle_max})`,
    );
  }
  return cfg;
}

/**
 * Reads a YAML file. Accepts a plain config, or a ROS 2 parameters file
 * (`<node>: { ros__parameters: {...} }`, also under `/**`), so params/default.yaml serves the
 * ROS node, the CLI and the demo alike.
 */
export function loadConfigFile(path: string): PerceptionConfig {
  return parseConfig(readConfigFile(path), path);
}

/** The raw (unvalidated) settings of a YAML config or ROS 2 parameters file. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read configuration file ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`configuration file ${path} is not valid YAML: ${(err as Error).message}`);
  }
  const raw = rosParametersOf(doc ?? {}, path);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`configuration file ${path}: expected a mapping of settings, got ${JSON.stringify(raw)}`);
  }
  return raw as Record<string, unknown>;
}

/** CLI configuration: an optional file, then `--set key=value` overrides, validated together. */
export function loadCliConfig(opts: { config?: string; set?: string[] }, defaults: Record<string, unknown> = {}): PerceptionConfig {
  const file = opts.config ? readConfigFile(opts.config) : {};
  const merged = mergeConfig(mergeConfig(defaults, file), parseOverrides(opts.set ?? []));
  return parseConfig(merged, opts.config ? `${opts.config} with --set overrides` : 'command-line settings');
}

/** The node the CLI's configuration stands for, as params/default.yaml names it. */
const NODE_NAME = 'dx_perception_node';

/**
 * The settings a ROS 2 parameters file gives this node, as rcl applies them: the `/**` section,
 * then the node's own (`dx_perception_node`, `/ns/dx_perception_node`, `/**\/dx_perception_node`),
 * nested maps and dotted names alike. Other nodes' sections are not ours to read; a file with
 * none for this node is refused naming its sections. A plain config is returned as it is.
 */
function rosParametersOf(doc: unknown, path: string): unknown {
  const sections = rosSections(doc, []);
  if (sections.length === 0) return doc;
  const mine = sections.filter((s) => s.node === '/**' || s.node.split('/').pop() === NODE_NAME);
  if (mine.length === 0) {
    throw new ConfigError(
      `configuration file ${path}: its ros__parameters are for ${sections.map((s) => `"${s.node}"`).join(', ')}, not this node; ` +
        `expected a "/**" or "${NODE_NAME}" section`,
    );
  }
  mine.sort((a, b) => Number(a.node !== '/**') - Number(b.node !== '/**'));
  return mine.reduce<Record<string, unknown>>((acc, s) => mergeConfig(acc, unflatten(flatten(s.parameters))), {});
}

function rosSections(node: unknown, path: string[]): { node: string; parameters: Record<string, unknown> }[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'ros__parameters' && value !== null && typeof value === 'object' && !Array.isArray(value)
      ? [{ node: path.join('/'), parameters: value as Record<string, unknown> }]
      : rosSections(value, [...path, key]),
  );
}

/** Flat "a.b.c" keys (ROS parameter names) -> nested object. */
export function unflatten(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) {
      if (node[p] === undefined || typeof node[p] !== 'object') node[p] = {};
      node = node[p] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

/** Nested object -> flat "a.b.c" keys; arrays and records of objects stay whole values. */
export function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = `${prefix}${k}`;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && key !== 'rig')
      Object.assign(out, flatten(v as Record<string, unknown>, `${key}.`));
    else out[key] = v;
  }
  return out;
}

/** Deep merge of plain objects: `over` wins; arrays are replaced, not concatenated. */
export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const bothObjects = v && b && typeof v === 'object' && typeof b === 'object' && !Array.isArray(v) && !Array.isArray(b);
    out[k] = bothObjects ? mergeConfig(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/**
 * CLI `--set key=value` overrides. Values are parsed as YAML scalars/flow collections
 * (`--set depth.num_disparities=96`, `--set cameras=[a,b,c]`).
 */
export function parseOverrides(pairs: string[]): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--set ${pair}: expected key=value, e.g. --set depth.num_disparities=96`);
    flat[pair.slice(0, eq)] = parseYaml(pair.slice(eq + 1));
  }
  return unflatten(flat);
}

export { configSchema, type PerceptionConfig };
