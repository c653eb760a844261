// WebAssembly SIMD text of the 5x5 Census transform, 16 pixels per step, spliced into the SGM
// module (sgm_simd_wat.ts). In plain JavaScript the transform took about a sixth of a frame's
// CPU on Aloe (24 byte loads and compares per pixel); here each compare covers 16 pixels.
//
// Contract: censusRow(img, w, y, out, reverse) writes the Census words of the interior pixels
// x in [2, w - 2) of row y (2 <= y < h - 2, w >= 20) of the u8 image at img: bit 23 - k of a
// word is set when neighbour k (row-major over the 5x5 window, centre skipped) is darker than
// the centre, as censusRows in sgm_kernels.ts defines it. Pixel x goes to the u32 out[x], or to
// out[w - 1 - x] when reverse is 1 (the right image, stored mirrored for the cost kernel). The
// last 16-pixel step is moved left to end at w - 2, so it overlaps the previous one instead of
// reading past the row; the caller writes the two border columns each side.

/** Lane immediates of an i8x16.shuffle. */
const lanes = (v: number[]) => v.join(' ');
const range = (from: number, n: number, step = 1) => Array.from({ length: n }, (_, i) => from + i * step);

/** Interleaves the bytes of two vectors' low (half 0) or high (half 1) halves. */
const zipBytes = (half: number) => lanes(range(8 * half, 8).flatMap((i) => [i, i + 16]));
/** Interleaves u16 lanes: quarter q of the result holds lanes 4q'..4q'+3 of a and b pairwise. */
const zipShorts = (half: number) => lanes(range(4 * half, 4).flatMap((i) => [2 * i, 2 * i + 1, 2 * i + 16, 2 * i + 17]));
/** Reverses the order of the four u32 lanes. */
const REVERSE_U32 = lanes([12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3]);

/** Or-s the compare bits of the 24 neighbours into $g0 (neighbours 0..7), $g1, $g2. */
function neighbourBits(): string {
  const out: string[] = [];
  let k = 0;
  for (let dy = -2; dy <= 2; dy++) {
    for (let dx = -2; dx <= 2; dx++) {
      if (dx === 0 && dy === 0) continue;
      const g = `$g${k >> 3}`;
      const bit = 1 << (7 - (k & 7));
      const row = `$r${dy + 2}`;
      // dx < 0 cannot be a load offset (offsets are unsigned), so it is folded into the address.
      const addr = dx < 0 ? `(i32.sub (local.get ${row}) (i32.const ${-dx}))` : `(local.get ${row})`;
      const off = dx > 0 ? ` offset=${dx}` : '';
      out.push(`(local.set ${g} (v128.or (local.get ${g}) (v128.and (i8x16.splat (i32.const ${bit}))
        (i8x16.lt_u (v128.load${off} align=1 ${addr}) (local.get $c)))))`);
      k++;
    }
  }
  return out.join('\n      ');
}

/** Stores the u32 vector `v` (pixels 4q..4q+3 of the step) at the place reverse or not says. */
function storeQuarter(q: number, v: string): string {
  return `(if (local.get $reverse)
        (then (v128.store offset=${16 * (3 - q)} align=4 (local.get $ro) (i8x16.shuffle ${REVERSE_U32} ${v} ${v})))
        (else (v128.store offset=${16 * q} align=4 (local.get $o) ${v})))`;
}

export const CENSUS_ROW_WAT = `
  (func (export "censusRow") (param $img i32) (param $w i32) (param $y i32) (param $out i32) (param $reverse i32)
    (local $x i32) (local $last i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $r4 i32)
    (local $o i32) (local $ro i32) (local $c v128) (local $g0 v128) (local $g1 v128) (local $g2 v128)
    (local $lo v128) (local $hi v128) (local $e0 v128) (local $e1 v128)
    (local.set $last (i32.sub (local.get $w) (i32.const 18)))
    (local.set $x (i32.const 2))
    (block $done (loop $xloop
      (local.set $r2 (i32.add (i32.add (local.get $img) (i32.mul (local.get $y) (local.get $w))) (local.get $x)))
      (local.set $r0 (i32.sub (local.get $r2) (i32.shl (local.get $w) (i32.const 1))))
      (local.set $r1 (i32.sub (local.get $r2) (local.get $w)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $w)))
      (local.set $r4 (i32.add (local.get $r2) (i32.shl (local.get $w) (i32.const 1))))
      (local.set $c (v128.load align=1 (local.get $r2)))
      (local.set $g0 (v128.const i32x4 0 0 0 0))
      (local.set $g1 (v128.const i32x4 0 0 0 0))
      (local.set $g2 (v128.const i32x4 0 0 0 0))
      ${neighbourBits()}
      ;; word = g0 << 16 | g1 << 8 | g2, one u32 per pixel
      (local.set $lo (i8x16.shuffle ${zipBytes(0)} (local.get $g2) (local.get $g1)))
      (local.set $hi (i8x16.shuffle ${zipBytes(1)} (local.get $g2) (local.get $g1)))
      (local.set $e0 (i16x8.extend_low_i8x16_u (local.get $g0)))
      (local.set $e1 (i16x8.extend_high_i8x16_u (local.get $g0)))
      (local.set $o (i32.add (local.get $out) (i32.shl (local.get $x) (i32.const 2))))
      (local.set $ro (i32.add (local.get $out) (i32.shl (i32.sub (i32.sub (local.get $w) (i32.const 16)) (local.get $x)) (i32.const 2))))
      ${storeQuarter(0, `(i8x16.shuffle ${zipShorts(0)} (local.get $lo) (local.get $e0))`)}
      ${storeQuarter(1, `(i8x16.shuffle ${zipShorts(1)} (local.get $lo) (local.get $e0))`)}
      ${storeQuarter(2, `(i8x16.shuffle ${zipShorts(0)} (local.get $hi) (local.get $e1))`)}
      ${storeQuarter(3, `(i8x16.shuffle ${zipShorts(1)} (local.get $hi) (local.get $e1))`)}
      (br_if $done (i32.ge_s (local.get $x) (local.get $last)))
      (local.set $x (select (i32.add (local.get $x) (i32.const 16)) (local.get $last)
        (i32.lt_s (i32.add (local.get $x) (i32.const 16)) (local.get $last))))
      (br $xloop))))
`;
