// Golden files for rosbag regression: a per-frame digest of a deterministic target-time replay,
// plus the tolerances each quantity is compared with. YAML, one line per frame set, so a golden
// is small enough to review like code and a changed line points at the frame that changed.
import { readFileSync, writeFileSync } from 'node:fs';
import { Document, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../inference/validation_errors';
import type { FrameSummary, ObjectDigest } from './frame_summary';

export const toleranceSchema = z.object({
  object_position_m: z.number().min(0).default(0.1).describe('largest shift of a matched object'),
  object_count: z.number().int().min(0).default(0).describe('largest change of the object count'),
  track_count: z.number().int().min(0).default(0).describe('largest change of the track count'),
  depth_median_m: z.number().min(0).default(0.05).describe('largest change of a camera depth median'),
  depth_valid_fraction: z.number().min(0).max(1).default(0.02).describe('largest change of depth density'),
  cloud_points_rel: z.number().min(0).default(0.05).describe('largest relative change of the obstacle point count'),
  cloud_centroid_m: z.number().min(0).default(0.05).describe('largest shift of the obstacle cloud centroid'),
  scan_range_m: z.number().min(0).default(0.05).describe('largest change of a scan median or sector minimum'),
  scheduler: z.enum(['exact', 'ignore']).default('exact').describe('scheduler decisions and rungs must match'),
});
export type Tolerances = z.infer<typeof toleranceSchema>;

export interface GoldenFile {
  format: 1;
  bag: string;
  time_mode: string;
  tolerances: Tolerances;
  frames: FrameSummary[];
}

/** One quantity of one frame that differs beyond its tolerance. */
export interface GoldenDiff {
  frame: number;
  stamp: string;
  quantity: string;
  expected: string;
  actual: string;
  tolerance: string;
}

export function readGolden(path: string): GoldenFile {
  let doc: Record<string, unknown>;
  try {
    doc = parseYaml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`golden ${path}: cannot read or parse: ${(err as Error).message}`);
  }
  if (doc?.format !== 1 || !Array.isArray(doc.frames)) {
    throw new Error(`golden ${path}: expected "format: 1" and a "frames" list (write one with --update-golden)`);
  }
  const tol = toleranceSchema.safeParse(doc.tolerances ?? {});
  if (!tol.success) throw new Error(`golden ${path}: bad tolerances:\n${describeIssues(tol.error, doc.tolerances ?? {}, 'tolerances.')}`);
  return {
    format: 1,
    bag: String(doc.bag ?? ''),
    time_mode: String(doc.time_mode ?? ''),
    tolerances: tol.data,
    frames: doc.frames as FrameSummary[],
  };
}

/** Writes frames in YAML flow style, one line per frame set. */
export function writeGolden(path: string, golden: GoldenFile): void {
  const doc = new Document(golden);
  const frames = doc.get('frames', true) as { items: Array<{ flow: boolean }> };
  for (const item of frames.items) item.flow = true;
  const header =
    '# dx_perception regression golden: per-frame digest of a target-time replay.\n' +
    '# Regenerate with `dx-perception regress <bag> --golden <this file> --update-golden`\n' +
    '# and review the diff like code: each line is one frame set.\n';
  writeFileSync(path, header + doc.toString({ lineWidth: 0 }));
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(3));

/** Pairs objects of the same class by nearest distance (greedy; objects are few per frame). */
function matchObjects(expected: ObjectDigest[], actual: ObjectDigest[]): Array<[ObjectDigest, ObjectDigest | undefined]> {
  const free = new Set(actual.keys());
  return expected.map((e) => {
    let best = -1;
    let bestD = Infinity;
    for (const i of free) {
      const a = actual[i];
      if (a.cls !== e.cls) continue;
      const d = Math.hypot(a.x - e.x, a.y - e.y, a.z - e.z);
      if (d < bestD) [best, bestD] = [i, d];
    }
    if (best < 0) return [e, undefined];
    free.delete(best);
    return [e, actual[best]];
  });
}

function compareFrame(i: number, e: FrameSummary, a: FrameSummary, tol: Tolerances, out: GoldenDiff[]): void {
  const add = (quantity: string, expected: string, actual: string, tolerance: string) =>
    out.push({ frame: i, stamp: e.stamp, quantity, expected, actual, tolerance });
  const within = (q: string, ev: number, av: number, t: number) => {
    if (Math.abs(ev - av) > t + 1e-9) add(q, fmt(ev), fmt(av), `±${fmt(t)}`);
  };
  if (e.stamp !== a.stamp) add('stamp', e.stamp, a.stamp, 'exact');
  if (tol.scheduler === 'exact') {
    if (e.decision !== a.decision) add('scheduler.decision', e.decision, a.decision, 'exact');
    if (e.rung !== a.rung) add('scheduler.rung', e.rung, a.rung, 'exact');
  }
  within('objects.count', e.objects.length, a.objects.length, tol.object_count);
  matchObjects(e.objects, a.objects).forEach(([eo, ao], k) => {
    const name = `objects[${k}] ${eo.cls} at (${fmt(eo.x)}, ${fmt(eo.y)}, ${fmt(eo.z)})`;
    if (!ao) add(`${name}.match`, 'present', 'no object of that class', 'exact');
    else within(`${name}.position_m`, 0, Math.hypot(ao.x - eo.x, ao.y - eo.y, ao.z - eo.z), tol.object_position_m);
  });
  within('tracks.count', e.tracks, a.tracks, tol.track_count);
  for (const [cam, ed] of Object.entries(e.depth)) {
    const ad = a.depth[cam];
    if (!ad) {
      add(`depth.${cam}`, 'present', 'missing', 'exact');
      continue;
    }
    within(`depth.${cam}.median_m`, ed.median, ad.median, tol.depth_median_m);
    within(`depth.${cam}.valid_fraction`, ed.valid, ad.valid, tol.depth_valid_fraction);
  }
  if (e.cloud && a.cloud) {
    within('cloud.points', e.cloud.points, a.cloud.points, Math.max(1, e.cloud.points * tol.cloud_points_rel));
    within(
      'cloud.centroid_m',
      0,
      Math.hypot(a.cloud.cx - e.cloud.cx, a.cloud.cy - e.cloud.cy, a.cloud.cz - e.cloud.cz),
      tol.cloud_centroid_m,
    );
  } else if (Boolean(e.cloud) !== Boolean(a.cloud)) add('cloud', e.cloud ? 'present' : 'absent', a.cloud ? 'present' : 'absent', 'exact');
  if (e.scan && a.scan) {
    within('scan.median_m', e.scan.median, a.scan.median, tol.scan_range_m);
    e.scan.sectors.forEach((r, s) => within(`scan.sector[${s}].min_m`, r, a.scan!.sectors[s] ?? 0, tol.scan_range_m));
  } else if (Boolean(e.scan) !== Boolean(a.scan)) add('scan', e.scan ? 'present' : 'absent', a.scan ? 'present' : 'absent', 'exact');
}

/** Every difference between a golden and a new replay, frame by frame. Empty = no regression. */
export function compareToGolden(golden: GoldenFile, actual: FrameSummary[]): GoldenDiff[] {
  const diffs: GoldenDiff[] = [];
  if (golden.frames.length !== actual.length) {
    diffs.push({
      frame: -1,
      stamp: '',
      quantity: 'frame_sets',
      expected: String(golden.frames.length),
      actual: String(actual.length),
      tolerance: 'exact',
    });
  }
  const n = Math.min(golden.frames.length, actual.length);
  for (let i = 0; i < n; i++) compareFrame(i, golden.frames[i], actual[i], golden.tolerances, diffs);
  return diffs;
}

/** A readable report, grouped by quantity so one broken stage reads as one block. */
export function formatDiffs(diffs: GoldenDiff[], limitPerQuantity = 5): string {
  const byQuantity = new Map<string, GoldenDiff[]>();
  for (const d of diffs) {
    const key = d.quantity.replace(/\[\d+\].*?(?=\.|$)/, '[*]');
    byQuantity.set(key, [...(byQuantity.get(key) ?? []), d]);
  }
  const lines: string[] = [];
  for (const [q, list] of byQuantity) {
    lines.push(`${q}: ${list.length} frame(s) differ`);
    for (const d of list.slice(0, limitPerQuantity)) {
      lines.push(`  frame ${d.frame} (stamp ${d.stamp}): ${d.quantity} expected ${d.expected}, got ${d.actual} (tolerance ${d.tolerance})`);
    }
    if (list.length > limitPerQuantity) lines.push(`  ... and ${list.length - limitPerQuantity} more`);
  }
  return lines.join('\n');
}
