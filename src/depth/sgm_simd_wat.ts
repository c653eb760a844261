// WebAssembly SIMD source of the SGM inner loops that dominate its run time (cost, path
// aggregation, winner selection, texture mask). Measured on the Aloe pair (641x555, 112
// disparities), the same loops in plain JavaScript took about 10x OpenCV's StereoSGBM time;
// with 128-bit lanes they come within reach of it. Path costs and their sums are u8, 16 per
// instruction: a path cost is C + min(...) - minL, so it stays in [0, MAX_COST + P2], and the
// options bound P2 so that four of them sum to at most 255 (stereo_options.ts); the sums are
// then exact, and half the bytes of u16 ones move through the cache.
// `npm run build-wasm` assembles this text into the committed sgm_simd.wasm that the matcher
// loads (sgm_simd.ts); a test fails while the two disagree.
//
// Memory is imported (shared, so worker threads see one frame). Pointers are byte offsets.
// Contracts, for D = disparities (a multiple of 16):
// - costRow(cl, crr, out, w, nd, minD, maxCost, ls, rs): for each x of one row, out[x*nd + d] =
//   popcount(L(x) ^ R(w - 1 - x + minD + d)) for d < nd, or maxCost where the right pixel
//   x - minD - d is outside [0, w). Census words are stored as three byte planes (bits 23..16,
//   15..8, 7..0): the left row's planes at cl, cl + ls, cl + 2 ls, element x; the right row's
//   stored right-to-left, `crr` at element 0 of the first plane, planes rs apart, with
//   readable padding around each. Planes let one i8x16.popcnt count 16 disparities' bits.
// - passRow(c, s, t, vprev, vcur, vmin, hA, hB, zero, w, nd, p1, p2, backward, firstRow, slot):
//   one image row of one SGM pass: the horizontal path (left to right, or right to left when
//   backward) and the vertical path (from the previous row of this pass) at once, so the costs
//   are read and the sums written once. Row arrays are indexed by x: c u8 costs (x*nd + d),
//   s and t u8 sums, vprev/vcur slots of vertical path costs (slot bytes apart), vmin u8 the
//   vertical minima (read for the previous row, overwritten for this one). hA, hB, zero are
//   single slots. A slot holds nd u8 with the sentinel 255 just before and just after (adds
//   saturate, so it never wins). Writes t = Lh + Lv, plus s when backward (the forward pass's
//   sums for the same pixels).
// - hpassRow(c, t, hA, hB, zero, w, nd, p1, p2, win): the right-to-left path alone over one
//   row, added in place to the u8 sums t (x*nd + d); hA, hB, zero as for passRow. With a
//   forward passRow before it, one top-to-bottom sweep aggregates three paths (as OpenCV's
//   SGBM_3WAY). Also writes the i32 win[x] = first minimum's disparity | its sum << 16, so
//   the selection needs no second read of the sums to find it.
// - textureRow(img, w, h, y, out, thr): for x from 2 in steps of 16 while x + 18 <= w, sets the
//   u8 out[x .. x+15] to 1 where the 5x5 window (rows clamped to the image) of img row y has
//   max - min >= thr, else 0; returns the first x it did not handle (the caller does the rest).
// - censusRow: see sgm_simd_census_wat.ts; selectRow: see sgm_simd_select_wat.ts;
//   filterSpeckles: see sgm_simd_speckle_wat.ts; refine*: see sgm_simd_refine_wat.ts.
import { CENSUS_ROW_WAT } from './sgm_simd_census_wat';
import { REFINE_WAT } from './sgm_simd_refine_wat';
import { SELECT_ROW_WAT } from './sgm_simd_select_wat';
import { SPECKLE_WAT } from './sgm_simd_speckle_wat';
import { ARGMIN_LOCALS, ARGMIN_START, argminResult, argminStep, hmin } from './sgm_wat_macros';

// Expression builders, expanded in place: V8 (Node 20) does not inline wasm calls, and a call per
// 8 or 16 lanes costs as much as the arithmetic itself.

/**
 * One SGM recurrence step for 16 disparities: C + min(L(d), L(d±1) + P1, minL + P2) - minL, with
 * the costs in local $cv, P1 in $p1v, the predecessor path costs at pointer local `prev`, and
 * minL + P2 and minL splatted in locals `big` and `pm`.
 */
function lane16(prev: string, big: string, pm: string): string {
  return `(i8x16.sub
      (i8x16.add_sat_u (local.get $cv)
        (i8x16.min_u (local.get ${big})
          (i8x16.min_u
            (v128.load (local.get ${prev}))
            (i8x16.add_sat_u (local.get $p1v)
              (i8x16.min_u (v128.load offset=0 align=1 (i32.sub (local.get ${prev}) (i32.const 1)))
                           (v128.load offset=1 align=1 (local.get ${prev})))))))
      (local.get ${pm}))`;
}

/**
 * Steps a pass's pointers over 16 disparities: the cost ($cp), the sums ($tp), the horizontal
 * slots ($hp, $hB) and the `more` pointers (all u8), and the disparity counter $k.
 */
function advance(more: string[]): string {
  const bump = (n: string) => `(local.set ${n} (i32.add (local.get ${n}) (i32.const 16)))`;
  return ['$cp', '$tp', '$hp', '$hB', ...more, '$k'].map(bump).join('\n        ');
}

/** Before a pixel: the horizontal predecessor slot ($hp, zeros at the path start) and its minima. */
const H_PATH_START = `(if (i32.eqz (local.get $i))
        (then (local.set $hp (local.get $zero)) (local.set $pmH (i32.const 0)))
        (else (local.set $hp (local.get $hA))))
      (local.set $bigH (i8x16.splat (i32.add (local.get $pmH) (local.get $p2))))
      (local.set $pmHv (i8x16.splat (local.get $pmH)))
      (local.set $mnH (i8x16.splat (i32.const 255)))`;

/** Opens the loop over a pixel's disparities, 16 at a time, with their costs in $cv. */
const K_LOOP_OPEN = `(local.set $k (i32.const 0))
      (block $kdone (loop $kloop
        (br_if $kdone (i32.ge_s (local.get $k) (local.get $nd)))
        (local.set $cv (v128.load align=1 (local.get $cp)))`;

/** After a pixel: rewinds the advanced slot pointer $hB, then swaps the two horizontal slots. */
const SWAP_H_SLOTS = `(local.set $hB (i32.sub (local.get $hB) (local.get $nd)))
      (local.set $tmp (local.get $hA))
      (local.set $hA (local.get $hB))
      (local.set $hB (local.get $tmp))`;

/** Min/max over the 5x5 windows of 16 pixels at x: rows in locals $r0..$r4, into $lo/$hi. */
function window5x5(): string {
  const parts: string[] = [];
  for (const r of ['$r0', '$r1', '$r2', '$r3', '$r4']) {
    parts.push(`(local.set $p (i32.add (local.get $img) (i32.add (local.get ${r}) (local.get $x))))`);
    for (const dx of [-2, -1, 0, 1, 2]) {
      const addr = dx < 0 ? `(i32.sub (local.get $p) (i32.const ${-dx}))` : `(local.get $p)`;
      const off = dx > 0 ? ` offset=${dx}` : '';
      parts.push(`(local.set $v (v128.load${off} align=1 ${addr}))`);
      parts.push('(local.set $lo (i8x16.min_u (local.get $lo) (local.get $v)))');
      parts.push('(local.set $hi (i8x16.max_u (local.get $hi) (local.get $v)))');
    }
  }
  return parts.join('\n      ');
}

export const SGM_SIMD_WAT = `
(module
  (import "env" "mem" (memory 1 65536 shared))

  (func (export "costRow") (param $cl i32) (param $crr i32) (param $out i32) (param $w i32) (param $nd i32) (param $minD i32)
      (param $maxCost i32) (param $ls i32) (param $rs i32)
    (local $x i32) (local $k i32) (local $src i32) (local $l0 v128) (local $l1 v128) (local $l2 v128) (local $px i32) (local $a i32)
    (local $b i32) (local $rs2 i32)
    (local.set $rs2 (i32.shl (local.get $rs) (i32.const 1)))
    (block $xdone
      (loop $xloop
        (br_if $xdone (i32.ge_s (local.get $x) (local.get $w)))
        (local.set $l0 (i8x16.splat (i32.load8_u (i32.add (local.get $cl) (local.get $x)))))
        (local.set $l1 (i8x16.splat (i32.load8_u (i32.add (i32.add (local.get $cl) (local.get $ls)) (local.get $x)))))
        (local.set $l2 (i8x16.splat (i32.load8_u (i32.add (i32.add (local.get $cl) (i32.shl (local.get $ls) (i32.const 1))) (local.get $x)))))
        (local.set $src (i32.add (local.get $crr) (i32.add (i32.sub (i32.sub (local.get $w) (i32.const 1)) (local.get $x)) (local.get $minD))))
        (local.set $px (local.get $out))
        (local.set $k (i32.const 0))
        (block $kdone
          (loop $kloop
            (br_if $kdone (i32.ge_s (local.get $k) (local.get $nd)))
            (v128.store align=1 (local.get $out)
              (i8x16.add
                (i8x16.add
                  (i8x16.popcnt (v128.xor (local.get $l0) (v128.load align=1 (local.get $src))))
                  (i8x16.popcnt (v128.xor (local.get $l1) (v128.load align=1 (i32.add (local.get $src) (local.get $rs))))))
                (i8x16.popcnt (v128.xor (local.get $l2) (v128.load align=1 (i32.add (local.get $src) (local.get $rs2)))))))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (br $kloop)))
        ;; disparities d > x - minD and d < x - minD - w + 1 have no right pixel
        (local.set $a (i32.add (i32.sub (local.get $x) (local.get $minD)) (i32.const 1)))
        (if (i32.lt_s (local.get $a) (local.get $nd)) (then
          (local.set $a (select (local.get $a) (i32.const 0) (i32.gt_s (local.get $a) (i32.const 0))))
          (memory.fill (i32.add (local.get $px) (local.get $a)) (local.get $maxCost) (i32.sub (local.get $nd) (local.get $a)))))
        (local.set $b (i32.sub (i32.add (i32.sub (local.get $x) (local.get $minD)) (i32.const 1)) (local.get $w)))
        (if (i32.gt_s (local.get $b) (i32.const 0)) (then
          (memory.fill (local.get $px) (local.get $maxCost) (select (local.get $b) (local.get $nd) (i32.lt_s (local.get $b) (local.get $nd))))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $xloop))))

  (func (export "passRow") (param $c i32) (param $s i32) (param $t i32) (param $vprev i32) (param $vcur i32)
      (param $vmin i32) (param $hA i32) (param $hB i32) (param $zero i32) (param $w i32) (param $nd i32)
      (param $p1 i32) (param $p2 i32) (param $backward i32) (param $firstRow i32) (param $slotBytes i32)
    (local $i i32) (local $x i32) (local $k i32) (local $tmp i32)
    (local $cp i32) (local $sp i32) (local $tp i32) (local $hp i32) (local $vp i32) (local $vo i32)
    (local $pmH i32) (local $pmV i32) (local $p1v v128) (local $keep v128)
    (local $bigH v128) (local $pmHv v128) (local $bigV v128) (local $pmVv v128)
    (local $cv v128) (local $lh v128) (local $lv v128) (local $mnH v128) (local $mnV v128)
    (local.set $p1v (i8x16.splat (local.get $p1)))
    (local.set $keep (i8x16.splat (i32.sub (i32.const 0) (local.get $backward))))
    (block $xdone (loop $xloop
      (br_if $xdone (i32.ge_s (local.get $i) (local.get $w)))
      (local.set $x (select (i32.sub (i32.sub (local.get $w) (i32.const 1)) (local.get $i)) (local.get $i) (local.get $backward)))
      (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $x) (local.get $nd))))
      (local.set $sp (i32.add (local.get $s) (i32.mul (local.get $x) (local.get $nd))))
      (local.set $tp (i32.add (local.get $t) (i32.mul (local.get $x) (local.get $nd))))
      (local.set $vo (i32.add (local.get $vcur) (i32.mul (local.get $x) (local.get $slotBytes))))
      (if (local.get $firstRow)
        (then (local.set $vp (local.get $zero)) (local.set $pmV (i32.const 0)))
        (else
          (local.set $vp (i32.add (local.get $vprev) (i32.mul (local.get $x) (local.get $slotBytes))))
          (local.set $pmV (i32.load8_u (i32.add (local.get $vmin) (local.get $x))))))
      (local.set $bigV (i8x16.splat (i32.add (local.get $pmV) (local.get $p2))))
      (local.set $pmVv (i8x16.splat (local.get $pmV)))
      (local.set $mnV (i8x16.splat (i32.const 255)))
      ${H_PATH_START}
      ${K_LOOP_OPEN}
        (local.set $lh ${lane16('$hp', '$bigH', '$pmHv')})
        (local.set $lv ${lane16('$vp', '$bigV', '$pmVv')})
        (v128.store (local.get $hB) (local.get $lh))
        (v128.store (local.get $vo) (local.get $lv))
        (v128.store align=1 (local.get $tp)
          (i8x16.add_sat_u (i8x16.add_sat_u (local.get $lh) (local.get $lv)) (v128.and (local.get $keep) (v128.load align=1 (local.get $sp)))))
        (local.set $mnH (i8x16.min_u (local.get $mnH) (local.get $lh)))
        (local.set $mnV (i8x16.min_u (local.get $mnV) (local.get $lv)))
        ${advance(['$sp', '$vp', '$vo'])}
        (br $kloop)))
      ${SWAP_H_SLOTS}
      (local.set $pmH ${hmin('$mnH')})
      (i32.store8 (i32.add (local.get $vmin) (local.get $x)) ${hmin('$mnV')})
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $xloop))))

  (func (export "hpassRow") (param $c i32) (param $t i32) (param $hA i32) (param $hB i32) (param $zero i32)
      (param $w i32) (param $nd i32) (param $p1 i32) (param $p2 i32) (param $win i32)
    (local $tv v128) ${ARGMIN_LOCALS} (local $i i32) (local $x i32) (local $k i32) (local $tmp i32) (local $cp i32) (local $tp i32) (local $hp i32)
    (local $pmH i32) (local $p1v v128) (local $bigH v128) (local $pmHv v128) (local $cv v128) (local $lh v128) (local $mnH v128)
    (local.set $p1v (i8x16.splat (local.get $p1)))
    (block $xdone (loop $xloop
      (br_if $xdone (i32.ge_s (local.get $i) (local.get $w)))
      (local.set $x (i32.sub (i32.sub (local.get $w) (i32.const 1)) (local.get $i)))
      (local.set $cp (i32.add (local.get $c) (i32.mul (local.get $x) (local.get $nd))))
      (local.set $tp (i32.add (local.get $t) (i32.mul (local.get $x) (local.get $nd))))
      ${H_PATH_START}
      ${ARGMIN_START}
      ${K_LOOP_OPEN}
        (local.set $lh ${lane16('$hp', '$bigH', '$pmHv')})
        (v128.store (local.get $hB) (local.get $lh))
        (local.set $tv (i8x16.add_sat_u (local.get $lh) (v128.load align=1 (local.get $tp))))
        (v128.store align=1 (local.get $tp) (local.get $tv))
        (local.set $mnH (i8x16.min_u (local.get $mnH) (local.get $lh)))
        ${argminStep('$tv')}
        ${advance([])}
        (br $kloop)))
      ${SWAP_H_SLOTS}
      (local.set $pmH ${hmin('$mnH')})
      (i32.store (i32.add (local.get $win) (i32.shl (local.get $x) (i32.const 2))) ${argminResult()})
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $xloop))))

  (func (export "textureRow") (param $img i32) (param $w i32) (param $h i32) (param $y i32) (param $out i32) (param $thr i32)
      (result i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $r4 i32) (local $x i32) (local $p i32)
    (local $lo v128) (local $hi v128) (local $v v128) (local $t v128) (local $one v128)
    (local.set $r0 (i32.mul (local.get $w) (select (i32.sub (local.get $y) (i32.const 2)) (i32.const 0) (i32.ge_s (local.get $y) (i32.const 2)))))
    (local.set $r1 (i32.mul (local.get $w) (select (i32.sub (local.get $y) (i32.const 1)) (i32.const 0) (i32.ge_s (local.get $y) (i32.const 1)))))
    (local.set $r2 (i32.mul (local.get $w) (local.get $y)))
    (local.set $r3 (i32.mul (local.get $w) (select (i32.add (local.get $y) (i32.const 1)) (i32.sub (local.get $h) (i32.const 1))
      (i32.lt_s (i32.add (local.get $y) (i32.const 1)) (local.get $h)))))
    (local.set $r4 (i32.mul (local.get $w) (select (i32.add (local.get $y) (i32.const 2)) (i32.sub (local.get $h) (i32.const 1))
      (i32.lt_s (i32.add (local.get $y) (i32.const 2)) (local.get $h)))))
    (local.set $t (i8x16.splat (local.get $thr)))
    (local.set $one (i8x16.splat (i32.const 1)))
    (local.set $x (i32.const 2))
    (block $done (loop $xloop
      (br_if $done (i32.gt_s (i32.add (local.get $x) (i32.const 18)) (local.get $w)))
      (local.set $lo (i8x16.splat (i32.const 255)))
      (local.set $hi (i8x16.splat (i32.const 0)))
      ${window5x5()}
      (v128.store align=1 (i32.add (local.get $out) (local.get $x))
        (v128.and (local.get $one) (i8x16.ge_u (i8x16.sub_sat_u (local.get $hi) (local.get $lo)) (local.get $t))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $xloop)))
    (local.get $x))
${CENSUS_ROW_WAT}
${SELECT_ROW_WAT}
${SPECKLE_WAT}
${REFINE_WAT}
)
`;
