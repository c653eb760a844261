// WebAssembly text of the coarse-to-fine refinement's look at the coarse map (sgm_simd_refine_wat.ts
// splices it into its kernels): each full-resolution pixel's band base from its coarse pixel, or
// from the two agreeing sides of a coarse hole, and the largest step of the coarse map inside a
// pixel's window, where the band may have locked onto the other surface of a depth edge.

/** Base of a pixel without a coarse disparity. */
export const NONE = -0x40000000;
/** How far below twice the coarse disparity the band starts. */
export const REFINE_RADIUS = 3;
/**
 * Largest disagreement, in coarse pixels, between the two sides of a coarse hole whose mean
 * seeds the band. On the stereo bench, filling holes from agreeing row or column neighbours
 * took the corridor frame's density from 94.6 % to 95.1 % (bad-2 0.79 % -> 0.86 %) and Aloe's
 * from 84.5 % to 85.4 % (bad-2 3.76 % -> 4.06 %, still under 3WAY's 4.42 %); diagonal or
 * 2-pixel-wide pairs added under 0.1 point more, each at more outliers at depth edges.
 */
const FILL_AGREEMENT = 1;

export const at4 = (row: string, x: string) => `(i32.add (local.get ${row}) (i32.shl ${x} (i32.const 2)))`;

/** The band's first disparity for a doubled coarse disparity `d2` (f32 local). */
function bandBase(d2: string): string {
  return `(i32.sub (i32.trunc_sat_f32_s (f32.nearest ${d2})) (i32.const ${REFINE_RADIUS}))`;
}

const coarseAt = (cx: string) => `(f32.load (i32.add (local.get $cdisp) (i32.shl ${cx} (i32.const 2))))`;
const validAt = (cx: string) => `(i32.load8_u (i32.add (local.get $cvalid) ${cx}))`;

/**
 * Where $ok is 0, a coarse hole between the valid coarse pixels `a` and `b` (i32 expressions, in
 * the row when `inBounds`) that agree within FILL_AGREEMENT gets the band of their mean; the
 * full-resolution cost then confirms or rejects it like any other pixel. Holes inside a surface
 * (uniqueness or speckle losses) are filled; occlusions and depth edges, whose two sides
 * disagree, stay invalid.
 */
function pairFill(a: string, b: string, inBounds: string): string {
  return `(if (i32.and (i32.eqz (local.get $ok)) ${inBounds}) (then
        (if (i32.and (i32.and ${validAt(a)} ${validAt(b)})
              (f32.le (f32.abs (f32.sub ${coarseAt(a)} ${coarseAt(b)})) (f32.const ${FILL_AGREEMENT})))
          (then (local.set $ok (i32.const 1)) (local.set $base ${bandBase(`(f32.add ${coarseAt(a)} ${coarseAt(b)})`)})))))`;
}

/** Sets $ok to 1 when coarse pixel x >> 1 is valid or a fillable hole, and then $base; uses $cx. */
export const COARSE = `(local.set $cx (i32.shr_u (local.get $x) (i32.const 1)))
      (if (i32.ge_s (local.get $cx) (local.get $cw)) (then (local.set $cx (i32.sub (local.get $cw) (i32.const 1)))))
      (local.set $ok ${validAt('(local.get $cx)')})
      (if (local.get $ok) (then
        (local.set $base ${bandBase(`(f32.mul (f32.const 2) ${coarseAt('(local.get $cx)')})`)})))
      ${pairFill(
        '(i32.sub (local.get $cx) (i32.const 1))',
        '(i32.add (local.get $cx) (i32.const 1))',
        '(i32.and (i32.ge_s (local.get $cx) (i32.const 1)) (i32.lt_s (i32.add (local.get $cx) (i32.const 1)) (local.get $cw)))',
      )}
      ${pairFill(
        '(i32.add (local.get $cx) (local.get $up))',
        '(i32.add (local.get $cx) (local.get $dn))',
        '(i32.and (i32.ne (local.get $up) (i32.const 0)) (i32.ne (local.get $dn) (i32.const 0)))',
      )}`;

/**
 * Largest difference, in full-resolution disparities, between a pixel's band base and the bases
 * its 5x5 window spans (rows above and below, 2 px left and right). A larger step is a depth edge
 * in the coarse map, where the band often locks onto the other surface: the pixel is rejected.
 * On the stereo bench, 8 cut the outliers (> 4 px off) at true depth edges by about a quarter on
 * the corridor frame and Aloe, with density and bad-2 still better than without the hole fill
 * (5 cut more but lost density on Aloe; 3 lost a point of density).
 */
export const REFINE_MAX_JUMP = 8;

/** |`a` - $base| (i32 expression), 0 where `a` is NONE; uses $dl. */
function baseDiff(a: string): string {
  return `(block (result i32)
    (local.set $dl ${a})
    (if (result i32) (i32.eq (local.get $dl) (i32.const ${NONE}))
      (then (i32.const 0))
      (else
        (local.set $dl (i32.sub (local.get $dl) (local.get $base)))
        (select (local.get $dl) (i32.sub (i32.const 0) (local.get $dl)) (i32.ge_s (local.get $dl) (i32.const 0))))))`;
}

/**
 * Sets $jump to the largest difference between the centre's base and the bases the window spans:
 * the other four rows at x, and the centre row at x - 2 and x + 2 (clamped). Uses $q and $dl.
 */
export const COARSE_JUMP = `(local.set $jump (i32.const 0))
        ${[
          `(i32.load ${at4('$b0', '(local.get $x)')})`,
          `(i32.load ${at4('$b1', '(local.get $x)')})`,
          `(i32.load ${at4('$b3', '(local.get $x)')})`,
          `(i32.load ${at4('$b4', '(local.get $x)')})`,
          `(i32.load ${at4('$b2', '(select (i32.const 0) (i32.sub (local.get $x) (i32.const 2)) (i32.lt_s (local.get $x) (i32.const 2)))')})`,
          `(i32.load ${at4('$b2', '(select (i32.sub (local.get $w) (i32.const 1)) (i32.add (local.get $x) (i32.const 2)) (i32.ge_s (i32.add (local.get $x) (i32.const 2)) (local.get $w)))')})`,
        ]
          .map(
            (e) => `(local.set $q ${baseDiff(e)})
        (if (i32.gt_u (local.get $q) (local.get $jump)) (then (local.set $jump (local.get $q))))`,
          )
          .join('\n        ')}`;
