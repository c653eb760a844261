// Optimal one-to-one assignment (Hungarian method in its shortest-augmenting-path form, as in
// Jonker-Volgenant): O(n^2 m) for n rows <= m columns, on typed arrays, no per-cell objects.

/**
 * Minimum-cost assignment of rows to columns of a rows x cols cost matrix (row-major, any shape).
 * Entries that are not finite or are >= `forbidden` are not allowed: the solver prefers more
 * allowed pairs over a lower cost, and pairs it could only make through a forbidden entry come
 * back unassigned. Returns rowToCol with -1 for unassigned rows. Does not modify `cost`.
 */
export function solveAssignment(cost: Float64Array, rows: number, cols: number, forbidden = Infinity): Int32Array {
  if (cost.length !== rows * cols) {
    throw new Error(`solveAssignment: cost has ${cost.length} entries; expected rows*cols = ${rows}*${cols} = ${rows * cols}`);
  }
  const rowToCol = new Int32Array(rows).fill(-1);
  if (rows === 0 || cols === 0) return rowToCol;
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  // A forbidden entry costs more than any assignment of allowed ones, so it is used only to
  // complete the matching and is then dropped.
  let maxAllowed = 0;
  for (let k = 0; k < cost.length; k++) {
    const c = cost[k];
    if (Number.isFinite(c) && c < forbidden && Math.abs(c) > maxAllowed) maxAllowed = Math.abs(c);
  }
  const big = (maxAllowed + 1) * (n + 1) * 2;
  const a = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const c = transpose ? cost[j * cols + i] : cost[i * cols + j];
      a[i * m + j] = Number.isFinite(c) && c < forbidden ? c : big;
    }
  }
  // 1-based potentials and matching as in the classic formulation; column 0 is a sentinel.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      const rowOff = (i0 - 1) * m;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = a[rowOff + j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= m; j++) {
    const i = p[j];
    if (i === 0 || a[(i - 1) * m + j - 1] >= big) continue;
    if (transpose) rowToCol[j - 1] = i - 1;
    else rowToCol[i - 1] = j - 1;
  }
  return rowToCol;
}
