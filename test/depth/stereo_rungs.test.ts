// The matcher's resolutions and rungs on the analytic scene with exact depth: coarse-to-fine (the
// default), full and half resolution and a region of interest must each give a full-size map that
// agrees with the truth where it is valid, and be invalid outside the region.
import { strict as assert } from 'node:assert';
import { StereoMatcher } from '../../src/depth/sgm_stereo';
import type { DisparityResult } from '../../src/depth/sgm_stereo';
import type { StereoOptionsInput } from '../../src/depth/stereo_options';
import { renderSyntheticStereo } from './fixtures/synthetic_scene';
import type { SyntheticStereo } from './fixtures/synthetic_scene';

/** Share of valid pixels within `tol` px of the true disparity fx * B / z, and the density. */
function agreement(d: DisparityResult, scene: SyntheticStereo, tol: number, inside: (x: number, y: number) => boolean) {
  let good = 0;
  let valid = 0;
  let known = 0;
  for (let i = 0; i < d.valid.length; i++) {
    const truth = (scene.k.fx * scene.baseline) / scene.depth[i];
    if (!(truth > 0 && truth < d.numDisparities) || !inside(i % d.width, Math.floor(i / d.width))) continue;
    known++;
    if (!d.valid[i]) continue;
    valid++;
    if (Math.abs(d.disparity[i] - truth) <= tol) good++;
  }
  return { good: good / Math.max(1, valid), density: valid / Math.max(1, known) };
}

async function run(scene: SyntheticStereo, opts: StereoOptionsInput): Promise<DisparityResult> {
  const m = new StereoMatcher({ numDisparities: 64, ...opts });
  try {
    return await m.compute(scene.left, scene.right);
  } finally {
    await m.dispose();
  }
}

describe('depth/StereoMatcher resolutions and rungs: coarse-to-fine, full, half, region of interest', function () {
  this.timeout(60_000);
  let scene: SyntheticStereo;
  before(() => {
    scene = renderSyntheticStereo();
  });

  it('matches only inside the roi, as well as the full frame does there', async () => {
    const roi = { x: 200, y: 240, width: 300, height: 160 };
    const inRoi = (x: number, y: number) => x >= roi.x && x < roi.x + roi.width && y >= roi.y && y < roi.y + roi.height;
    const part = await run(scene, { resolution: 'full', roi });
    assert.equal(part.width, 640);
    assert.equal(part.height, 480);
    for (let i = 0; i < part.valid.length; i++) {
      if (!inRoi(i % 640, Math.floor(i / 640))) assert.equal(part.valid[i], 0, `pixel ${i} outside the roi is valid`);
    }
    const a = agreement(part, scene, 1, inRoi);
    const full = agreement(await run(scene, { resolution: 'full' }), scene, 1, inRoi);
    assert.ok(a.density > 0.8 && a.density > full.density - 0.05, `roi density ${a.density} vs full frame ${full.density}`);
    assert.ok(a.good > 0.95 && a.good > full.good - 0.02, `roi within 1 px ${a.good} vs full frame ${full.good}`);
  });

  it('at half resolution gives full-size disparities within 2 px of the truth', async () => {
    const half = await run(scene, { resolution: 'half' });
    const a = agreement(half, scene, 2, () => true);
    assert.ok(a.density > 0.7, `density ${a.density}`);
    assert.ok(a.good > 0.9, `within 2 px: ${a.good}`);
  });

  it('coarse-to-fine gives full-resolution precision from a half-resolution match', async () => {
    const fine = await run(scene, {});
    assert.equal(fine.width, 640);
    const half = await run(scene, { resolution: 'half' });
    const full = await run(scene, { resolution: 'full' });
    assert.equal(fine.height, 480);
    const [f, h, w] = [fine, half, full].map((d) => agreement(d, scene, 0.5, () => true));
    // The refinement searches full-resolution disparities around the coarse ones: within half a
    // pixel far more often than the doubled half-resolution map, and about as often as a full match.
    assert.ok(f.good > h.good + 0.05, `within 0.5 px: coarse-to-fine ${f.good}, half resolution ${h.good}`);
    assert.ok(f.good > w.good - 0.03, `within 0.5 px: coarse-to-fine ${f.good}, full resolution ${w.good}`);
    assert.ok(f.density > 0.7 && f.density > h.density - 0.1, `density: coarse-to-fine ${f.density}, half resolution ${h.density}`);
    // No pixel is made up: one whose coarse pixel is invalid is valid only inside a coarse hole,
    // between two valid coarse pixels on its row or column (2 full-resolution pixels away).
    const at = (x: number, y: number) => x >= 0 && x < 640 && y >= 0 && y < 480 && half.valid[y * 640 + x] === 1;
    let filled = 0;
    for (let y = 0; y < 480; y++) {
      for (let x = 0; x < 640; x++) {
        if (fine.valid[y * 640 + x] === 0 || half.valid[y * 640 + x] === 1) continue;
        filled++;
        const [cx, cy] = [x & ~1, y & ~1];
        assert.ok((at(cx - 2, y) && at(cx + 2, y)) || (at(x, cy - 2) && at(x, cy + 2)), `(${x}, ${y}) valid outside a coarse hole`);
      }
    }
    // The scene's coarse map has holes to fill: some are filled, and few.
    assert.ok(filled > 0 && filled < 0.02 * 640 * 480, `${filled} pixels filled`);
  });

  it('coarse-to-fine refines the same map inline and in strips on workers', async () => {
    const inline = await run(scene, { workers: 0 });
    const strips = await run(scene, { workers: 3 });
    assert.deepEqual(strips.valid, inline.valid);
    for (let i = 0; i < inline.valid.length; i++) {
      if (inline.valid[i] === 1) assert.equal(strips.disparity[i], inline.disparity[i], `pixel ${i}`);
    }
  });

  it('refuses a roi at the default coarse_to_fine resolution, or an unknown resolution, naming resolution', () => {
    assert.throws(
      () => new StereoMatcher({ roi: { x: 0, y: 0, width: 64, height: 64 } }),
      /resolution.*a roi needs resolution 'full' or 'half'/s,
    );
    assert.throws(() => new StereoMatcher({ resolution: 'quarter' as never }), /resolution.*coarse_to_fine/s);
  });

  it('refuses a roi outside the image, or too narrow for the disparity range, naming roi', async () => {
    const m = new StereoMatcher({ numDisparities: 64, resolution: 'full', roi: { x: 600, y: 0, width: 100, height: 10 } });
    const narrow = new StereoMatcher({ numDisparities: 64, resolution: 'full', roi: { x: 0, y: 0, width: 40, height: 10 } });
    try {
      await assert.rejects(m.compute(scene.left, scene.right), /roi 100x10 at \(600, 0\) is outside the 640x480 image/);
      await assert.rejects(narrow.compute(scene.left, scene.right), /roi 40x10 leaves 40x10 px to match, too narrow for 64 disparities/);
    } finally {
      await m.dispose();
      await narrow.dispose();
    }
    assert.throws(() => new StereoMatcher({ resolution: 'full', roi: { x: 0, y: 0, width: 0, height: 5 } }), /roi\.width = 0: /);
  });
});
