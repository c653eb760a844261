// Test helper: the photos and models of the data directory (README "Data"), read in place, and
// JPEG/PNG -> bgr8 Raster.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Raster } from '../../src/io/raster';
import { DATA_DIR } from '../support/data_dir';

export const SHARED = DATA_DIR;
export const IMAGES_DIR = join(SHARED, 'data', 'images');
export const MODELS_DIR = join(SHARED, 'models');

/** Decodes a JPEG or PNG file to a bgr8 raster (the camera format the detector usually sees). */
export function loadPhoto(file: string): Raster<Uint8Array> {
  const bytes = readFileSync(file);
  const { width, height, data } = file.endsWith('.png')
    ? PNG.sync.read(bytes)
    : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  const bgr = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < bgr.length; i += 3, j += 4) {
    bgr[i] = data[j + 2];
    bgr[i + 1] = data[j + 1];
    bgr[i + 2] = data[j];
  }
  return { width, height, channels: 3, format: 'bgr8', data: bgr };
}
