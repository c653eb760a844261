// Expression builders shared by the SGM WebAssembly text modules, expanded in place: V8 (Node
// 20) does not inline wasm calls, and a call per 16 lanes costs as much as the arithmetic.
// Path costs and their sums are u8 lanes (see sgm_simd_wat.ts for why they fit), so one
// instruction covers 16 disparities.

/** Horizontal minimum of the unsigned lanes (u8, or u16 with `i16x8`) of local `v` (clobbers it), as an i32. */
export function hmin(v: string, shape: 'i8x16' | 'i16x8' = 'i8x16'): string {
  const step = (lanes: string) =>
    `(local.set ${v} (${shape}.min_u (local.get ${v}) (i8x16.shuffle ${lanes} (local.get ${v}) (local.get ${v}))))`;
  const steps = ['8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7', '4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3', '2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1'];
  if (shape === 'i8x16') steps.push('1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0');
  return `(block (result i32)
    ${steps.map(step).join('\n    ')}
    (${shape}.extract_lane_u 0 (local.get ${v})))`;
}

/**
 * One arg-min step over 16 u8 sums in local `v`: lanes of $mn keep their minimum and $bi the
 * 16-disparity block it was found in ($blk holds the block of `v`, advanced here; at most 32
 * blocks, as numDisparities <= 512). Strictly less: each lane keeps its first minimum.
 */
export function argminStep(v: string): string {
  return `(local.set $lt (i8x16.lt_u (local.get ${v}) (local.get $mn)))
        (local.set $mn (i8x16.min_u (local.get $mn) (local.get ${v})))
        (local.set $bi (v128.bitselect (local.get $blk) (local.get $bi) (local.get $lt)))
        (local.set $blk (i8x16.add (local.get $blk) (i8x16.splat (i32.const 1))))`;
}

/** Starts an arg-min: $mn at the largest sum, $bi and $blk at block 0. */
export const ARGMIN_START = `(local.set $mn (i8x16.splat (i32.const 255)))
      (local.set $bi (v128.const i32x4 0 0 0 0))
      (local.set $blk (v128.const i32x4 0 0 0 0))`;

/** Ends an arg-min as an i32: (first minimum's disparity) | (its sum << 16); uses $h, $eq, $minS, $minB. */
export function argminResult(): string {
  return `(block (result i32)
      (local.set $h (local.get $mn))
      (local.set $minS ${hmin('$h')})
      (local.set $eq (i8x16.eq (local.get $mn) (i8x16.splat (local.get $minS))))
      ;; the earliest block among the lanes that hold the minimum, then the first such lane in it
      (local.set $h (v128.or (local.get $bi) (v128.not (local.get $eq))))
      (local.set $minB ${hmin('$h')})
      (i32.or
        (i32.add (i32.shl (local.get $minB) (i32.const 4))
          (i32.ctz (i8x16.bitmask (v128.and (local.get $eq) (i8x16.eq (local.get $bi) (i8x16.splat (local.get $minB)))))))
        (i32.shl (local.get $minS) (i32.const 16))))`;
}

/** Locals the arg-min macros use. */
export const ARGMIN_LOCALS =
  '(local $mn v128) (local $bi v128) (local $blk v128) (local $lt v128) (local $h v128) (local $eq v128) (local $minS i32) (local $minB i32)';
