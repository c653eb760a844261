// What `--calibration` names: a folder of photos, or a rosbag2 bag (a folder with metadata.yaml
// or .mcap/.db3 files, or one such file) whose camera frames calibrate the model.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { loadBagFrames } from './calibration_bag';
import { IMAGE_EXTENSIONS, loadImageFolder, type CalibrationImage } from './calibration_images';

const BAG_EXTENSIONS = new Set(['.mcap', '.db3']);
const EXPECTED = 'expected a folder of .jpg/.png images or a rosbag2 bag (a folder with metadata.yaml, or a .mcap/.db3 file)';

function isBagFolder(dir: string): boolean {
  return existsSync(join(dir, 'metadata.yaml')) || readdirSync(dir).some((f) => BAG_EXTENSIONS.has(extname(f)));
}

/**
 * At most `limit` calibration frames from `path` (an image folder or a bag). Throws naming the
 * path and `flag` when it is neither, or holds no usable image.
 */
export async function loadCalibrationFrames(path: string, limit: number, flag = '--calibration'): Promise<CalibrationImage[]> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new Error(`${flag} "${path}" does not exist; ${EXPECTED}`);
  if (stat.isFile()) {
    if (BAG_EXTENSIONS.has(extname(path))) return loadBagFrames(path, limit, flag);
    throw new Error(`${flag} "${path}" is a file that is not a bag; ${EXPECTED}`);
  }
  if (isBagFolder(path)) return loadBagFrames(path, limit, flag);
  if (!readdirSync(path).some((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))) {
    throw new Error(`${flag} "${path}" holds no .jpg/.png images and no bag; ${EXPECTED}`);
  }
  return loadImageFolder(path, limit);
}
