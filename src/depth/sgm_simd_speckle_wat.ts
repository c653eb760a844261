// WebAssembly text of the speckle filter, spliced into the SGM module (sgm_simd_wat.ts). The
// breadth-first search is scalar, but in JavaScript it cost about a sixth of a frame's CPU (a
// float compare, a division and four bounds checks per pixel, through typed-array views); here
// it is a few plain loads per neighbour.
//
// Contract: filterSpeckles(disp, valid, seen, queue, w, h, windowSize, range) over the f32
// disparities and u8 validity of a w x h image marks invalid (valid 0, disparity NaN) every
// 4-connected region of valid pixels whose neighbouring disparities differ by at most range
// (compared in f64, as JavaScript does) and which holds fewer than windowSize pixels. seen
// (u8) and queue (i32) are w * h scratch arrays.

/** Visits neighbour `q` (an i32 expression) of the pixel whose disparity is in $dp. */
function visit(q: string): string {
  return `(local.set $q ${q})
          (if (i32.and (i32.load8_u (i32.add (local.get $valid) (local.get $q)))
                (i32.eqz (i32.load8_u (i32.add (local.get $seen) (local.get $q)))))
            (then (if (f64.le (f64.abs (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $disp) (i32.shl (local.get $q) (i32.const 2)))))
                    (local.get $dp))) (local.get $range))
              (then
                (i32.store8 (i32.add (local.get $seen) (local.get $q)) (i32.const 1))
                (i32.store (i32.add (local.get $queue) (i32.shl (local.get $tail) (i32.const 2))) (local.get $q))
                (local.set $tail (i32.add (local.get $tail) (i32.const 1)))))))`;
}

export const SPECKLE_WAT = `
  (func (export "filterSpeckles") (param $disp i32) (param $valid i32) (param $seen i32) (param $queue i32)
      (param $w i32) (param $h i32) (param $windowSize i32) (param $range f64)
    (local $n i32) (local $start i32) (local $head i32) (local $tail i32) (local $p i32) (local $q i32) (local $x i32)
    (local $k i32) (local $dp f64)
    (local.set $n (i32.mul (local.get $w) (local.get $h)))
    (memory.fill (local.get $seen) (i32.const 0) (local.get $n))
    (block $done (loop $starts
      (br_if $done (i32.ge_u (local.get $start) (local.get $n)))
      (if (i32.and (i32.load8_u (i32.add (local.get $valid) (local.get $start)))
            (i32.eqz (i32.load8_u (i32.add (local.get $seen) (local.get $start)))))
        (then
          (i32.store8 (i32.add (local.get $seen) (local.get $start)) (i32.const 1))
          (i32.store (local.get $queue) (local.get $start))
          (local.set $head (i32.const 0))
          (local.set $tail (i32.const 1))
          (block $empty (loop $bfs
            (br_if $empty (i32.ge_u (local.get $head) (local.get $tail)))
            (local.set $p (i32.load (i32.add (local.get $queue) (i32.shl (local.get $head) (i32.const 2)))))
            (local.set $head (i32.add (local.get $head) (i32.const 1)))
            (local.set $dp (f64.promote_f32 (f32.load (i32.add (local.get $disp) (i32.shl (local.get $p) (i32.const 2))))))
            (local.set $x (i32.rem_u (local.get $p) (local.get $w)))
            (if (i32.gt_u (local.get $x) (i32.const 0)) (then ${visit('(i32.sub (local.get $p) (i32.const 1))')}))
            (if (i32.lt_u (local.get $x) (i32.sub (local.get $w) (i32.const 1))) (then ${visit('(i32.add (local.get $p) (i32.const 1))')}))
            (if (i32.ge_u (local.get $p) (local.get $w)) (then ${visit('(i32.sub (local.get $p) (local.get $w))')}))
            (if (i32.lt_u (local.get $p) (i32.sub (local.get $n) (local.get $w))) (then ${visit('(i32.add (local.get $p) (local.get $w))')}))
            (br $bfs)))
          (if (i32.lt_u (local.get $tail) (local.get $windowSize)) (then
            (local.set $k (i32.const 0))
            (block $cleared (loop $clear
              (br_if $cleared (i32.ge_u (local.get $k) (local.get $tail)))
              (local.set $q (i32.load (i32.add (local.get $queue) (i32.shl (local.get $k) (i32.const 2)))))
              (f32.store (i32.add (local.get $disp) (i32.shl (local.get $q) (i32.const 2))) (f32.const nan))
              (i32.store8 (i32.add (local.get $valid) (local.get $q)) (i32.const 0))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $clear)))))))
      (local.set $start (i32.add (local.get $start) (i32.const 1)))
      (br $starts)))
  )
`;
