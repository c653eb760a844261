// Our SGM against OpenCV's StereoSGBM (python3-opencv) on the Middlebury Aloe pair from Debian's
// opencv-doc, at half scale (641x555), same pixels, same disparity range (0..111). Accuracy is
// scored against the ground truth two ways: over pixels valid in both truth and estimate
// (bad-2.0, MAE) and over all known-truth pixels, counting a missing estimate as bad.
import { strict as assert } from 'node:assert';
import { StereoMatcher } from '../../src/depth/sgm_stereo';
import { ALOE_RANGE, ALOE_SGBM_PARAMS, aloeAvailable, loadAloeHalf } from './fixtures/aloe';
import { findOpenCvPython, runOpenCvSgbm } from './fixtures/opencv_sgbm';
import { scoreDisparity } from './fixtures/stereo_metrics';
import type { DisparityScores } from './fixtures/stereo_metrics';

function line(name: string, s: DisparityScores, ms: number): string {
  return `      ${name.padEnd(22)} bad-2.0 ${s.bad2.toFixed(2).padStart(5)}%  (all-GT ${s.bad2All.toFixed(2)}%)  MAE ${s.mae.toFixed(3)} px  density ${s.density.toFixed(1)}%  ${ms.toFixed(0)} ms`;
}

describe('depth: SGM vs OpenCV StereoSGBM on Middlebury Aloe (641x555, 112 disparities)', function () {
  this.timeout(60000);
  const python = findOpenCvPython();

  before(function () {
    if (!aloeAvailable() || python === undefined) {
      console.log('      skipped: needs opencv-doc (Aloe images) and python3-opencv');
      this.skip();
    }
  });

  it('is at least as accurate as StereoSGBM (MODE_SGBM, MODE_SGBM_3WAY and MODE_HH4), on both pixel conventions', async () => {
    const pair = loadAloeHalf();
    const matcher = new StereoMatcher({ ...ALOE_RANGE });
    let ours;
    let ms = Infinity;
    try {
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        ours = await matcher.compute(pair.left, pair.right);
        ms = Math.min(ms, performance.now() - t0);
      }
    } finally {
      await matcher.dispose();
    }
    assert.ok(ours);
    const mine = scoreDisparity(ours.disparity, pair.truth);
    console.log(line(`ours (SGM, ${matcher.options.paths} paths)`, mine, ms));
    for (const mode of ['SGBM', 'SGBM_3WAY', 'HH4'] as const) {
      const cv = runOpenCvSgbm(python as string, pair.left, pair.right, { ...ALOE_SGBM_PARAMS, mode }, 3);
      const ref = scoreDisparity(cv.disparity, pair.truth);
      console.log(line(`OpenCV MODE_${mode}`, ref, cv.ms));
      assert.ok(mine.bad2 <= ref.bad2, `bad-2.0 over own-valid pixels: ours ${mine.bad2} vs ${mode} ${ref.bad2}`);
      assert.ok(mine.bad2All <= ref.bad2All, `bad-2.0 over all GT pixels: ours ${mine.bad2All} vs ${mode} ${ref.bad2All}`);
      assert.ok(mine.mae <= ref.mae, `MAE: ours ${mine.mae} vs ${mode} ${ref.mae}`);
    }
    // Sanity of the scoring itself: a good matcher on Aloe has bad-2.0 well under 10%.
    assert.ok(mine.bad2 < 10 && mine.density > 60);
  });
});
