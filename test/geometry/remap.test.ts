// remap against cv2.remap (INTER_LINEAR, BORDER_CONSTANT) on a random image through real
// rectification maps snapped to OpenCV's 1/32-pixel grid, so only OpenCV's fixed-point weights
// differ (one grey level at most); exact shifts and half-pixel blends are checked by hand.
import { strict as assert } from 'node:assert';
import { CameraModel } from '../../src/geometry/camera_model';
import { remap } from '../../src/geometry/remap';
import { createRaster } from '../../src/io/raster';
import { cameraInfo, randomCamera } from '../support/camera_info_fixture';
import { b64, opencv } from '../support/opencv_reference';
import { seededRandom } from '../support/seeded_random';

describe('geometry/remap', () => {
  it('matches cv2.remap on an rgb8 image through rectification maps (within 1 grey level)', () => {
    const rand = seededRandom(41);
    const parts = randomCamera(rand, 'plumb_bob', 96, 72);
    parts.P = [parts.K[0] * 0.9, 0, 50, 0, 0, parts.K[0] * 0.9, 35, 0, 0, 0, 1, 0];
    const maps = CameraModel.fromCameraInfo(cameraInfo(parts)).rectificationMaps();
    // OpenCV snaps map coordinates to 1/32 pixel; snap them first so only weight rounding differs.
    for (const m of [maps.mapX, maps.mapY]) for (let i = 0; i < m.length; i++) m[i] = Math.round(m[i] * 32) / 32;
    const src = createRaster(96, 72, 'rgb8');
    for (let i = 0; i < src.data.length; i++) src.data[i] = Math.floor(rand() * 256);
    const ours = remap(src, maps);
    const ref = Buffer.from(
      opencv<{ dst: string }>({
        op: 'remap',
        src: b64(src.data as Uint8Array),
        width: 96,
        height: 72,
        channels: 3,
        mapX: b64(maps.mapX),
        mapY: b64(maps.mapY),
        mapWidth: 96,
        mapHeight: 72,
      }).dst,
      'base64',
    );
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours.data[i] - ref[i]));
    assert.ok(worst <= 1, `max difference ${worst} grey levels`);
  });

  it('shifts float32 and mono8 images exactly by integer maps and blends half pixels', () => {
    const src = createRaster(4, 3, 'float32');
    src.data.set([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
    const mapX = new Float32Array(12);
    const mapY = new Float32Array(12);
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 4; x++) {
        mapX[y * 4 + x] = x + 1;
        mapY[y * 4 + x] = y + 0.5;
      }
    const out = remap(src, { mapX, mapY, width: 4, height: 3 });
    assert.deepEqual(Array.from(out.data), [6, 7, 8, 0, 16, 17, 18, 0, 10.5, 11, 11.5, 0]);
    assert.throws(() => remap(createRaster(2, 2, 'mono16'), { mapX, mapY, width: 4, height: 3 }), /format "mono16" is not supported/);
    assert.throws(() => remap(src, { mapX, mapY, width: 5, height: 3 }), /expected 15 each/);
  });
});
