// The SIMD kernels against plain, obviously-correct reference loops written here from the
// textbook definitions (Census by comparison, Hamming by bit loop, SGM recurrence per path).
import { strict as assert } from 'node:assert';
import { censusStrip, textureRows } from '../../src/depth/sgm_census';
import type { SgmFrame } from '../../src/depth/sgm_census';
import { backwardPass, costRow, filterSpeckles, forwardPass, MAX_COST } from '../../src/depth/sgm_kernels';
import { SLOT_LEAD, sgmLayout, sgmViews } from '../../src/depth/sgm_layout';
import { bindSgmSimd, sgmSimdModule } from '../../src/depth/sgm_simd';
import { wasm } from '../../src/depth/wasm_api';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function frame(w: number, h: number, nd: number, minD: number): Promise<SgmFrame> {
  const l = sgmLayout({ width: w, height: h, disparities: nd, minDisparity: minD, strips: 1 });
  const pages = Math.ceil(l.byteLength / 65536);
  const memory = new wasm.Memory({ initial: pages, maximum: pages, shared: true });
  return { l, v: sgmViews(memory.buffer, l), k: bindSgmSimd(await sgmSimdModule(), memory) };
}

function refCensus(img: Uint8Array, w: number, h: number, x: number, y: number): number[] {
  const at = (xx: number, yy: number) => img[Math.min(h - 1, Math.max(0, yy)) * w + Math.min(w - 1, Math.max(0, xx))];
  const bits: number[] = [];
  for (let j = -2; j <= 2; j++) for (let i = -2; i <= 2; i++) if (i || j) bits.push(at(x + i, y + j) < at(x, y) ? 1 : 0);
  return bits;
}

/** Path costs along (dx, dy) by the recurrence, for every pixel: L[(y*w+x)*nd + d]. */
function refPath(cost: Uint8Array, w: number, h: number, nd: number, dx: number, dy: number, p1: number, p2: number): number[] {
  const L = new Array<number>(w * h * nd);
  const xs = dx >= 0 ? [...Array(w).keys()] : [...Array(w).keys()].reverse();
  const ys = dy >= 0 ? [...Array(h).keys()] : [...Array(h).keys()].reverse();
  for (const y of ys) {
    for (const x of xs) {
      const px = x - dx;
      const py = y - dy;
      const has = px >= 0 && px < w && py >= 0 && py < h;
      const pb = (py * w + px) * nd;
      const prev = (d: number) => (d < 0 || d >= nd ? Infinity : L[pb + d]);
      let mn = Infinity;
      if (has) for (let d = 0; d < nd; d++) mn = Math.min(mn, L[pb + d]);
      for (let d = 0; d < nd; d++) {
        const c = cost[(y * w + x) * nd + d];
        L[(y * w + x) * nd + d] = has ? c + Math.min(prev(d), prev(d - 1) + p1, prev(d + 1) + p1, mn + p2) - mn : c;
      }
    }
  }
  return L;
}

describe('depth/sgm_kernels (SIMD) against reference loops', () => {
  const w = 45;
  const h = 9;
  const nd = 32;

  for (const minD of [0, 3, -5]) {
    it(`Census + Hamming cost volume matches, minDisparity ${minD}`, async () => {
      const f = await frame(w, h, nd, minD);
      const rnd = lcg(7 + minD);
      for (let i = 0; i < w * h; i++) {
        f.v.left[i] = Math.floor(rnd() * 256);
        f.v.right[i] = Math.floor(rnd() * 256);
      }
      const s = f.l.stripLayouts[0];
      censusStrip(f, s, h);
      for (let r = 0; r < h; r++) costRow(f, s, r, s.cost + r * w * nd);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const cl = refCensus(f.v.left, w, h, x, y);
          for (let d = 0; d < nd; d++) {
            const xr = x - minD - d;
            let want = MAX_COST;
            if (xr >= 0 && xr < w) {
              const cr = refCensus(f.v.right, w, h, xr, y);
              want = cl.reduce((n, b, k) => n + (b !== cr[k] ? 1 : 0), 0);
            }
            assert.equal(f.v.u8[s.cost + (y * w + x) * nd + d], want, `cost at x=${x} y=${y} d=${d}`);
          }
        }
      }
    });
  }

  it('texture mask matches the 5x5 intensity range test', async () => {
    const tw = 53;
    const th = 7;
    const f = await frame(tw, th, 16, 0);
    const rnd = lcg(21);
    // Flat patches with sparse bumps, so both verdicts occur at every column phase.
    for (let i = 0; i < tw * th; i++) f.v.left[i] = 100 + (rnd() < 0.04 ? Math.floor(rnd() * 12) : 0);
    textureRows(f, 0, th, 5);
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        let lo = 255;
        let hi = 0;
        for (let j = -2; j <= 2; j++) {
          for (let i = -2; i <= 2; i++) {
            const p = f.v.left[Math.min(th - 1, Math.max(0, y + j)) * tw + Math.min(tw - 1, Math.max(0, x + i))];
            lo = Math.min(lo, p);
            hi = Math.max(hi, p);
          }
        }
        assert.equal(f.v.textured[y * tw + x], hi - lo >= 5 ? 1 : 0, `texture at x=${x} y=${y}`);
      }
    }
    assert.ok(f.v.textured.includes(0) && f.v.textured.includes(1));
  });

  it('forward and backward passes sum the four path recurrences', async () => {
    const f = await frame(w, h, nd, 0);
    const s = f.l.stripLayouts[0];
    const rnd = lcg(3);
    const cost = f.v.u8.subarray(s.cost, s.cost + w * h * nd);
    for (let i = 0; i < cost.length; i++) cost[i] = Math.floor(rnd() * 25);
    const p1 = 3;
    const p2 = 20;
    const [lr, tb, rl, bt] = [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ].map(([dx, dy]) => refPath(cost, w, h, nd, dx, dy, p1, p2));
    forwardPass(f, s, p1, p2);
    const s1 = f.v.u8.subarray(s.s1, s.s1 + w * h * nd);
    for (let i = 0; i < s1.length; i++) assert.equal(s1[i], lr[i] + tb[i], `forward sum at cell ${i}`);
    const rows: number[] = [];
    backwardPass(f, s, p1, p2, (y) => {
      rows.push(y);
      const total = f.v.u8.subarray(s.total, s.total + w * nd);
      for (let i = 0; i < w * nd; i++) {
        const c = y * w * nd + i;
        assert.equal(total[i], lr[c] + tb[c] + rl[c] + bt[c], `total at row ${y}, cell ${i}`);
      }
    });
    assert.deepEqual(rows, [...Array(h).keys()].reverse());
  });

  it('hpassRow adds the right-to-left path of one row in place and finds each winner', async () => {
    const f = await frame(w, 1, nd, 0);
    const s = f.l.stripLayouts[0];
    const rnd = lcg(5);
    const cost = f.v.u8.subarray(s.cost, s.cost + w * nd);
    for (let i = 0; i < cost.length; i++) cost[i] = Math.floor(rnd() * 25);
    const rl = refPath(cost, w, 1, nd, -1, 0, 3, 20);
    const t = f.v.u8.subarray(s.total, s.total + w * nd);
    for (let i = 0; i < t.length; i++) t[i] = i % 97;
    // The forward pass marks the slot sentinels the recurrence reads.
    forwardPass(f, s, 3, 20);
    for (let i = 0; i < t.length; i++) t[i] = i % 97;
    const lead = SLOT_LEAD;
    f.k.hpassRow(s.cost, s.total, s.hA + lead, s.hB + lead, s.zero + lead, w, nd, 3, 20, s.winners);
    for (let i = 0; i < t.length; i++) assert.equal(t[i], (i % 97) + rl[i], `sum at cell ${i}`);
    // and each pixel's first minimum of the new sums, packed as disparity | sum << 16
    for (let x = 0; x < w; x++) {
      const sums = Array.from(t.subarray(x * nd, (x + 1) * nd));
      const minS = Math.min(...sums);
      assert.equal(f.v.i32[(s.winners >> 2) + x], sums.indexOf(minS) | (minS << 16), `winner at x=${x}`);
    }
  });

  it('selectRow: first minimum, uniqueness, sub-pixel parabola and left-right check as defined', async () => {
    const n = 32;
    const wr = 40;
    const f = await frame(wr, 1, n, 0);
    const s = f.l.stripLayouts[0];
    const sums = f.v.u8.subarray(s.total, s.total + wr * n);
    const rnd = lcg(11);
    const seen = { unique: 0, ambiguous: 0, lrRejected: 0, subpixel: 0 };
    for (let trial = 0; trial < 400; trial++) {
      const minD = [0, 3, -4][trial % 3];
      const u = [0, 5, 10, 15][trial % 4];
      const maxDiff = [1, 0, -1][trial % 3];
      // A true disparity that drifts along the row, so the left-right check has real work.
      const truth = Math.floor(rnd() * n);
      for (let x = 0; x < wr; x++) {
        for (let d = 0; d < n; d++) sums[x * n + d] = 120 + Math.floor(rnd() * 120);
        if (rnd() < 0.7) {
          const d0 = Math.min(n - 1, Math.max(0, truth + Math.floor(rnd() * 5) - 2));
          sums[x * n + d0] -= 60 + Math.floor(rnd() * 60);
          if (d0 > 0) sums[x * n + d0 - 1] -= Math.floor(rnd() * 40);
        }
        // Perfect matches (cost 0), some with a second perfect match far away: ambiguous.
        if (rnd() < 0.1) {
          const d0 = Math.floor(rnd() * n);
          sums[x * n + d0] = 0;
          if (rnd() < 0.5) sums[x * n + ((d0 + n / 2) % n)] = 0;
        }
        f.v.textured[x] = rnd() < 0.9 ? 1 : 0;
      }
      const want = refSelect(Array.from(sums), wr, n, minD, u, maxDiff, f.v.textured);
      f.k.selectRow(s.total, n, u, wr, minD, f.l.textured, f.l.disparity, f.l.valid, s.rightCost, s.rightDisp, s.best, 1, maxDiff, 0);
      for (let x = 0; x < wr; x++) {
        const got = f.v.disparity[x];
        assert.equal(f.v.valid[x], want.valid[x], `trial ${trial} x=${x}: valid`);
        if (Number.isNaN(want.disparity[x])) assert.ok(Number.isNaN(got), `trial ${trial} x=${x}: NaN expected, got ${got}`);
        else assert.equal(got, Math.fround(want.disparity[x]), `trial ${trial} x=${x}: disparity`);
      }
      for (const k of Object.keys(seen) as Array<keyof typeof seen>) seen[k] += want.seen[k];
    }
    for (const [k, count] of Object.entries(seen)) assert.ok(count > 20, `the trials must exercise ${k} (${count})`);
  });

  it('filterSpeckles removes exactly the small 4-connected regions of similar disparity', async () => {
    const sw = 37;
    const sh = 23;
    const f = await frame(sw, sh, 16, 0);
    const rnd = lcg(17);
    // Plateaus of a few levels with noise and holes, so regions of every size occur.
    for (let y = 0; y < sh; y++) {
      for (let x = 0; x < sw; x++) {
        const i = y * sw + x;
        const level = (Math.floor(x / 6) * 7 + Math.floor(y / 5) * 3) % 5;
        f.v.valid[i] = rnd() < 0.85 ? 1 : 0;
        f.v.disparity[i] = f.v.valid[i] ? level * 3 + rnd() * 2.5 : NaN;
      }
    }
    const range = 2;
    const disparity = Array.from(f.v.disparity);
    const valid = Array.from(f.v.valid);
    // The window is the size of a region that occurs, so one pixel either way changes the verdict.
    const sizes = regions(disparity, valid, sw, sh, range)
      .sizes.filter((n) => n > 1)
      .sort((a, b) => a - b);
    const windowSize = sizes[Math.floor(sizes.length / 2)];
    const want = refSpeckles(disparity, valid, sw, sh, windowSize, range);
    filterSpeckles(f, windowSize, range);
    assert.deepEqual(Array.from(f.v.valid), want.valid);
    for (let i = 0; i < sw * sh; i++) {
      if (want.valid[i]) assert.equal(f.v.disparity[i], Math.fround(want.disparity[i]), `disparity ${i}`);
      else assert.ok(Number.isNaN(f.v.disparity[i]), `pixel ${i} must be NaN`);
    }
    assert.ok(want.removed > 20 && want.kept > 20, `the case must remove (${want.removed}) and keep (${want.kept}) pixels`);
  });
});

/** 4-connected regions of valid pixels whose neighbours differ by at most range: labels and sizes. */
function regions(disparity: number[], valid: number[], w: number, h: number, range: number) {
  const label = new Array<number>(w * h).fill(-1);
  const sizes: number[] = [];
  for (let s = 0; s < w * h; s++) {
    if (!valid[s] || label[s] >= 0) continue;
    const id = sizes.length;
    const stack = [s];
    label[s] = id;
    let size = 0;
    while (stack.length > 0) {
      const p = stack.pop() as number;
      size++;
      const x = p % w;
      const y = Math.floor(p / w);
      for (const [nx, ny] of [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ]) {
        const q = ny * w + nx;
        if (nx < 0 || nx >= w || ny < 0 || ny >= h || !valid[q] || label[q] >= 0) continue;
        if (Math.abs(disparity[q] - disparity[p]) > range) continue;
        label[q] = id;
        stack.push(q);
      }
    }
    sizes.push(size);
  }
  return { label, sizes };
}

/** Speckle removal by its definition: drop the regions of fewer than windowSize pixels. */
function refSpeckles(disparity: number[], valid: number[], w: number, h: number, windowSize: number, range: number) {
  const { label, sizes } = regions(disparity, valid, w, h, range);
  const keep = label.map((id) => id >= 0 && sizes[id] >= windowSize);
  return {
    valid: keep.map((k) => (k ? 1 : 0)),
    disparity: disparity.map((d, i) => (keep[i] ? d : NaN)),
    removed: valid.filter((v, i) => v && !keep[i]).length,
    kept: keep.filter(Boolean).length,
  };
}

/** The selection by its definition, over plain arrays: sums[x * nd + d]. */
function refSelect(sums: number[], w: number, nd: number, minD: number, u: number, maxDiff: number, tex: Uint8Array) {
  const disparity = new Array<number>(w).fill(NaN);
  const valid = new Array<number>(w).fill(0);
  const rightCost = new Array<number>(w).fill(Infinity);
  const rightDisp = new Array<number>(w).fill(-1);
  const best = new Array<number>(w).fill(-1);
  const seen = { unique: 0, ambiguous: 0, lrRejected: 0, subpixel: 0 };
  for (let x = 0; x < w; x++) {
    const c = sums.slice(x * nd, (x + 1) * nd);
    const minS = Math.min(...c);
    const bd = c.indexOf(minS);
    const unique = u === 0 || c.every((v, d) => Math.abs(d - bd) <= 1 || (!(v * (100 - u) < minS * 100) && v > minS));
    seen[unique ? 'unique' : 'ambiguous']++;
    const xr = x - minD - bd;
    if (xr >= 0 && xr < w && rightCost[xr] > minS) {
      rightCost[xr] = minS;
      rightDisp[xr] = bd;
    }
    if (!unique || xr < 0 || xr >= w || tex[x] === 0) continue;
    best[x] = bd;
    let sub = 0;
    if (bd > 0 && bd < nd - 1 && c[bd - 1] + c[bd + 1] - 2 * minS > 0)
      sub = (c[bd - 1] - c[bd + 1]) / (2 * (c[bd - 1] + c[bd + 1] - 2 * minS));
    if (sub !== 0) seen.subpixel++;
    disparity[x] = Math.fround(minD + bd + sub);
  }
  for (let x = 0; x < w; x++) {
    if (best[x] < 0) continue;
    const dd = disparity[x] - minD;
    const bad = (dn: number) => {
      const q = x - minD - dn;
      return q >= 0 && q < w && rightDisp[q] >= 0 && Math.abs(rightDisp[q] - dn) > maxDiff;
    };
    if (maxDiff >= 0 && bad(Math.floor(dd)) && bad(Math.ceil(dd))) {
      seen.lrRejected++;
      disparity[x] = NaN;
      continue;
    }
    valid[x] = 1;
  }
  return { disparity, valid, seen };
}
