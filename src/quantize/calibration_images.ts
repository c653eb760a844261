// The images a quantisation is calibrated and checked on: every .jpg/.jpeg/.png in a folder,
// decoded once, and turned into model inputs by the detector's own preprocessing (letterbox,
// channel order, mean/std from the model preset), so calibration sees what the pipeline feeds.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { decodeImage } from '../io/image_codec';
import { toRgb8 } from '../io/image_convert';
import type { Raster } from '../io/raster';
import { createPreprocessor } from '../inference/preprocess';
import type { PreprocessOptions } from '../inference/preprocess_options';
import type { Feed } from './activation_ranges';

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

/** A calibration frame: where it came from (file name, or bag topic and log time) and its pixels. */
export interface CalibrationImage {
  name: string;
  image: Raster;
}

/** Decoded images of `dir` (sorted by name, at most `limit`); throws naming the folder if none. */
export function loadImageFolder(dir: string, limit = Number.POSITIVE_INFINITY): CalibrationImage[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('it is not a folder');
    names = readdirSync(dir)
      .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))
      .sort();
  } catch (err) {
    throw new Error(`--calibration "${dir}": ${(err as Error).message}; expected a folder of .jpg/.png images`);
  }
  if (names.length === 0) throw new Error(`--calibration "${dir}" holds no .jpg/.png images`);
  return names.slice(0, limit).map((name) => {
    const data = new Uint8Array(readFileSync(join(dir, name)));
    try {
      return { name, image: toRgb8(decodeImage({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' }, format: '', data })) };
    } catch (err) {
      throw new Error(`calibration image "${join(dir, name)}" could not be decoded: ${(err as Error).message}`);
    }
  });
}

/** One model feed per image, preprocessed as the detector does (input `inputName`, batch 1). */
export async function* imageFeeds(images: readonly Raster[], inputName: string, preprocess: PreprocessOptions): AsyncGenerator<Feed> {
  const pre = createPreprocessor('js', preprocess);
  try {
    for (const image of images) {
      const { tensor } = await pre.run([image]);
      // The preprocessor reuses its buffer: copy before the next image overwrites it.
      yield { [inputName]: { dims: [...tensor.dims], data: Float32Array.from(tensor.data as Float32Array) } };
    }
  } finally {
    await pre.dispose();
  }
}
