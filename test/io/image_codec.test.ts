import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { compressedImageSize } from '../../src/io/compressed_size';
import { decodeImage, encodeCompressed, encodeImage, ImageFormatError } from '../../src/io/image_codec';
import { toBgr8, toMono8, toRgb8 } from '../../src/io/image_convert';
import { createRaster, type Raster, type RasterFormat } from '../../src/io/raster';
import type { Header, Image } from '../../src/msgs/types';
import { requireOpenCvPython } from '../support/opencv_python';

const header: Header = { stamp: { sec: 12, nanosec: 34 }, frame_id: 'cam' };

/** A raster with a deterministic, non-uniform pattern (no value depends on the code under test). */
function pattern(width: number, height: number, format: RasterFormat): Raster {
  const r = createRaster(width, height, format);
  for (let i = 0; i < r.data.length; i++) {
    r.data[i] = format === 'float32' ? i * 0.37 - 5 : format === 'mono16' ? (i * 2654) & 0xffff : (i * 37 + (i >> 3)) & 0xff;
  }
  return r;
}

/** Runs OpenCV (python3-opencv) on raw bytes: `code` maps `img` (numpy array) to `out`. */
function opencv(input: Uint8Array, shape: number[], code: string): Uint8Array {
  const script = `import sys, numpy as np, cv2\nimg = np.frombuffer(sys.stdin.buffer.read(), np.uint8).reshape(${JSON.stringify(shape)})\n${code}\nsys.stdout.buffer.write(np.ascontiguousarray(out).tobytes())`;
  const res = spawnSync(requireOpenCvPython(), ['-c', script], { input, maxBuffer: 64 << 20 });
  if (res.status !== 0) throw new Error(`OpenCV reference failed: ${res.stderr.toString()}`);
  return new Uint8Array(res.stdout);
}

function expectFormatError(msg: Image, ...parts: RegExp[]): void {
  assert.throws(
    () => decodeImage(msg),
    (err: Error) => {
      assert.ok(err instanceof ImageFormatError, `expected ImageFormatError, got ${err.name}`);
      for (const p of parts) assert.match(err.message, p);
      return true;
    },
  );
}

describe('io/image_codec', () => {
  describe('raw round trip', () => {
    const cases: [string, RasterFormat][] = [
      ['rgb8', 'rgb8'],
      ['bgr8', 'bgr8'],
      ['rgba8', 'rgba8'],
      ['bgra8', 'bgra8'],
      ['mono8', 'mono8'],
      ['8UC1', 'mono8'],
      ['8UC3', 'bgr8'],
      ['mono16', 'mono16'],
      ['16UC1', 'mono16'],
      ['32FC1', 'float32'],
    ];
    for (const [encoding, format] of cases) {
      it(encoding, () => {
        const r = pattern(5, 3, format);
        const msg = encodeImage(r, header, encoding);
        assert.equal(msg.encoding, encoding);
        assert.equal(msg.step, msg.data.byteLength / 3);
        assert.deepStrictEqual(decodeImage(msg), r);
      });
    }
  });

  it('returns a view, not a copy, for unpadded data', () => {
    const msg = encodeImage(pattern(4, 4, 'float32'), header);
    assert.equal(decodeImage(msg).data.buffer, msg.data.buffer);
  });

  it('skips row padding (step > width x bytes per pixel), odd steps included', () => {
    const width = 3;
    const height = 2;
    for (const step of [10, 11, 16]) {
      // Pixel (x, y) channel c = 10y + 3x + c; padding bytes are 0xEE.
      const data = new Uint8Array(step * height).fill(0xee);
      for (let y = 0; y < height; y++) for (let i = 0; i < width * 3; i++) data[y * step + i] = 10 * y + i;
      const r = decodeImage({ header, width, height, step, encoding: 'rgb8', is_bigendian: 0, data });
      assert.deepStrictEqual([...r.data], [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    }
    // 16-bit rows with an odd step cannot be viewed in place; they are copied.
    const data = Uint8Array.of(1, 0, 2, 0, 99, 3, 0, 4, 0, 99);
    const r = decodeImage({ header, width: 2, height: 2, step: 5, encoding: 'mono16', is_bigendian: 0, data });
    assert.deepStrictEqual([...r.data], [1, 2, 3, 4]);
  });

  it('reads big-endian 16-bit and float data', () => {
    const r = decodeImage({
      header,
      width: 2,
      height: 1,
      step: 4,
      encoding: '16UC1',
      is_bigendian: 1,
      data: Uint8Array.of(0x12, 0x34, 0xab, 0xcd),
    });
    assert.deepStrictEqual([...r.data], [0x1234, 0xabcd]);
    const f = new DataView(new ArrayBuffer(8));
    f.setFloat32(0, 1.5, false);
    f.setFloat32(4, -0.25, false);
    const d = decodeImage({ header, width: 2, height: 1, step: 8, encoding: '32FC1', is_bigendian: 1, data: new Uint8Array(f.buffer) });
    assert.deepStrictEqual([...d.data], [1.5, -0.25]);
  });

  describe('validation', () => {
    const good = (): Image => encodeImage(pattern(4, 3, 'rgb8'), header);
    it('a step that does not match the width', () => {
      expectFormatError({ ...good(), step: 10 }, /"rgb8" 4x3 step 10/, /at least width x 3 bytes per pixel = 12/);
    });
    it('data shorter or longer than step x height', () => {
      expectFormatError({ ...good(), data: new Uint8Array(35) }, /"rgb8" 4x3/, /35 bytes; expected step x height = 36/);
      expectFormatError({ ...good(), data: new Uint8Array(40) }, /40 bytes; expected step x height = 36/);
    });
    it('zero or fractional dimensions, unknown encodings', () => {
      expectFormatError({ ...good(), width: 0 }, /positive integers/);
      expectFormatError({ ...good(), height: 1.5 }, /positive integers/);
      expectFormatError({ ...good(), encoding: 'yuv422_yuy2' }, /"yuv422_yuy2".*unsupported encoding; expected one of rgb8/);
    });
    it('compressed data that is neither JPEG nor PNG, or is cut short', () => {
      assert.throws(() => decodeImage({ header, format: 'jpeg', data: Uint8Array.of(1, 2, 3) }), ImageFormatError);
      const png = encodeCompressed(pattern(8, 8, 'rgb8'), header, 'png');
      assert.throws(() => decodeImage({ ...png, data: png.data.subarray(0, 40) }), /corrupt PNG/);
    });
  });

  describe('Bayer demosaicing matches OpenCV (interior pixels)', () => {
    // cv_bridge's mapping from ROS Bayer encodings to OpenCV conversion codes.
    const codes: Record<string, string> = {
      bayer_rggb8: 'cv2.COLOR_BayerBG2RGB',
      bayer_bggr8: 'cv2.COLOR_BayerRG2RGB',
      bayer_gbrg8: 'cv2.COLOR_BayerGR2RGB',
      bayer_grbg8: 'cv2.COLOR_BayerGB2RGB',
    };
    const width = 16;
    const height = 12;
    const mosaic = Uint8Array.from({ length: width * height }, (_, i) => (i * 73 + ((i / width) | 0) * 31) & 0xff);
    for (const [encoding, code] of Object.entries(codes)) {
      it(encoding, () => {
        const ours = decodeImage({ header, width, height, step: width, encoding, is_bigendian: 0, data: mosaic });
        assert.equal(ours.format, 'rgb8');
        const ref = opencv(mosaic, [height, width], `out = cv2.cvtColor(img, ${code})`);
        for (let y = 2; y < height - 2; y++) {
          for (let x = 2; x < width - 2; x++) {
            for (let c = 0; c < 3; c++) {
              const i = (y * width + x) * 3 + c;
              assert.ok(
                Math.abs(ours.data[i]! - ref[i]!) <= 1,
                `${encoding} (${x},${y}) channel ${c}: ${ours.data[i]} vs OpenCV ${ref[i]}`,
              );
            }
          }
        }
      });
    }
  });

  describe('compressed', () => {
    it('PNG keeps mono8, mono16, rgb8 and rgba8 exactly; bgr8 comes back as rgb8', () => {
      for (const format of ['mono8', 'mono16', 'rgb8', 'rgba8'] as const) {
        const r = pattern(7, 5, format);
        const msg = encodeCompressed(r, header, 'png');
        assert.match(msg.format, /png/);
        assert.deepStrictEqual(decodeImage(msg), r, format);
      }
      const bgr = pattern(7, 5, 'bgr8');
      assert.deepStrictEqual(decodeImage(encodeCompressed(bgr, header, 'png')), toRgb8(bgr));
    });

    it('JPEG round trip stays close on a smooth image, and OpenCV reads our JPEG alike', () => {
      const r = createRaster(32, 24, 'rgb8');
      for (let y = 0; y < 24; y++) for (let x = 0; x < 32; x++) r.data.set([x * 8, y * 10, 128], (y * 32 + x) * 3);
      const msg = encodeCompressed(r, header, 'jpeg', 95);
      const back = decodeImage(msg);
      assert.equal(back.format, 'rgb8');
      let worst = 0;
      for (let i = 0; i < r.data.length; i++) worst = Math.max(worst, Math.abs(back.data[i]! - r.data[i]!));
      assert.ok(worst <= 12, `max abs error ${worst}`);
      const cv = opencv(msg.data, [msg.data.length], 'out = cv2.cvtColor(cv2.imdecode(img, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)');
      let diff = 0;
      for (let i = 0; i < cv.length; i++) diff = Math.max(diff, Math.abs(cv[i]! - back.data[i]!));
      assert.ok(diff <= 3, `our decoder and OpenCV differ by up to ${diff}`);
    });
  });

  describe('conversions', () => {
    it('toMono8 matches OpenCV RGB2GRAY within 1', () => {
      const r = pattern(9, 7, 'rgb8');
      const ref = opencv(r.data as Uint8Array, [7, 9, 3], 'out = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)');
      const ours = toMono8(r).data;
      for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(ours[i]! - ref[i]!) <= 1, `pixel ${i}: ${ours[i]} vs ${ref[i]}`);
    });

    it('toBgr8 / toRgb8 reorder channels, drop alpha and replicate grey', () => {
      const rgba: Raster = { width: 2, height: 1, channels: 4, format: 'rgba8', data: Uint8Array.of(1, 2, 3, 255, 4, 5, 6, 0) };
      assert.deepStrictEqual([...toBgr8(rgba).data], [3, 2, 1, 6, 5, 4]);
      assert.deepStrictEqual([...toRgb8(toBgr8(rgba)).data], [1, 2, 3, 4, 5, 6]);
      const mono: Raster = { width: 2, height: 1, channels: 1, format: 'mono16', data: Uint16Array.of(0x1234, 0xff00) };
      assert.deepStrictEqual([...toRgb8(mono).data], [0x12, 0x12, 0x12, 0xff, 0xff, 0xff]);
      assert.throws(() => toMono8(pattern(2, 2, 'float32')), /cannot convert a float32 raster \(2x2\)/);
    });
  });
});

describe('io/compressed_size: the size in a JPEG or PNG header, without decoding', () => {
  const [width, height] = [37, 23];
  const rgb = pattern(width, height, 'rgb8');

  it('reads the size of JPEG and PNG files written by encodeCompressed and by OpenCV (baseline and progressive JPEG)', () => {
    const files = [encodeCompressed(rgb, header, 'jpeg').data, encodeCompressed(rgb, header, 'png').data];
    for (const flags of ['[]', '[cv2.IMWRITE_JPEG_PROGRESSIVE, 1]']) {
      files.push(opencv(rgb.data as Uint8Array, [height, width, 3], `ok, out = cv2.imencode('.jpg', img, ${flags})`));
    }
    files.push(opencv(rgb.data as Uint8Array, [height, width, 3], "ok, out = cv2.imencode('.png', img)"));
    for (const data of files) assert.deepEqual(compressedImageSize(data), { width, height });
  });

  it('says nothing for data that is neither, or is cut before its frame header', () => {
    const jpeg = encodeCompressed(rgb, header, 'jpeg').data;
    assert.equal(compressedImageSize(jpeg.subarray(0, 30)), undefined);
    assert.equal(compressedImageSize(encodeCompressed(rgb, header, 'png').data.subarray(0, 20)), undefined);
    assert.equal(compressedImageSize(new TextEncoder().encode('not an image at all')), undefined);
  });
});
