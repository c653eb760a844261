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
