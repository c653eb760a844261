// The sensor_msgs/Image raw encodings we read and write, and how each maps to a Raster.
import type { RasterFormat } from './raster';

export type BayerPattern = 'rggb' | 'bggr' | 'gbrg' | 'grbg';

export interface RawEncoding {
  /** Raster format the encoding decodes to. */
  format: RasterFormat;
  /** Channels per pixel in the message data. */
  channels: number;
  /** Bytes per channel in the message data. */
  bytesPerChannel: 1 | 2 | 4;
  /** Set for Bayer mosaics, which decode to rgb8. */
  bayer?: BayerPattern;
}

const direct = (format: RasterFormat, channels: number, bytesPerChannel: 1 | 2 | 4): RawEncoding => ({ format, channels, bytesPerChannel });
const bayer = (pattern: BayerPattern): RawEncoding => ({ format: 'rgb8', channels: 1, bytesPerChannel: 1, bayer: pattern });

/** Keyed by the encoding string of sensor_msgs/image_encodings.hpp. 8UC3/8UC4 follow OpenCV's BGR order. */
export const RAW_ENCODINGS: Readonly<Record<string, RawEncoding>> = {
  rgb8: direct('rgb8', 3, 1),
  bgr8: direct('bgr8', 3, 1),
  rgba8: direct('rgba8', 4, 1),
  bgra8: direct('bgra8', 4, 1),
  mono8: direct('mono8', 1, 1),
  '8UC1': direct('mono8', 1, 1),
  '8UC3': direct('bgr8', 3, 1),
  '8UC4': direct('bgra8', 4, 1),
  mono16: direct('mono16', 1, 2),
  '16UC1': direct('mono16', 1, 2),
  '32FC1': direct('float32', 1, 4),
  bayer_rggb8: bayer('rggb'),
  bayer_bggr8: bayer('bggr'),
  bayer_gbrg8: bayer('gbrg'),
  bayer_grbg8: bayer('grbg'),
};

/** The encoding a Raster of each format is published with by default. */
export const DEFAULT_ENCODING: Readonly<Record<RasterFormat, string>> = {
  mono8: 'mono8',
  rgb8: 'rgb8',
  bgr8: 'bgr8',
  rgba8: 'rgba8',
  bgra8: 'bgra8',
  mono16: 'mono16',
  float32: '32FC1',
};
