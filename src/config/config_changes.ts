// What a configuration change means for a running pipeline: which keys changed, and which of them
// need a restart (new models, workers and tracks). The schema decides per key (live(...) in
// config_schema.ts); this module only reads its marks, so the node and the runner agree.
import { z } from 'zod';
import { LIVE_MARK, configSchema, type PerceptionConfig } from './config_schema';

type JsonNode = { properties?: Record<string, JsonNode>; [LIVE_MARK]?: boolean };

function liveKeys(node: JsonNode, prefix: string, out: Set<string>): Set<string> {
  if (node[LIVE_MARK] === true) out.add(prefix);
  for (const [key, child] of Object.entries(node.properties ?? {})) liveKeys(child, prefix ? `${prefix}.${key}` : key, out);
  return out;
}

/** Dotted names of the keys a running pipeline takes without a restart. */
export const LIVE_KEYS: ReadonlySet<string> = liveKeys(z.toJSONSchema(configSchema, { io: 'input' }) as JsonNode, '', new Set());

/** Every leaf of a configuration by dotted path (record entries under their own key; lists are one leaf). */
function leaves(node: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) out.set(prefix, JSON.stringify(node));
  else for (const [k, v] of Object.entries(node)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

export interface ConfigChange {
  /** Keys whose value differs, in schema order. */
  changed: string[];
  /** The changed keys a running pipeline cannot take: any of them means a restart. */
  restart: string[];
}

/** The difference between the running configuration `from` and `to`. */
export function configChange(from: PerceptionConfig, to: PerceptionConfig): ConfigChange {
  const a = leaves(from, '', new Map());
  const b = leaves(to, '', new Map());
  const changed = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
  return { changed, restart: changed.filter((k) => !LIVE_KEYS.has(k)) };
}
