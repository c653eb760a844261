// Expression builders shared by the SGM WebAssembly text modules, expanded in place: V8 (Node
// 20) does not inline wasm calls, and a call per 8 or 16 lanes costs as much as the arithmetic.

/** Horizontal minimum of the u16 lanes of local `v` (clobbers it), as an i32. */
export function hmin(v: string): string {
  const step = (lanes: string) =>
    `(local.set ${v} (i16x8.min_u (local.get ${v}) (i8x16.shuffle ${lanes} (local.get ${v}) (local.get ${v}))))`;
  return `(block (result i32)
    ${step('8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7')}
    ${step('4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3')}
    ${step('2 3 0 1 2 3 0 1 2 3 0 1 2 3 0 1')}
    (i16x8.extract_lane_u 0 (local.get ${v})))`;
}

/**
 * One arg-min step over 8 u16 sums in local `v`: lanes of $mn keep their minimum and $bi its
 * disparity ($idx holds the 8 disparities of `v`, advanced here). Strictly less: each lane
 * keeps its first minimum.
 */
export function argminStep(v: string): string {
  return `(local.set $lt (i16x8.lt_u (local.get ${v}) (local.get $mn)))
        (local.set $mn (i16x8.min_u (local.get $mn) (local.get ${v})))
        (local.set $bi (v128.bitselect (local.get $idx) (local.get $bi) (local.get $lt)))
        (local.set $idx (i16x8.add (local.get $idx) (i16x8.splat (i32.const 8))))`;
}

/** Starts an arg-min: $mn at the largest sum, $bi at 0, $idx at disparities 0..7. */
export const ARGMIN_START = `(local.set $mn (i16x8.splat (i32.const 65535)))
      (local.set $bi (v128.const i32x4 0 0 0 0))
      (local.set $idx (v128.const i16x8 0 1 2 3 4 5 6 7))`;

/** Ends an arg-min as an i32: (first minimum's disparity) | (its sum << 16); uses $h, $minS. */
export function argminResult(): string {
  return `(block (result i32)
      (local.set $h (local.get $mn))
      (local.set $minS ${hmin('$h')})
      ;; the smallest disparity among the lanes that hold the minimum
      (local.set $h (v128.or (local.get $bi) (v128.not (i16x8.eq (local.get $mn) (i16x8.splat (local.get $minS))))))
      (i32.or ${hmin('$h')} (i32.shl (local.get $minS) (i32.const 16))))`;
}

/** Locals the arg-min macros use. */
export const ARGMIN_LOCALS = '(local $mn v128) (local $bi v128) (local $idx v128) (local $lt v128) (local $h v128) (local $minS i32)';
