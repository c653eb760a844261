import { strict as assert } from 'node:assert';
import { createRaster } from '../../src/io/raster';
import { remap } from '../../src/geometry/remap';
import { isIdentityMaps, remapUnlessIdentity } from '../../src/core/identity_remap';

function maps(w: number, h: number, dx: number) {
  const mapX = new Float32Array(w * h);
  const mapY = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    mapX[i] = (i % w) + dx;
    mapY[i] = Math.floor(i / w);
  }
  return { mapX, mapY, width: w, height: h };
}

describe('remapUnlessIdentity', () => {
  const img = createRaster(8, 6, 'mono8');
  img.data.forEach((_, i) => (img.data[i] = (i * 37) % 251));

  it('uses an already rectified image as it is, and it equals what remap would give', () => {
    const id = maps(8, 6, 0);
    assert.equal(isIdentityMaps(id), true);
    assert.equal(remapUnlessIdentity(img, id), img);
    assert.deepEqual(remap(img, id).data, img.data);
  });

  it('resamples through maps that move pixels', () => {
    const shifted = maps(8, 6, 0.5);
    assert.equal(isIdentityMaps(shifted), false);
    const out = remapUnlessIdentity(img, shifted);
    assert.notEqual(out, img);
    assert.deepEqual(out.data, remap(img, shifted).data);
  });
});
