// WebAssembly text of the SGM disparity selection of one row, spliced into the SGM module
// (sgm_simd_wat.ts): winner-take-all, the uniqueness test, parabola sub-pixel refinement and
// the left-right check. It replaces a JavaScript loop around a SIMD winner search that was
// about a quarter of a frame's CPU on Aloe: the search now keeps the arg-min in lanes (no
// per-vector bitmask and branch), and the per-pixel bookkeeping no longer crosses into JS.
//
// Contract: selectRow(t, nd, u, w, minD, tex, disp, valid, rcost, rdisp, best, subpixel, maxDiff, win)
// over the nd u8 path sums of each pixel x < w at t + x*nd (nd a multiple of 16; sums are
// clobbered) writes the f32 disp[x] (minD + best + sub-pixel offset, NaN when rejected) and
// the u8 valid[x]. The best disparity is the first minimum; it is rejected when some disparity
// more than 1 away costs less than minCost * 100 / (100 - u) or as little as the best (u = 0:
// no test), when its right pixel x - minD - best is outside the row, when the u8 tex[x] is 0,
// or when the left-right check (maxDiff >= 0) fails: against the right disparity map made of
// each right pixel's cheapest left winner, both integer neighbours of the sub-pixel disparity
// must disagree by more than maxDiff (as OpenCV does, so a value halfway between two matches
// is kept). rcost, rdisp and best are w-element i32 scratch rows. When win is not 0 it holds
// each pixel's winner as hpassRow found it (disparity | sum << 16), so the search is skipped.
import { ARGMIN_LOCALS, ARGMIN_START, argminResult, argminStep, hmin } from './sgm_wat_macros';

export const SELECT_ROW_WAT = `
  ;; (first minimum of the nd u8 at s) | (its value << 16)
  (func $argmin (param $s i32) (param $nd i32) (result i32)
    (local $k i32) (local $v v128) ${ARGMIN_LOCALS}
    ${ARGMIN_START}
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $k) (local.get $nd)))
      (local.set $v (v128.load align=1 (i32.add (local.get $s) (local.get $k))))
      ${argminStep('$v')}
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $l)))
    ${argminResult()})

  (func $minAll (param $s i32) (param $nd i32) (result i32)
    (local $k i32) (local $mn v128)
    (local.set $mn (i8x16.splat (i32.const 255)))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $k) (local.get $nd)))
      (local.set $mn (i8x16.min_u (local.get $mn) (v128.load align=1 (i32.add (local.get $s) (local.get $k)))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br $l)))
    ${hmin('$mn')})

  (func (export "selectRow") (param $t i32) (param $nd i32) (param $u i32) (param $w i32) (param $minD i32)
      (param $tex i32) (param $disp i32) (param $valid i32) (param $rcost i32) (param $rdisp i32) (param $best i32)
      (param $subpixel i32) (param $maxDiff i32) (param $win i32)
    (local $x i32) (local $s i32) (local $r i32) (local $bd i32) (local $minS i32) (local $a i32) (local $b i32)
    (local $den i32) (local $xr i32) (local $inRange i32) (local $ok i32) (local $sub f64) (local $dd f64)
    (local $lo i32) (local $hi i32) (local $q i32) (local $rd i32) (local $badLo i32) (local $badHi i32)
    (local $x4 i32) (local $a2 i32)
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $x) (local.get $w)))
      (local.set $x4 (i32.shl (local.get $x) (i32.const 2)))
      (i32.store (i32.add (local.get $rcost) (local.get $x4)) (i32.const -1))
      (i32.store (i32.add (local.get $rdisp) (local.get $x4)) (i32.const -1))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br $l)))
    ;; winners, the right disparity map, sub-pixel values
    (local.set $x (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $x) (local.get $w)))
      (local.set $x4 (i32.shl (local.get $x) (i32.const 2)))
      (local.set $s (i32.add (local.get $t) (i32.mul (local.get $x) (local.get $nd))))
      (local.set $r (if (result i32) (local.get $win)
        (then (i32.load (i32.add (local.get $win) (local.get $x4))))
        (else (call $argmin (local.get $s) (local.get $nd)))))
      (local.set $bd (i32.and (local.get $r) (i32.const 65535)))
      (local.set $minS (i32.shr_u (local.get $r) (i32.const 16)))
      (local.set $ok (i32.const 1))
      (if (i32.gt_s (local.get $bd) (i32.const 0))
        (then (local.set $a (i32.load8_u (i32.sub (i32.add (local.get $s) (local.get $bd)) (i32.const 1))))))
      (if (i32.lt_s (local.get $bd) (i32.sub (local.get $nd) (i32.const 1)))
        (then (local.set $b (i32.load8_u offset=1 (i32.add (local.get $s) (local.get $bd))))))
      (if (local.get $u) (then
        ;; hide the winner and its neighbours, then the best of the rest must not be close
        (if (i32.gt_s (local.get $bd) (i32.const 0))
          (then (i32.store8 (i32.sub (i32.add (local.get $s) (local.get $bd)) (i32.const 1)) (i32.const 255))))
        (i32.store8 (i32.add (local.get $s) (local.get $bd)) (i32.const 255))
        (if (i32.lt_s (local.get $bd) (i32.sub (local.get $nd) (i32.const 1)))
          (then (i32.store8 offset=1 (i32.add (local.get $s) (local.get $bd)) (i32.const 255))))
        (local.set $a2 (call $minAll (local.get $s) (local.get $nd)))
        ;; a tie far away is ambiguous too, which the ratio alone misses when the best cost is 0
        (local.set $ok (i32.and (i32.gt_u (local.get $a2) (local.get $minS))
          (i32.ge_u (i32.mul (local.get $a2) (i32.sub (i32.const 100) (local.get $u))) (i32.mul (local.get $minS) (i32.const 100)))))))
      (local.set $xr (i32.sub (i32.sub (local.get $x) (local.get $minD)) (local.get $bd)))
      (local.set $inRange (i32.lt_u (local.get $xr) (local.get $w)))
      (if (local.get $inRange) (then
        (if (i32.gt_u (i32.load (i32.add (local.get $rcost) (i32.shl (local.get $xr) (i32.const 2)))) (local.get $minS)) (then
          (i32.store (i32.add (local.get $rcost) (i32.shl (local.get $xr) (i32.const 2))) (local.get $minS))
          (i32.store (i32.add (local.get $rdisp) (i32.shl (local.get $xr) (i32.const 2))) (local.get $bd))))))
      (if (i32.and (i32.and (local.get $ok) (local.get $inRange)) (i32.load8_u (i32.add (local.get $tex) (local.get $x))))
        (then
          (i32.store (i32.add (local.get $best) (local.get $x4)) (local.get $bd))
          (local.set $sub (f64.const 0))
          (if (i32.and (local.get $subpixel)
                (i32.and (i32.gt_s (local.get $bd) (i32.const 0)) (i32.lt_s (local.get $bd) (i32.sub (local.get $nd) (i32.const 1)))))
            (then
              (local.set $den (i32.sub (i32.add (local.get $a) (local.get $b)) (i32.shl (local.get $minS) (i32.const 1))))
              (if (i32.gt_s (local.get $den) (i32.const 0))
                (then (local.set $sub (f64.div (f64.convert_i32_s (i32.sub (local.get $a) (local.get $b)))
                  (f64.convert_i32_s (i32.shl (local.get $den) (i32.const 1)))))))))
          (f32.store (i32.add (local.get $disp) (local.get $x4))
            (f32.demote_f64 (f64.add (f64.convert_i32_s (i32.add (local.get $minD) (local.get $bd))) (local.get $sub)))))
        (else
          (i32.store (i32.add (local.get $best) (local.get $x4)) (i32.const -1))
          (f32.store (i32.add (local.get $disp) (local.get $x4)) (f32.const nan))))
      (local.set $a (i32.const 0))
      (local.set $b (i32.const 0))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br $l)))
    ;; the left-right check
    (local.set $x (i32.const 0))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $x) (local.get $w)))
      (local.set $x4 (i32.shl (local.get $x) (i32.const 2)))
      (local.set $ok (i32.ge_s (i32.load (i32.add (local.get $best) (local.get $x4))) (i32.const 0)))
      (if (i32.and (local.get $ok) (i32.ge_s (local.get $maxDiff) (i32.const 0))) (then
        (local.set $dd (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $disp) (local.get $x4)))) (f64.convert_i32_s (local.get $minD))))
        (local.set $lo (i32.trunc_f64_s (f64.floor (local.get $dd))))
        (local.set $hi (i32.trunc_f64_s (f64.ceil (local.get $dd))))
        ${badNeighbour('$lo', '$badLo')}
        ${badNeighbour('$hi', '$badHi')}
        (if (i32.and (local.get $badLo) (local.get $badHi)) (then
          (local.set $ok (i32.const 0))
          (f32.store (i32.add (local.get $disp) (local.get $x4)) (f32.const nan))))))
      (i32.store8 (i32.add (local.get $valid) (local.get $x)) (local.get $ok))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br $l)))
  )
`;

/**
 * Sets local `bad` to 1 when the right pixel of integer disparity `d` (a local) is in the row,
 * has a right disparity, and that differs from d by more than $maxDiff.
 */
function badNeighbour(d: string, bad: string): string {
  return `(local.set $q (i32.sub (i32.sub (local.get $x) (local.get $minD)) (local.get ${d})))
        (local.set ${bad} (i32.const 0))
        (if (i32.lt_u (local.get $q) (local.get $w)) (then
          (local.set $rd (i32.load (i32.add (local.get $rdisp) (i32.shl (local.get $q) (i32.const 2)))))
          (if (i32.ge_s (local.get $rd) (i32.const 0)) (then
            (local.set $rd (i32.sub (local.get $rd) (local.get ${d})))
            (local.set ${bad} (i32.gt_s (select (local.get $rd) (i32.sub (i32.const 0) (local.get $rd)) (i32.ge_s (local.get $rd) (i32.const 0)))
              (local.get $maxDiff)))))))`;
}
