// sensor_msgs/Image and CompressedImage <-> Raster. Every message is validated before a byte is
// read; a mismatch raises ImageFormatError naming the encoding, the dimensions and the byte count
// expected. Unpadded little-endian data is returned as a view of the message buffer (no copy).
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { CompressedImage, Header, Image } from '../msgs/types';
import { demosaicBilinear } from './bayer';
import { toRgb8 } from './image_convert';
import { DEFAULT_ENCODING, RAW_ENCODINGS, type RawEncoding } from './image_encodings';
import { CHANNELS, type Raster, type RasterData } from './raster';

/** An image message whose fields do not describe its data, or whose format we cannot read. */
export class ImageFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFormatError';
  }
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Decodes a raw or compressed image message to a Raster (see RAW_ENCODINGS for raw encodings). */
export function decodeImage(msg: Image | CompressedImage): Raster {
  return 'encoding' in msg ? decodeRaw(msg) : decodeCompressed(msg);
}

function decodeRaw(msg: Image): Raster {
  const { width, height, step, encoding, data } = msg;
  const enc = RAW_ENCODINGS[encoding];
  const what = `image ${JSON.stringify(encoding)} ${width}x${height} step ${step}`;
  if (!enc) {
    throw new ImageFormatError(`${what}: unsupported encoding; expected one of ${Object.keys(RAW_ENCODINGS).join(', ')}`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ImageFormatError(`${what}: width and height must be positive integers`);
  }
  const rowBytes = width * enc.channels * enc.bytesPerChannel;
  if (!Number.isInteger(step) || step < rowBytes) {
    throw new ImageFormatError(
      `${what}: step must be at least width x ${enc.channels * enc.bytesPerChannel} bytes per pixel = ${rowBytes}`,
    );
  }
  if (data.byteLength !== step * height) {
    throw new ImageFormatError(`${what}: data holds ${data.byteLength} bytes; expected step x height = ${step * height}`);
  }
  if (enc.bayer) return demosaicBilinear(data, 0, width, height, step, enc.bayer);
  return unpackRows(data, width, height, step, enc, msg.is_bigendian !== 0);
}

// Copies only the `rowBytes` of each row that hold pixels, swapping bytes where the data's
// endianness differs from the host's; returns a view instead when the layout already matches.
function unpackRows(data: Uint8Array, width: number, height: number, step: number, enc: RawEncoding, bigEndian: boolean): Raster {
  const size = enc.bytesPerChannel;
  const rowBytes = width * enc.channels * size;
  const count = width * height * enc.channels;
  const swap = size > 1 && bigEndian === HOST_LITTLE_ENDIAN;
  const raster = (d: RasterData): Raster => ({ width, height, channels: CHANNELS[enc.format], format: enc.format, data: d });
  const typed = (buffer: ArrayBufferLike, byteOffset: number): RasterData =>
    size === 1
      ? new Uint8Array(buffer, byteOffset, count)
      : size === 2
        ? new Uint16Array(buffer, byteOffset, count)
        : new Float32Array(buffer, byteOffset, count);
  if (step === rowBytes && !swap && data.byteOffset % size === 0) return raster(typed(data.buffer, data.byteOffset));
  const out = new Uint8Array(count * size);
  for (let y = 0; y < height; y++) {
    const src = y * step;
    const dst = y * rowBytes;
    if (!swap) {
      out.set(data.subarray(src, src + rowBytes), dst);
      continue;
    }
    for (let i = 0; i < rowBytes; i += size) {
      for (let b = 0; b < size; b++) out[dst + i + b] = data[src + i + size - 1 - b]!;
    }
  }
  return raster(typed(out.buffer, 0));
}

function decodeCompressed(msg: CompressedImage): Raster {
  const { data, format } = msg;
  if (data[0] === 0xff && data[1] === 0xd8) {
    try {
      const img = jpeg.decode(data, { useTArray: true, formatAsRGBA: false });
      return { width: img.width, height: img.height, channels: 3, format: 'rgb8', data: img.data };
    } catch (err) {
      throw new ImageFormatError(
        `compressed image (format ${JSON.stringify(format)}, ${data.byteLength} bytes): corrupt JPEG: ${(err as Error).message}`,
      );
    }
  }
  if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return decodePng(msg);
  throw new ImageFormatError(
    `compressed image (format ${JSON.stringify(format)}, ${data.byteLength} bytes): data is neither JPEG nor PNG; expected jpeg or png`,
  );
}

function decodePng(msg: CompressedImage): Raster {
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    png = PNG.sync.read(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength), { skipRescale: true });
  } catch (err) {
    throw new ImageFormatError(
      `compressed image (format ${JSON.stringify(msg.format)}, ${msg.data.byteLength} bytes): corrupt PNG: ${(err as Error).message}`,
    );
  }
  // pngjs always expands to RGBA; 16-bit files come back as a Uint16Array when not rescaled.
  const { width, height } = png;
  const rgba = png.data as unknown as Uint8Array | Uint16Array;
  const n = width * height;
  const sixteen = png.depth === 16;
  if (!png.color) {
    const out = sixteen ? new Uint16Array(n) : new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = rgba[i * 4]!;
    return { width, height, channels: 1, format: sixteen ? 'mono16' : 'mono8', data: out };
  }
  const channels = png.alpha ? 4 : 3;
  const shift = sixteen ? 8 : 0;
  const out = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) out[i * channels + c] = rgba[i * 4 + c]! >> shift;
  }
  return { width, height, channels, format: png.alpha ? 'rgba8' : 'rgb8', data: out };
}

/** The little-endian bytes of a raster's data (a view, not a copy). */
function rasterBytes(r: Raster): Uint8Array {
  return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength);
}

/**
 * A sensor_msgs/Image holding a copy of `r`, unpadded, in host byte order. `encoding` defaults to the format's
 * own; it may be any encoding of RAW_ENCODINGS with the same memory layout (e.g. 16UC1 for mono16,
 * 8UC3 for bgr8). Throws ImageFormatError for an encoding that does not describe the raster.
 */
export function encodeImage(r: Raster, header: Header, encoding: string = DEFAULT_ENCODING[r.format]): Image {
  const enc = RAW_ENCODINGS[encoding];
  if (!enc || enc.bayer || enc.format !== r.format) {
    throw new ImageFormatError(
      `encodeImage: encoding ${JSON.stringify(encoding)} does not describe a ${r.format} raster (${r.width}x${r.height}); use ${DEFAULT_ENCODING[r.format]}`,
    );
  }
  const expected = r.width * r.height * r.channels;
  if (r.data.length !== expected) {
    throw new ImageFormatError(
      `encodeImage: ${r.format} raster ${r.width}x${r.height} holds ${r.data.length} values; expected ${expected}`,
    );
  }
  // The bytes are the host's; is_bigendian says which order that is, so no swap is needed here.
  const step = r.width * enc.channels * enc.bytesPerChannel;
  return {
    header,
    height: r.height,
    width: r.width,
    encoding,
    is_bigendian: HOST_LITTLE_ENDIAN ? 0 : 1,
    step,
    data: rasterBytes(r).slice(),
  };
}

/**
 * A sensor_msgs/CompressedImage of `r`. JPEG takes 8-bit rasters (grey is written as colour);
 * PNG keeps mono8, mono16, rgb8 and rgba8 exactly (bgr/bgra are reordered to rgb/rgba). The
 * format string follows compressed_image_transport: `<encoding>; <format> compressed <target>`.
 */
export function encodeCompressed(r: Raster, header: Header, format: 'jpeg' | 'png', quality = 90): CompressedImage {
  if (format === 'jpeg') {
    if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
      throw new ImageFormatError(`encodeCompressed: JPEG quality ${quality} is invalid; expected an integer in [1, 100]`);
    }
    const rgb = toRgb8(r);
    const n = rgb.width * rgb.height;
    const rgba = new Uint8Array(n * 4);
    for (let i = 0; i < n; i++) {
      rgba[i * 4] = rgb.data[i * 3]!;
      rgba[i * 4 + 1] = rgb.data[i * 3 + 1]!;
      rgba[i * 4 + 2] = rgb.data[i * 3 + 2]!;
      rgba[i * 4 + 3] = 255;
    }
    const encoded = jpeg.encode({ data: rgba, width: rgb.width, height: rgb.height }, quality);
    return { header, format: `${DEFAULT_ENCODING[r.format]}; jpeg compressed bgr8`, data: new Uint8Array(encoded.data) };
  }
  return {
    header,
    format: `${DEFAULT_ENCODING[r.format]}; png compressed ${DEFAULT_ENCODING[r.format]}`,
    data: new Uint8Array(encodePng(r)),
  };
}

function encodePng(r: Raster): Buffer {
  const { width, height } = r;
  switch (r.format) {
    case 'mono8':
      return PNG.sync.write(Object.assign(new PNG({ width, height }), { data: Buffer.from(r.data as Uint8Array) }), {
        colorType: 0,
        inputColorType: 0,
        bitDepth: 8,
      });
    case 'mono16': {
      // pngjs reads 16-bit input through a Uint16Array over the buffer, so hand it an aligned copy.
      const copy = Buffer.from(new Uint16Array(r.data as Uint16Array).buffer);
      return PNG.sync.write(Object.assign(new PNG({ width, height }), { data: copy }), { colorType: 0, inputColorType: 0, bitDepth: 16 });
    }
    case 'rgba8':
    case 'bgra8': {
      const rgba = Buffer.from(r.data as Uint8Array);
      if (r.format === 'bgra8') {
        for (let i = 0; i < rgba.length; i += 4) {
          const b = rgba[i]!;
          rgba[i] = rgba[i + 2]!;
          rgba[i + 2] = b;
        }
      }
      return PNG.sync.write(Object.assign(new PNG({ width, height }), { data: rgba }), { colorType: 6, inputColorType: 6, bitDepth: 8 });
    }
    case 'rgb8':
    case 'bgr8':
      return PNG.sync.write(Object.assign(new PNG({ width, height }), { data: Buffer.from(toRgb8(r).data) }), {
        colorType: 2,
        inputColorType: 2,
        inputHasAlpha: false,
        bitDepth: 8,
      });
    case 'float32':
      throw new ImageFormatError(
        `encodeCompressed: a float32 raster (${width}x${height}) cannot be stored as PNG; encode it as a raw 32FC1 Image`,
      );
  }
}
