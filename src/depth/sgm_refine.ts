// Coarse-to-fine stereo: the frame is matched by SGM at half resolution (a quarter of the pixels
// over half the disparities, an eighth of the cost volume), then every full-resolution pixel is
// refined in a narrow band of disparities (REFINE_BAND, centred on twice its coarse disparity):
// the 5x5 Census cost of the band, summed over a 5x5 window, winner-take-all and the parabola
// sub-pixel offset (kernels in sgm_simd_refine_wat.ts). The coarse match has already passed
// the uniqueness and left-right checks, the texture mask and the speckle filter; a pixel
// whose coarse pixel is invalid stays invalid unless it lies in a hole between two agreeing
// coarse neighbours (refineCostRow), and one whose best cost lies on the band's edge
// or whose window cost is high is rejected rather than guessed. Full-resolution detail (sub-pixel precision, edges to within
// a pixel) comes back at a fraction of a full-resolution match's cost.
// Strips of full-resolution rows are independent units: each computes the Census and band costs
// of its rows plus two rows either side for the window, so two workers refine at once.
import { censusRows } from './sgm_census';
import type { SgmFrame } from './sgm_census';
import type { RefineLayout } from './sgm_layout';

/** Options the refinement reads. */
export interface RefineParams {
  subpixel: boolean;
}

/** The refinement layout of `f`; throws when the frame was laid out without one. */
export function refineLayoutOf(f: SgmFrame): RefineLayout {
  const r = f.l.refineLayout;
  if (r === undefined) throw new Error('StereoMatcher: refinement unit on a frame without coarseToFine');
  return r;
}

/** Refines full-resolution strip `index` of `f` from the coarse disparity in f's half-resolution arrays. */
export function refineStrip(f: SgmFrame, index: number, prm: RefineParams): void {
  const r = refineLayoutOf(f);
  const { k, l } = f;
  const s = r.strips[index];
  const { width: w, height: h } = r;
  const cw = l.width;
  const clampRow = (y: number) => Math.min(h - 1, Math.max(0, y));
  const coarseRow = (y: number) => Math.min(l.height - 1, y >> 1);
  // The row sums of image row y live in ring slot (y - (y0 - 2)) mod 5.
  const slot = (y: number) => s.box[(y - s.y0 + 2) % 5];
  for (let yy = s.y0 - 2; yy < s.y1 + 2; yy++) {
    const y = clampRow(yy);
    censusRows(f, r.left, [w, h], [y, y + 1], s.censusL, w, false);
    censusRows(f, r.right, [w, h], [y, y + 1], s.censusR + r.censusPad, r.censusRowStride, true);
    const cy = coarseRow(y);
    k.refineCostRow(
      s.censusL,
      w,
      s.censusR + r.censusPad,
      r.censusRowStride,
      l.disparity + 4 * cy * cw,
      l.valid + cy * cw,
      cw,
      cy > 0 ? -cw : 0,
      cy < l.height - 1 ? cw : 0,
      s.cost,
      s.bases,
      w,
      r.minDisparity,
      r.maxDisparity,
    );
    const into = slot(yy);
    k.refineBoxRow(s.cost, s.bases, into.sums, w);
    f.v.u8.copyWithin(into.bases, s.bases, s.bases + 4 * w);
    const out = yy - 2;
    if (out < s.y0) continue;
    // Rows out - 2 .. out + 2, the centre (out) third.
    const [a, b, c, d, e] = [-2, -1, 0, 1, 2].map((i) => slot(out + i));
    k.refineSelectRow(
      a.sums,
      a.bases,
      b.sums,
      b.bases,
      c.sums,
      c.bases,
      d.sums,
      d.bases,
      e.sums,
      e.bases,
      w,
      r.minDisparity,
      r.maxDisparity,
      prm.subpixel ? 1 : 0,
      r.disparity + 4 * out * w,
      r.valid + out * w,
    );
  }
}
