// The files a configuration needs before its pipeline can start: checked at once, synchronously,
// so that a ROS lifecycle `configure` (whose callback cannot wait for models to load) fails on
// a missing or unreadable model instead of reporting success first.
import { accessSync, constants, statSync } from 'node:fs';
import { resolveModelPath } from '../depth/mono_depth';
import type { PerceptionConfig } from './config_schema';

/** One line per configured file that cannot be read, naming its key; empty when all can. */
export function unreadableModelFiles(config: PerceptionConfig): string[] {
  const files: Array<[key: string, path: string]> = [
    ['detection.model_path', config.detection.model_path],
    ['detection.labels_path', config.detection.labels_path],
    ['depth.learned_model_path', config.depth.learned_model_path],
  ];
  return files.flatMap(([key, path]) => {
    if (path === '') return [];
    const resolved = resolveModelPath(path);
    try {
      if (!statSync(resolved).isFile()) return [`${key} = "${path}": not a file`];
      accessSync(resolved, constants.R_OK);
      return [];
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return [`${key} = "${path}": ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable' : (err as Error).message}`];
    }
  });
}
