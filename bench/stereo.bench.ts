// Stereo speed and accuracy against OpenCV's StereoSGBM (python3-opencv) on the Middlebury Aloe
// pair at 641x555 (112 disparities), measured in the same run. The machine is shared and noisy,
// so the two are measured in alternating rounds and the ratio is of their medians; OpenCV is
// timed inside Python (process start and I/O excluded). Also times a 640x480 synthetic pair.
import { StereoMatcher } from '../src/depth/sgm_stereo';
import { ALOE_RANGE, ALOE_SGBM_PARAMS, aloeAvailable, loadAloeHalf } from '../test/depth/fixtures/aloe';
import { findOpenCvPython, runOpenCvSgbm } from '../test/depth/fixtures/opencv_sgbm';
import type { SgbmRun } from '../test/depth/fixtures/opencv_sgbm';
import { scoreDisparity } from '../test/depth/fixtures/stereo_metrics';
import { renderSyntheticStereo } from '../test/depth/fixtures/synthetic_scene';
import type { BenchRow } from './harness';
import { timeMedianMs } from './harness';

const ROUNDS = 5;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default async function stereoBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const matcher = new StereoMatcher({ ...ALOE_RANGE });
  // One worker, one strip: the like-for-like comparison with single-threaded MODE_SGBM, and the
  // one least disturbed when other processes take a core from the two-worker run.
  const single = new StereoMatcher({ ...ALOE_RANGE, workers: 1 });
  try {
    const python = findOpenCvPython();
    if (aloeAvailable() && python !== undefined) {
      const pair = loadAloeHalf();
      const ours: number[] = [];
      const ours1: number[] = [];
      const sgbm: number[] = [];
      const hh4: number[] = [];
      let result = await matcher.compute(pair.left, pair.right);
      let cvRun: SgbmRun | undefined;
      for (let r = 0; r < ROUNDS; r++) {
        ours.push(await timeMedianMs(async () => { result = await matcher.compute(pair.left, pair.right); }, 3, 0));
        ours1.push(await timeMedianMs(() => single.compute(pair.left, pair.right), 3, r === 0 ? 1 : 0));
        cvRun = runOpenCvSgbm(python, pair.left, pair.right, { ...ALOE_SGBM_PARAMS, mode: 'SGBM' }, 3);
        sgbm.push(cvRun.ms);
        hh4.push(runOpenCvSgbm(python, pair.left, pair.right, { ...ALOE_SGBM_PARAMS, mode: 'HH4' }, 3).ms);
      }
      const mine = scoreDisparity(result.disparity, pair.truth);
      const ref = scoreDisparity((cvRun as SgbmRun).disparity, pair.truth);
      const [tOurs, tOurs1, tCv, tHh4] = [median(ours), median(ours1), median(sgbm), median(hh4)];
      const size = `${pair.left.width}x${pair.left.height}, 112 disp.`;
      rows.push(
        { name: 'Aloe SGM (ours, 2 workers)', value: tOurs, unit: 'ms', note: `${size}, median of ${ROUNDS} rounds x 3` },
        { name: 'Aloe SGM (ours, 1 worker)', value: tOurs1, unit: 'ms', note: 'one strip, no overlap' },
        { name: 'Aloe OpenCV StereoSGBM MODE_SGBM', value: tCv, unit: 'ms', note: `timed in Python, ${cvRun?.threads} OpenCV threads` },
        { name: 'Aloe OpenCV StereoSGBM MODE_HH4', value: tHh4, unit: 'ms', note: 'the 4-path mode (ours is 4-path too)' },
        { name: 'Aloe time ratio ours / SGBM', value: tOurs / tCv, unit: 'ratio', target: 2, note: 'goal < 1' },
        { name: 'Aloe time ratio ours / HH4', value: tOurs / tHh4, unit: 'ratio', target: 2 },
        { name: 'Aloe time ratio ours 1 worker / SGBM', value: tOurs1 / tCv, unit: 'ratio', note: 'both single-threaded' },
        { name: 'Aloe bad-2.0 ours (own valid px)', value: mine.bad2, unit: '%', target: ref.bad2, note: `SGBM ${ref.bad2.toFixed(2)}%` },
        { name: 'Aloe bad-2.0 ours (all GT px)', value: mine.bad2All, unit: '%', target: ref.bad2All, note: `SGBM ${ref.bad2All.toFixed(2)}%` },
        { name: 'Aloe MAE ours', value: mine.mae, unit: 'px', target: ref.mae, note: `SGBM ${ref.mae.toFixed(3)} px` },
        { name: 'Aloe density ours', value: mine.density, unit: '%', target: ref.density, lowerIsBetter: false, note: `SGBM ${ref.density.toFixed(1)}%` },
      );
    } else {
      rows.push({ name: 'Aloe comparison skipped', value: 0, unit: '', note: 'needs opencv-doc and python3-opencv' });
    }
  } finally {
    await matcher.dispose();
    await single.dispose();
  }
  const scene = renderSyntheticStereo();
  const synth = new StereoMatcher({ numDisparities: 64 });
  try {
    const ms = await timeMedianMs(() => synth.compute(scene.left, scene.right), 7, 2);
    rows.push({ name: 'synthetic SGM 640x480, 64 disp.', value: ms, unit: 'ms', note: '2 workers' });
  } finally {
    await synth.dispose();
  }
  return rows;
}
