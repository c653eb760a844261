// The SIMD kernels against plain, obviously-correct reference loops written here from the
// textbook definitions (Census by comparison, Hamming by bit loop, SGM recurrence per path).
import { strict as assert } from 'node:assert';
import { backwardPass, costStrip, forwardPass, MAX_COST, textureRows } from '../../src/depth/sgm_kernels';
import type { SgmFrame } from '../../src/depth/sgm_kernels';
import { sgmLayout, sgmViews } from '../../src/depth/sgm_layout';
import { bindSgmSimd, sgmSimdModule } from '../../src/depth/sgm_simd';
import { wasm } from '../../src/depth/wasm_api';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
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
      costStrip(f, s);
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
    const [lr, tb, rl, bt] = [[1, 0], [0, 1], [-1, 0], [0, -1]].map(([dx, dy]) => refPath(cost, w, h, nd, dx, dy, p1, p2));
    forwardPass(f, s, p1, p2);
    const s1 = f.v.u16.subarray(s.s1 >> 1, (s.s1 >> 1) + w * h * nd);
    for (let i = 0; i < s1.length; i++) assert.equal(s1[i], lr[i] + tb[i], `forward sum at cell ${i}`);
    const rows: number[] = [];
    backwardPass(f, s, p1, p2, (y) => {
      rows.push(y);
      const total = f.v.u16.subarray(s.total >> 1, (s.total >> 1) + w * nd);
      for (let i = 0; i < w * nd; i++) {
        const c = y * w * nd + i;
        assert.equal(total[i], lr[c] + tb[c] + rl[c] + bt[c], `total at row ${y}, cell ${i}`);
      }
    });
    assert.deepEqual(rows, [...Array(h).keys()].reverse());
  });

  it('wtaRow returns the first minimum, its cost and the uniqueness verdict', async () => {
    const n = 48;
    const f = await frame(4, 1, n, 0);
    const t = f.l.stripLayouts[0].total;
    const sums = f.v.u16.subarray(t >> 1, (t >> 1) + n);
    const rnd = lcg(11);
    let verdicts = 0;
    for (let trial = 0; trial < 3000; trial++) {
      for (let d = 0; d < n; d++) sums[d] = 400 + Math.floor(rnd() * 120);
      // Half the trials get a clear dip (a unique match), half stay flat (ambiguous).
      if (trial % 8 < 4) sums[Math.floor(rnd() * n)] -= 60 + Math.floor(rnd() * 60);
      const u = [0, 5, 10, 15][trial % 4];
      const arr = Array.from(sums);
      const minS = Math.min(...arr);
      const best = arr.indexOf(minS);
      const unique = u === 0 || arr.every((v, d) => Math.abs(d - best) <= 1 || !(v * (100 - u) < minS * 100));
      f.k.wtaRow(t, n, u, 1, f.l.stripLayouts[0].winners);
      const r = f.v.i32[f.l.stripLayouts[0].winners >> 2];
      assert.equal(r & 0xfff, best, `trial ${trial}: best`);
      assert.equal(r >>> 13, minS, `trial ${trial}: min`);
      assert.equal((r >> 12) & 1, unique ? 1 : 0, `trial ${trial}: unique (u=${u})`);
      if (unique && u > 0) verdicts++;
    }
    assert.ok(verdicts > 10, 'the trials must exercise both verdicts');
  });
});
