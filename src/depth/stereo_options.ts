// Options of the semi-global matcher: one zod schema. The configuration schema takes its depth.*
// matcher keys from these fields, so each default and range is written here once.
//
// The matching cost is a 5x5 Census (Hamming distance), chosen by measurement on Aloe: a 7x7
// Census scored bad-2.0 2.61% vs 2.72% for 5x5 at the same penalties, for twice the descriptor
// and cost work, while tuning the penalties of the 5x5 one (p1 3, p2 32) reached 2.3-2.4%.
import { z } from 'zod';
import { describeIssues } from '../inference/validation_errors';

export const stereoOptionsSchema = z
  .object({
    /** Smallest disparity searched, in pixels (may be negative for verged rigs). */
    minDisparity: z.number().int().min(-256).max(256).default(0),
    /**
     * Number of disparities searched: minDisparity .. minDisparity + numDisparities - 1. A
     * multiple of 16 (as OpenCV's StereoSGBM requires), which the SIMD kernels process per lane.
     */
    numDisparities: z.number().int().min(16).max(512).multipleOf(16).default(64),
    /**
     * Penalty for a ±1 disparity change between neighbours, in bits of the 5x5 Census cost
     * (0..24). 3 and 32 scored best of the pairs tried on Aloe (bad-2.0 2.3% vs 2.7% for 4/48).
     */
    p1: z.number().int().min(0).max(38).default(3),
    /**
     * Penalty for a larger disparity change; must exceed p1. A path cost stays within
     * 0..24 + p2, and the kernels sum four of them in 8-bit lanes (16 per instruction), so p2 is
     * bounded by 4 * (24 + p2) <= 255.
     */
    p2: z.number().int().min(1).max(39).default(32),
    /**
     * Smallest 5x5 intensity range (max - min, grey levels) of a left pixel's window for it to
     * get a disparity. Flat regions (sky, blank walls) otherwise inherit disparities smeared
     * in by the aggregation paths, which become phantom obstacles. 0 disables.
     */
    textureThreshold: z.number().int().min(0).max(255).default(4),
    /** Best cost must beat any non-neighbouring disparity by this many percent. 0 disables. */
    uniquenessRatio: z.number().int().min(0).max(99).default(10),
    /** Largest allowed left-right disparity mismatch in pixels; negative disables the check. */
    disp12MaxDiff: z.number().int().default(1),
    /** Connected regions smaller than this many pixels are removed as speckles. 0 disables. */
    speckleWindowSize: z.number().int().min(0).max(1000).default(100),
    /** Largest disparity step, in pixels, inside one speckle region. */
    speckleRange: z.number().min(0).max(64).default(2),
    /**
     * Aggregation paths. 3 (left-right, right-left, top-down) runs as one top-to-bottom sweep
     * over one row of sums, as OpenCV's SGBM_3WAY does; 4 adds the bottom-up path, which needs
     * a second sweep over the whole strip's stored sums (about 1.35x the CPU). 4 is the default
     * because obstacles and tracks need it: without the bottom-up path, object bottoms and far
     * walls smear, and the demo's tracking MOTA fell from 0.30 to 0.14 (object position error
     * 4.0 % -> 7.3 % of range) at the same stereo error. 3 is the cheaper rung.
     */
    paths: z.union([z.literal(3), z.literal(4)]).default(4),
    /**
     * How the pair is matched. 'coarse_to_fine' (the default): SGM on the 2x2-averaged
     * half-resolution pair (a quarter of the pixels over half the disparities), then every
     * full-resolution pixel is refined in a band of 7 disparities around twice its coarse one
     * (Census cost over a 5x5 window, winner-take-all, sub-pixel; sgm_refine.ts). On the stereo
     * bench it costs about 0.75x OpenCV's SGBM_3WAY in CPU at lower bad-2 and higher density
     * than 3WAY on Aloe and the corridor frame, where 'full' costs 1.1-1.2x. 'full': SGM at full
     * resolution, sharper at thin structures the coarse pass can lose and the best bad-2 on Aloe.
     * 'half': the half-resolution match alone, its disparities scaled up (the nearest matched
     * pixel fills each full-resolution one): about two thirds of coarse_to_fine's cost for a
     * coarser map, the scheduler's stereo_half_resolution rung.
     */
    resolution: z.enum(['coarse_to_fine', 'full', 'half']).default('coarse_to_fine'),
    /**
     * Match only this region of the left image (full-frame pixels); the result is still full size,
     * invalid outside it. The right image is cut wider by the search range.
     */
    roi: z
      .object({
        x: z.number().int().min(0),
        y: z.number().int().min(0),
        width: z.number().int().min(1),
        height: z.number().int().min(1),
      })
      .strict()
      .optional(),
    /** Fit a parabola through the costs around the winner for a sub-pixel disparity. */
    subpixel: z.boolean().default(true),
    /**
     * Worker threads, each matching one horizontal strip; 0 runs everything on the calling
     * thread (tests, tiny images) as one strip.
     */
    workers: z.number().int().min(0).max(16).default(2),
  })
  .refine((o) => o.p2 > o.p1, { message: 'p2 must be greater than p1', path: ['p2'] })
  .refine((o) => !(o.resolution === 'coarse_to_fine' && o.roi !== undefined), {
    message: "coarse_to_fine refines the whole frame; a roi needs resolution 'full' or 'half'",
    path: ['resolution'],
  });

/** Options as callers pass them: every field optional. */
export type StereoOptionsInput = z.input<typeof stereoOptionsSchema>;
/** Options after validation: every field set. */
export type StereoOptions = z.output<typeof stereoOptionsSchema>;

/** Validates options, naming the offending key and value in the error. */
export function parseStereoOptions(input: StereoOptionsInput = {}): StereoOptions {
  const r = stereoOptionsSchema.safeParse(input);
  if (!r.success) throw new RangeError(`stereo matcher options are invalid:\n${describeIssues(r.error, input)}`);
  return r.data;
}
