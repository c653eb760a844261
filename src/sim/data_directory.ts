// The one data directory for files too large to ship in the repository (the shared detectors,
// photos, reference data): $DX_PERCEPTION_DATA, else ../shared beside the repository. README, "Data".
import { resolve } from 'node:path';

/** Prefix a scene file's photo path may start with to name a file in the data directory. */
export const DATA_DIR_PREFIX = '$DX_PERCEPTION_DATA/';

export function dataDirectory(): string {
  return resolve(process.env.DX_PERCEPTION_DATA ?? resolve(__dirname, '..', '..', '..', 'shared'));
}
