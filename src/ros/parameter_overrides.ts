// Which parameter overrides apply to this node, resolved the way rcl and rclcpp do it.
//
// Why the node does this itself: rclnodejs 2.2 (lib/node.js, _getNativeParameterOverrides)
// applies only the sections named exactly `/**` or the bare node name (`dx_perception_node`).
// launch_ros writes a launch file's parameter dict under the fully qualified name
// (`/dx_perception_node:` or `/<ns>/dx_perception_node:`), and users write `/**/node` or
// `/ns/node` sections; rclnodejs silently ignores all of those. So the node reads the
// `--ros-args` of its command line (`--params-file`, `-p`), and applies rcl's rules:
// - a section name is normalised with a leading `/` (rclcpp parameter_map_from), so `node`,
//   `/node` and `/ns/node` name the node by its fully qualified name;
// - wildcards as rcl defines them: `*` is exactly one name token, `**` zero or more
//   (rclcpp's regex: "/*" -> "(/\w+)", so "/**" -> "(/\w+)*");
// - global (`/**`) before wildcard sections before the node's own section ("global before
//   local so that local overwrites global", rclcpp resolve_parameter_overrides); within one
//   kind, later on the command line wins (files and -p are merged in command-line order by rcl);
// - nested maps under `ros__parameters` become dotted names; dotted keys are kept as they are;
// - `-p name:=value` is global, `-p node:name:=value` belongs to `node`; values are YAML.
// Pure: the caller passes the arguments and a file reader, so every form is tested without ROS.
import { parse as parseYaml, type CollectionTag } from 'yaml';
import type { NamedParameter } from './parameters';

/** Parameters of one node section of one source (a params file or one -p), in source order. */
export interface OverrideSection {
  /** Section name as written (`/**`, `dx_perception_node`, `/ns/dx_perception_node`, `/**\/node`). */
  node: string;
  parameters: NamedParameter[];
  /** Where it came from, for messages: `file <path>` or `-p <rule>`. */
  source: string;
}

/** A `--ros-args` problem (bad rule, unreadable or malformed file), naming the argument. */
export class RosArgsError extends Error {}

/** rcl's flags inside --ros-args that take one value (their values are not ours to read). */
const FLAGS_WITH_VALUE = new Set(['-r', '--remap', '-e', '--enclave', '--log-level', '--log-config-file', '--log-file-name']);
const PARAM_FLAGS = new Set(['-p', '--param']);
const ROS_PARAMETERS = 'ros__parameters';

/**
 * The override sections of `argv` (a process's arguments), in command-line order. Reads each
 * `--params-file` through `readFile`. Throws RosArgsError naming the argument on bad input.
 */
export function overrideSections(argv: readonly string[], readFile: (path: string) => string): OverrideSection[] {
  const out: OverrideSection[] = [];
  let inRosArgs = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--ros-args') inRosArgs = true;
    else if (arg === '--') inRosArgs = false;
    else if (!inRosArgs) continue;
    else if (arg === '--params-file') {
      const path = valueOf(argv, ++i, arg);
      let text: string;
      try {
        text = readFile(path);
      } catch (err) {
        throw new RosArgsError(`--params-file ${path}: cannot read it (${(err as Error).message})`);
      }
      out.push(...sectionsOfFile(text, `file ${path}`));
    } else if (PARAM_FLAGS.has(arg)) out.push(paramRule(valueOf(argv, ++i, arg)));
    else if (FLAGS_WITH_VALUE.has(arg)) i++;
  }
  return out;
}

function valueOf(argv: readonly string[], i: number, flag: string): string {
  const v = argv[i];
  if (v === undefined || v === '--' || v === '--ros-args') throw new RosArgsError(`${flag} needs a value`);
  return v;
}

/** `-p [node:]name:=value` (rcl's parameter rule). */
function paramRule(rule: string): OverrideSection {
  const at = rule.indexOf(':=');
  const lhs = at > 0 ? rule.slice(0, at) : '';
  const colon = lhs.indexOf(':');
  const name = colon >= 0 ? lhs.slice(colon + 1) : lhs;
  if (at <= 0 || name === '') throw new RosArgsError(`-p ${rule}: expected [node:]name:=value`);
  let value: unknown;
  try {
    value = parseYaml(rule.slice(at + 2));
  } catch (err) {
    throw new RosArgsError(`-p ${rule}: the value is not YAML (${(err as Error).message.split('\n')[0]})`);
  }
  return { node: colon >= 0 ? lhs.slice(0, colon) : '/**', parameters: [{ name, value }], source: `-p ${rule}` };
}

/**
 * launch_ros writes a list of a launch file's parameter dict as a Python tuple
 * (`cameras: !!python/tuple` then the items: it yaml.dumps its normalised parameters, which are
 * tuples). rcl's parser ignores the tag; so does the node, instead of the `yaml` package's
 * "Unresolved tag" warning on every launch with `cameras:=` (seen live).
 */
const LAUNCH_ROS_TAGS: CollectionTag[] = [{ tag: 'tag:yaml.org,2002:python/tuple', collection: 'seq', resolve: (seq) => seq }];

/** The node sections of a ROS 2 parameters file (`<ns>: <node>: ros__parameters: ...`). */
export function sectionsOfFile(text: string, source: string): OverrideSection[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { customTags: LAUNCH_ROS_TAGS });
  } catch (err) {
    throw new RosArgsError(`${source}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const out: OverrideSection[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (!isMap(node))
      throw new RosArgsError(`${source}: "${path.join('/') || '(top)'}" is not a map; expected <node>: ros__parameters: {...}`);
    for (const [key, value] of Object.entries(node)) {
      if (key !== ROS_PARAMETERS) {
        walk(value, [...path, key]);
        continue;
      }
      if (path.length === 0) throw new RosArgsError(`${source}: ros__parameters must be under a node name (e.g. /**)`);
      const parameters: NamedParameter[] = [];
      if (value !== null) flattenParameters(value, [], parameters, source);
      out.push({ node: path.join('/'), parameters, source });
    }
  };
  if (doc !== null && doc !== undefined) walk(doc, []);
  return out;
}

function flattenParameters(node: unknown, path: string[], out: NamedParameter[], source: string): void {
  if (!isMap(node)) {
    if (path.length === 0) throw new RosArgsError(`${source}: ros__parameters is not a map of parameters`);
    out.push({ name: path.join('.'), value: node });
    return;
  }
  for (const [key, value] of Object.entries(node)) flattenParameters(value, [...path, key], out, source);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** 0: global `/**`; 1: another wildcard section; 2: the node's own name. */
type Specificity = 0 | 1 | 2;

/** How `section` applies to the node `fqn` (`/ns/name`), or undefined when it does not. */
export function sectionSpecificity(section: string, fqn: string): Specificity | undefined {
  const name = section.startsWith('/') ? section : `/${section}`;
  if (name === '/**') return 0;
  if (name === fqn) return 2;
  if (!name.includes('*')) return undefined;
  // rcpputils::find_and_replace(name, "/*", "(/\\w+)"): a second `*` stays, as a quantifier.
  const pattern = name
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .split('/*')
    .join('(/\\w+)');
  return new RegExp(`^${pattern}$`).test(fqn) ? 1 : undefined;
}

/**
 * The overrides that apply to the node `fqn`, each parameter once with the winning value:
 * global, then wildcard, then the node's own sections; later sources win within a kind.
 */
export function resolveOverrides(sections: readonly OverrideSection[], fqn: string): NamedParameter[] {
  const applicable = sections
    .map((s, order) => ({ s, order, rank: sectionSpecificity(s.node, fqn) }))
    .filter((x): x is { s: OverrideSection; order: number; rank: Specificity } => x.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.order - b.order);
  const resolved = new Map<string, unknown>();
  for (const { s } of applicable) for (const p of s.parameters) resolved.set(p.name, p.value);
  return [...resolved].map(([name, value]) => ({ name, value }));
}
