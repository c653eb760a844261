// Bad input to the matcher gives errors that name the thing, the value and what was expected.
import { strict as assert } from 'node:assert';
import { createRaster } from '../../src/io/raster';
import { StereoMatcher } from '../../src/depth/sgm_stereo';

describe('depth/StereoMatcher bad input', () => {
  let m: StereoMatcher;
  before(() => {
    m = new StereoMatcher({ numDisparities: 32, workers: 0 });
  });
  after(() => m.dispose());

  it('rejects a pair of different sizes (not a rectified pair)', async () => {
    await assert.rejects(m.compute(createRaster(64, 48, 'mono8'), createRaster(64, 40, 'mono8')), /left image is 64x48 but right is 64x40/);
  });

  it('rejects a disparity range wider than the image', async () => {
    const narrow = createRaster(24, 16, 'mono8');
    await assert.rejects(m.compute(narrow, narrow), /disparity range \[0, 31\] does not fit an image 24 px wide/);
    const shifted = new StereoMatcher({ minDisparity: 40, numDisparities: 32, workers: 0 });
    const img = createRaster(64, 16, 'mono8');
    await assert.rejects(shifted.compute(img, img), /disparity range \[40, 71\] does not fit an image 64 px wide/);
    await shifted.dispose();
  });

  it('rejects formats it cannot reduce to 8-bit grey, and short data', async () => {
    const deep = createRaster(64, 16, 'mono16');
    await assert.rejects(m.compute(deep, deep), /left image: format "mono16"; expected mono8 or an 8-bit colour format/);
    const short = { ...createRaster(64, 16, 'mono8'), data: new Uint8Array(10) };
    await assert.rejects(m.compute(short, short), /data has 10 values; 64x16x1 needs 1024/);
  });

  it('converts colour input to grey', async () => {
    const rgb = createRaster(64, 16, 'bgr8');
    const r = await m.compute(rgb, rgb);
    assert.equal(r.width, 64);
    assert.equal(r.disparity.length, 64 * 16);
  });

  it('rejects invalid options, naming the key and value', () => {
    assert.throws(() => new StereoMatcher({ numDisparities: 40 }), /numDisparities = 40: .*multiple of 16/);
    assert.throws(() => new StereoMatcher({ p1: 10, p2: 5 }), /p2 = 5: p2 must be greater than p1/);
    // Four path costs of at most 24 + p2 each must fit the kernels' 8-bit sums.
    assert.throws(() => new StereoMatcher({ p2: 40 }), /p2 = 40: .*39/);
    assert.throws(() => new StereoMatcher({ uniquenessRatio: 100 }), /uniquenessRatio = 100/);
  });

  it('refuses use after dispose', async () => {
    const d = new StereoMatcher({ numDisparities: 16 });
    await d.dispose();
    const img = createRaster(64, 16, 'mono8');
    await assert.rejects(d.compute(img, img), /compute after dispose/);
  });
});
