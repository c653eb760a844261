// WebAssembly SIMD text of the 5x5 Census transform, 16 pixels per step, spliced into the SGM
// module (sgm_simd_wat.ts). In plain JavaScript the transform took about a sixth of a frame's
// CPU on Aloe (24 byte loads and compares per pixel); here each compare covers 16 pixels.
//
// Contract: censusRow(img, w, y, out, reverse, ps) writes the Census words of the interior pixels
// x in [2, w - 2) of row y (2 <= y < h - 2, w >= 20) of the u8 image at img: bit 23 - k of a
// word is set when neighbour k (row-major over the 5x5 window, centre skipped) is darker than
// the centre, as censusRows in sgm_kernels.ts defines it. Words are stored as three byte planes
// ps bytes apart (bits 23..16 at out, 15..8 at out + ps, 7..0 at out + 2 ps): pixel x goes to
// byte x of each, or to byte w - 1 - x when reverse is 1 (the right image, stored mirrored for
// the cost kernel). The last 16-pixel step is moved left to end at w - 2, so it overlaps the
// previous one instead of reading past the row; the caller writes the two border columns each
// side.

/** Reverses the order of the 16 bytes. */
const REVERSE_BYTES = Array.from({ length: 16 }, (_, i) => 15 - i).join(' ');

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

/** Stores the 16 bytes of plane `p` (local $g<p>) where reverse says. */
function storePlane(p: number): string {
  const at = (base: string) => `(i32.add (local.get ${base}) (i32.mul (local.get $ps) (i32.const ${p})))`;
  return `(if (local.get $reverse)
        (then (v128.store align=1 ${at('$ro')} (i8x16.shuffle ${REVERSE_BYTES} (local.get $g${p}) (local.get $g${p}))))
        (else (v128.store align=1 ${at('$o')} (local.get $g${p}))))`;
}

export const CENSUS_ROW_WAT = `
  (func (export "censusRow") (param $img i32) (param $w i32) (param $y i32) (param $out i32) (param $reverse i32) (param $ps i32)
    (local $x i32) (local $last i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $r4 i32)
    (local $o i32) (local $ro i32) (local $c v128) (local $g0 v128) (local $g1 v128) (local $g2 v128)
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
      (local.set $o (i32.add (local.get $out) (local.get $x)))
      (local.set $ro (i32.add (local.get $out) (i32.sub (i32.sub (local.get $w) (i32.const 16)) (local.get $x))))
      ${storePlane(0)}
      ${storePlane(1)}
      ${storePlane(2)}
      (br_if $done (i32.ge_s (local.get $x) (local.get $last)))
      (local.set $x (select (i32.add (local.get $x) (i32.const 16)) (local.get $last)
        (i32.lt_s (i32.add (local.get $x) (i32.const 16)) (local.get $last))))
      (br $xloop))))
`;
