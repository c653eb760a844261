// Cross-camera merge: one physical object seen by several cameras (a stereo pair, or two
// cameras whose fields of view overlap) becomes one object listing all of them.
//
// Pairs are taken best-first (smallest Mahalanobis distance); a pair merges only when the two
// groups share no camera, because one camera never sees one object twice.
import { invert3Into } from '../geometry/rotation';
import { quadForm3 } from './linalg3';
import type { MergeOptions } from './options';
import type { FusedObject } from './types';

/**
 * Merges objects of the same class from different cameras whose positions agree (Euclidean
 * distance <= maxDistance and Mahalanobis distance under the combined covariance <= gateChi2).
 * Merged positions are information-weighted; size and yaw come from the most certain member.
 * Objects that merge with nothing are returned unchanged. Input objects are not modified.
 */
export function mergeAcrossCameras(objects: readonly FusedObject[], o: MergeOptions): FusedObject[] {
  const n = objects.length;
  const pairs: Array<{ i: number; j: number; d2: number }> = [];
  const sum = new Float64Array(9),
    inv = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    const a = objects[i];
    for (let j = i + 1; j < n; j++) {
      const b = objects[j];
      if (a.className !== b.className || sharesCamera(a.cameras, b.cameras)) continue;
      const dx = a.position[0] - b.position[0],
        dy = a.position[1] - b.position[1],
        dz = a.position[2] - b.position[2];
      if (dx * dx + dy * dy + dz * dz > o.maxDistance * o.maxDistance) continue;
      for (let k = 0; k < 9; k++) sum[k] = a.covariance[k] + b.covariance[k];
      if (!invert3Into(sum, inv)) continue;
      const d2 = quadForm3(inv, dx, dy, dz);
      if (d2 <= o.gateChi2) pairs.push({ i, j, d2 });
    }
  }
  if (pairs.length === 0) return [...objects];
  pairs.sort((p, q) => p.d2 - q.d2);

  const parent = Int32Array.from({ length: n }, (_, k) => k);
  const groupCams = objects.map((obj) => new Set(obj.cameras));
  const find = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]];
    return k;
  };
  for (const { i, j } of pairs) {
    const ri = find(i),
      rj = find(j);
    if (ri === rj || sharesCamera([...groupCams[ri]], [...groupCams[rj]])) continue;
    parent[rj] = ri;
    for (const c of groupCams[rj]) groupCams[ri].add(c);
  }
  const groups = new Map<number, FusedObject[]>();
  for (let k = 0; k < n; k++) {
    const r = find(k);
    const g = groups.get(r);
    if (g) g.push(objects[k]);
    else groups.set(r, [objects[k]]);
  }
  return [...groups.values()].map((g) => (g.length === 1 ? g[0] : fuseGroup(g)));
}

function sharesCamera(a: readonly string[], b: readonly string[]): boolean {
  return a.some((c) => b.includes(c));
}

/** Information-weighted fusion of positions; the most certain member gives size, yaw and source. */
function fuseGroup(group: readonly FusedObject[]): FusedObject {
  const info = new Float64Array(9),
    infoPos = new Float64Array(3),
    inv = new Float64Array(9);
  let best = group[0],
    bestTrace = Infinity;
  for (const m of group) {
    if (!invert3Into(m.covariance, inv)) continue;
    for (let k = 0; k < 9; k++) info[k] += inv[k];
    for (let r = 0; r < 3; r++) {
      infoPos[r] += inv[r * 3] * m.position[0] + inv[r * 3 + 1] * m.position[1] + inv[r * 3 + 2] * m.position[2];
    }
    const trace = m.covariance[0] + m.covariance[4] + m.covariance[8];
    if (trace < bestTrace) {
      bestTrace = trace;
      best = m;
    }
  }
  const cov = new Float64Array(9);
  if (!invert3Into(info, cov)) return best;
  const position: [number, number, number] = [0, 0, 0];
  for (let r = 0; r < 3; r++) position[r] = cov[r * 3] * infoPos[0] + cov[r * 3 + 1] * infoPos[1] + cov[r * 3 + 2] * infoPos[2];
  const cameras = [...new Set(group.flatMap((m) => m.cameras))].sort();
  return {
    ...best,
    position,
    covariance: cov,
    size: [...best.size],
    score: Math.max(...group.map((m) => m.score)),
    cameras,
    rangeSource: group.some((m) => m.rangeSource === 'depth') ? 'depth' : best.rangeSource,
  };
}
