// WebAssembly SIMD text of the coarse-to-fine refinement (sgm_refine.ts), spliced into the SGM
// module (sgm_simd_wat.ts). Each full-resolution pixel searches only a band of REFINE_BAND
// disparities from its base, REFINE_RADIUS below twice its coarse (half-resolution) disparity,
// so the Census cost of the whole band is one 16-lane popcount per byte plane, as in costRow,
// but from a per-pixel start. The band costs are summed over a 5x5 window (5 along the row,
// then 5 of those down the rows) at equal absolute disparities: a neighbour whose base differs
// is shifted into the centre's lanes by one swizzle, and lanes it has no cost for count as
// NEUTRAL; on smooth surfaces most neighbours share the base and need no shift.
//
// Contracts (pointers are byte offsets, 16-byte aligned; rows are w full-resolution pixels; a
// u16x8 row is 16 bytes per x, an i32 row 4; NONE is the base of a pixel without one):
// - refineCostRow(cl, ls, crr, rs, cdisp, cvalid, cw, up, dn, out, bases, w, minD, maxD): for
//   each x, the coarse pixel is cx = min(cw - 1, x >> 1) of the f32 row cdisp (u8 validity
//   cvalid); up and dn are the element offsets of the coarse rows above and below (0 where there
//   is none). Its disparity c is cdisp[cx] where that is valid; in a coarse hole, the mean of its
//   row neighbours cx -/+ 1, else of its column neighbours, where both are valid and agree
//   within FILL_AGREEMENT. Where there is a c, bases[x] = round(2 * c) - REFINE_RADIUS and lane j of out[x]
//   is the Census Hamming distance between left x and right x - (bases[x] + j), or MAX_COST
//   where that right pixel is outside the row or bases[x] + j is outside [minD, maxD];
//   elsewhere bases[x] = NONE and every lane is NEUTRAL. Census planes as costRow reads them:
//   the left row's at cl (ls apart), the right row's mirrored, element 0 of plane 0 at crr (rs
//   apart), readable for 16 bytes beyond any band.
// - refineBoxRow(in, bases, out, w): out[x] = sum over q = clamp(x + i), i in -2..2, of in[q]
//   moved to bases[x] (as is when either base is NONE).
// - refineSelectRow(r0, b0, r1, b1, r2, b2, r3, b3, r4, b4, w, minD, maxD, subpixel, disp,
//   valid): the window sums of five refineBoxRow rows (u16x8 rows r0..r4, their bases b0..b4),
//   each moved to the centre row's base b2[x]; the first minimum over lanes 0..REFINE_BAND-1.
//   The pixel is rejected (disp NaN, valid 0) where b2[x] is NONE, where the minimum is on the
//   band's edge (the true one may lie outside it), where it exceeds 25 * REFINE_MAX_MEAN_COST,
//   where a base of b0..b4 at x or of b2 at x -/+ 2 differs from b2[x] by more than REFINE_MAX_JUMP,
//   or where the disparity leaves [minD, maxD];
//   else disp[x] = b2[x] + lane, plus the parabola offset when subpixel is 1. (The coarse match
//   already passed the uniqueness and left-right checks.)
// REFINE_RADIUS, FILL_AGREEMENT, REFINE_MAX_JUMP and the coarse-map look-ups are in
// sgm_simd_refine_coarse_wat.ts.

import { COARSE, COARSE_JUMP, NONE, REFINE_MAX_JUMP, at4 } from './sgm_simd_refine_coarse_wat';
import { hmin } from './sgm_wat_macros';

/** Disparities searched per pixel around twice the coarse one: -3 .. +3. */
export const REFINE_BAND = 7;
/**
 * Largest mean Census cost (differing bits of 24) over the 5x5 window at the winner. A worse best
 * match is an occlusion, a coarse disparity from another surface, or a band that missed: on the
 * stereo bench, rejecting above 10 took Aloe's bad-2 from 4.8 % to 3.8 % and the corridor's from
 * 1.1 % to 0.8 % for about one point of density (8: 2.4 % and 0.3 %, for 3 and 5 points).
 */
export const REFINE_MAX_MEAN_COST = 10;
/** Cost of a lane without a match (no coarse disparity, or outside a neighbour's band): mid-range, favouring none. */
const NEUTRAL = 12;
const MAX_COST = 24;

const clampLane = (v: string) =>
  `(select (i32.const -1) (select (i32.const 16) ${v} (i32.gt_s ${v} (i32.const 16))) (i32.lt_s ${v} (i32.const -1)))`;

/**
 * Moves the u16x8 local `v`, whose lane j is disparity `from` + j, to lanes of disparity `to` + j
 * (i32 expressions); lanes it has no value for become `neutral` (u16x8 local). As is when the
 * bases are equal or either is NONE. Uses $dl (i32) and $ix (v128).
 */
function moved(v: string, from: string, to: string, neutral: string): string {
  return `(block (result v128)
    (local.set $dl (i32.sub ${from} ${to}))
    (if (result v128) (i32.or (i32.eqz (local.get $dl)) (i32.or (i32.eq ${from} (i32.const ${NONE})) (i32.eq ${to} (i32.const ${NONE}))))
      (then (local.get ${v}))
      (else
        (local.set $dl (select (i32.const -8) (select (i32.const 8) (local.get $dl) (i32.gt_s (local.get $dl) (i32.const 8))) (i32.lt_s (local.get $dl) (i32.const -8))))
        (local.set $ix (i8x16.sub (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (i8x16.splat (i32.shl (local.get $dl) (i32.const 1)))))
        (v128.bitselect (i8x16.swizzle (local.get ${v}) (local.get $ix)) (local.get ${neutral})
          (i8x16.lt_u (local.get $ix) (i8x16.splat (i32.const 16)))))))`;
}

const at16 = (row: string, x: string) => `(i32.add (local.get ${row}) (i32.shl ${x} (i32.const 4)))`;

/** Operands comparing the base at x of i32 row `b` with $base. */
const base4 = (b: string) => `(i32.load ${at4(b, '(local.get $x)')}) (local.get $base)`;

/** Adds row `r` (u16x8, bases `b`) at x, moved to base $base, into $s. */
function addRow(r: string, b: string): string {
  return `(local.set $v (v128.load ${at16(r, '(local.get $x)')}))
        (local.set $s (i16x8.add (local.get $s) ${moved('$v', `(i32.load ${at4(b, '(local.get $x)')})`, '(local.get $base)', '$nv')}))`;
}

export const REFINE_WAT = `
  (func (export "refineCostRow") (param $cl i32) (param $ls i32) (param $crr i32) (param $rs i32) (param $cdisp i32)
      (param $cvalid i32) (param $cw i32) (param $up i32) (param $dn i32) (param $out i32) (param $bases i32) (param $w i32) (param $minD i32) (param $maxD i32)
    (local $x i32) (local $cx i32) (local $ok i32) (local $base i32) (local $src i32) (local $lo i32) (local $hi i32)
    (local $c v128) (local $in v128)
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $x) (local.get $w)))
      ${COARSE}
      (if (local.get $ok)
        (then
          (local.set $src (i32.add (local.get $crr) (i32.add (i32.sub (i32.sub (local.get $w) (i32.const 1)) (local.get $x)) (local.get $base))))
          (local.set $c
            (i8x16.add
              (i8x16.add
                (i8x16.popcnt (v128.xor (i8x16.splat (i32.load8_u (i32.add (local.get $cl) (local.get $x)))) (v128.load align=1 (local.get $src))))
                (i8x16.popcnt (v128.xor (i8x16.splat (i32.load8_u (i32.add (i32.add (local.get $cl) (local.get $ls)) (local.get $x))))
                  (v128.load align=1 (i32.add (local.get $src) (local.get $rs))))))
              (i8x16.popcnt (v128.xor (i8x16.splat (i32.load8_u (i32.add (i32.add (local.get $cl) (i32.shl (local.get $ls) (i32.const 1))) (local.get $x))))
                (v128.load align=1 (i32.add (local.get $src) (i32.shl (local.get $rs) (i32.const 1))))))))
          ;; lane j is a match when base + j lies in [max(minD, x - w + 1), min(maxD, x)]
          (local.set $lo (i32.sub (select (local.get $minD) (i32.sub (i32.add (local.get $x) (i32.const 1)) (local.get $w))
            (i32.gt_s (local.get $minD) (i32.sub (i32.add (local.get $x) (i32.const 1)) (local.get $w)))) (local.get $base)))
          (local.set $hi (i32.sub (select (local.get $maxD) (local.get $x) (i32.lt_s (local.get $maxD) (local.get $x))) (local.get $base)))
          (if (i32.or (i32.gt_s (local.get $lo) (i32.const 0)) (i32.lt_s (local.get $hi) (i32.const 7))) (then
            (local.set $in (v128.and
              (i8x16.ge_s (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (i8x16.splat ${clampLane('(local.get $lo)')}))
              (i8x16.le_s (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15) (i8x16.splat ${clampLane('(local.get $hi)')}))))
            (local.set $c (v128.bitselect (local.get $c) (i8x16.splat (i32.const ${MAX_COST})) (local.get $in)))))
          (v128.store ${at16('$out', '(local.get $x)')} (i16x8.extend_low_i8x16_u (local.get $c))))
        (else
          (local.set $base (i32.const ${NONE}))
          (v128.store ${at16('$out', '(local.get $x)')} (i16x8.splat (i32.const ${NEUTRAL})))))
      (i32.store ${at4('$bases', '(local.get $x)')} (local.get $base))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br $l))))

  (func (export "refineBoxRow") (param $in i32) (param $bases i32) (param $out i32) (param $w i32)
    (local $x i32) (local $q i32) (local $i i32) (local $dl i32) (local $base i32) (local $s v128) (local $v v128) (local $ix v128)
    (local $nv v128)
    (local.set $nv (i16x8.splat (i32.const ${NEUTRAL})))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $x) (local.get $w)))
      (local.set $base (i32.load ${at4('$bases', '(local.get $x)')}))
      (local.set $s (v128.load ${at16('$in', '(local.get $x)')}))
      (if (i32.and
            (i32.and (i32.ge_s (local.get $x) (i32.const 2)) (i32.lt_s (local.get $x) (i32.sub (local.get $w) (i32.const 2))))
            (i32.and (i32x4.all_true (i32x4.eq (v128.load ${at4('$bases', '(i32.sub (local.get $x) (i32.const 2))')}) (i32x4.splat (local.get $base))))
              (i32.eq (i32.load ${at4('$bases', '(i32.add (local.get $x) (i32.const 2))')}) (local.get $base))))
        (then
          ;; the usual case: all five at one base, inside the row
          (local.set $q ${at16('$in', '(local.get $x)')})
          (local.set $s (i16x8.add (i16x8.add (i16x8.add (v128.load (i32.sub (local.get $q) (i32.const 32))) (v128.load (i32.sub (local.get $q) (i32.const 16))))
            (i16x8.add (local.get $s) (v128.load offset=16 (local.get $q)))) (v128.load offset=32 (local.get $q)))))
        (else
          (local.set $i (i32.const -2))
          (block $idone (loop $il
            (br_if $idone (i32.gt_s (local.get $i) (i32.const 2)))
            (if (local.get $i) (then
              (local.set $q (i32.add (local.get $x) (local.get $i)))
              (local.set $q (select (i32.const 0) (local.get $q) (i32.lt_s (local.get $q) (i32.const 0))))
              (local.set $q (select (i32.sub (local.get $w) (i32.const 1)) (local.get $q) (i32.ge_s (local.get $q) (local.get $w))))
              (local.set $v (v128.load ${at16('$in', '(local.get $q)')}))
              (local.set $s (i16x8.add (local.get $s) ${moved('$v', `(i32.load ${at4('$bases', '(local.get $q)')})`, '(local.get $base)', '$nv')}))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $il)))))
      (v128.store ${at16('$out', '(local.get $x)')} (local.get $s))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br $l))))

  (func (export "refineSelectRow") (param $r0 i32) (param $b0 i32) (param $r1 i32) (param $b1 i32) (param $r2 i32) (param $b2 i32)
      (param $r3 i32) (param $b3 i32) (param $r4 i32) (param $b4 i32) (param $w i32) (param $minD i32) (param $maxD i32)
      (param $subpixel i32) (param $disp i32) (param $valid i32)
    (local $x i32) (local $ok i32) (local $base i32) (local $k i32) (local $best i32) (local $dl i32) (local $jump i32) (local $q i32)
    (local $a i32) (local $c i32) (local $den i32) (local $d f32) (local $s v128) (local $t v128) (local $v v128) (local $ix v128)
    (local $nv v128)
    (local.set $nv (i16x8.splat (i32.const ${5 * NEUTRAL})))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $x) (local.get $w)))
      (local.set $base (i32.load ${at4('$b2', '(local.get $x)')}))
      (local.set $ok (i32.ne (local.get $base) (i32.const ${NONE})))
      (if (local.get $ok) (then
        (local.set $s (v128.load ${at16('$r2', '(local.get $x)')}))
        (if (i32.and (i32.and (i32.eq ${base4('$b0')}) (i32.eq ${base4('$b1')})) (i32.and (i32.eq ${base4('$b3')}) (i32.eq ${base4('$b4')})))
          (then
            ;; the usual case: all five rows at the centre's base
            (local.set $s (i16x8.add (i16x8.add (i16x8.add (local.get $s) (v128.load ${at16('$r0', '(local.get $x)')}))
              (i16x8.add (v128.load ${at16('$r1', '(local.get $x)')}) (v128.load ${at16('$r3', '(local.get $x)')})))
              (v128.load ${at16('$r4', '(local.get $x)')}))))
          (else
            ${addRow('$r0', '$b0')}
            ${addRow('$r1', '$b1')}
            ${addRow('$r3', '$b3')}
            ${addRow('$r4', '$b4')}))
        ;; lanes past the band never win
        (local.set $s (v128.or (local.get $s) (v128.const i16x8 ${Array.from({ length: 8 }, (_, j) => (j < REFINE_BAND ? 0 : -1)).join(' ')})))
        (local.set $t (local.get $s))
        (local.set $best ${hmin('$t', 'i16x8')})
        (local.set $k (i32.ctz (i16x8.bitmask (i16x8.eq (local.get $s) (i16x8.splat (local.get $best))))))
        (local.set $ok (i32.and (i32.gt_s (local.get $k) (i32.const 0)) (i32.lt_s (local.get $k) (i32.const ${REFINE_BAND - 1}))))
        (local.set $ok (i32.and (local.get $ok) (i32.le_u (local.get $best) (i32.const ${25 * REFINE_MAX_MEAN_COST}))))
        ${COARSE_JUMP}
        (local.set $ok (i32.and (local.get $ok) (i32.le_u (local.get $jump) (i32.const ${REFINE_MAX_JUMP}))))
        ;; lanes k-1 and k+1 into lanes 0 and 2 (bytes 2(k-1) ..)
        (local.set $t (i8x16.swizzle (local.get $s) (i8x16.add (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
          (i8x16.splat (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 1))))))
        (local.set $a (i16x8.extract_lane_u 0 (local.get $t)))
        (local.set $c (i16x8.extract_lane_u 2 (local.get $t)))
        (local.set $d (f32.convert_i32_s (i32.add (local.get $base) (local.get $k))))
        (if (local.get $subpixel) (then
          (local.set $den (i32.sub (i32.add (local.get $a) (local.get $c)) (i32.shl (local.get $best) (i32.const 1))))
          (if (i32.gt_s (local.get $den) (i32.const 0)) (then
            (local.set $d (f32.add (local.get $d) (f32.div (f32.convert_i32_s (i32.sub (local.get $a) (local.get $c)))
              (f32.convert_i32_s (i32.shl (local.get $den) (i32.const 1))))))))))
        (local.set $ok (i32.and (local.get $ok) (i32.and (f32.ge (local.get $d) (f32.convert_i32_s (local.get $minD)))
          (f32.le (local.get $d) (f32.convert_i32_s (local.get $maxD))))))))
      (f32.store ${at4('$disp', '(local.get $x)')} (select (local.get $d) (f32.const nan) (local.get $ok)))
      (i32.store8 (i32.add (local.get $valid) (local.get $x)) (local.get $ok))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br $l))))
`;
