// The one in-memory image type of the core: a typed array in row-major, interleaved channel
// order, with no row padding (stride = width * channels). Every decoder produces it and every
// stage consumes it, so no stage ever sees ROS encodings, steps or compression.

export type RasterFormat = 'mono8' | 'rgb8' | 'bgr8' | 'rgba8' | 'bgra8' | 'mono16' | 'float32';

export type RasterData = Uint8Array | Uint16Array | Float32Array;

export interface Raster<T extends RasterData = RasterData> {
  width: number;
  height: number;
  /** Channels per pixel: 1 for mono/float, 3 for rgb/bgr, 4 for rgba/bgra. */
  channels: number;
  format: RasterFormat;
  data: T;
}

export const CHANNELS: Record<RasterFormat, number> = {
  mono8: 1,
  rgb8: 3,
  bgr8: 3,
  rgba8: 4,
  bgra8: 4,
  mono16: 1,
  float32: 1,
};

/** A new zero-filled raster of the given format. */
export function createRaster(width: number, height: number, format: RasterFormat): Raster {
  const n = width * height * CHANNELS[format];
  const data = format === 'mono16' ? new Uint16Array(n) : format === 'float32' ? new Float32Array(n) : new Uint8Array(n);
  return { width, height, channels: CHANNELS[format], format, data };
}
