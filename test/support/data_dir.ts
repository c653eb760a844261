// The one data directory for models, photos and reference files that are too large to ship:
// $DX_PERCEPTION_DATA, else ../shared beside the repository (README, "Data"). A test that needs
// a file there calls `requireData`: a missing file skips the test and is named in the run's one
// summary line (summary-reporter.js), except under CI=true, where missing data fails the test.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataDirectory } from '../../src/sim/data_directory';

export const DATA_DIR = dataDirectory();

/** Data-relative paths some test found missing; read by summary-reporter.js at the end of the run. */
const missing: Set<string> = ((globalThis as { dxMissingData?: Set<string> }).dxMissingData ??= new Set());

/** Absolute path of `relative` under the data directory. */
export function dataPath(relative: string): string {
  return resolve(DATA_DIR, relative);
}

/** Skips (or under CI=true fails) the running test unless every path exists under DATA_DIR. */
export function requireData(ctx: Mocha.Context, ...relatives: string[]): void {
  const absent = relatives.filter((r) => !existsSync(dataPath(r)));
  if (absent.length === 0) return;
  if (process.env.CI === 'true') {
    throw new Error(`missing test data under ${DATA_DIR} (DX_PERCEPTION_DATA): ${absent.join(', ')}; see README, "Data"`);
  }
  for (const a of absent) missing.add(a);
  ctx.skip();
}

/** The photos the built-in people_crossing scene shows, under the data directory. */
export const PEOPLE_CROSSING_PHOTOS = ['dog.jpg', 'person.jpg', '000000001000.jpg'].map((f) => `data/images/${f}`);
