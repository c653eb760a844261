// Finding and reading scene files: a path to a YAML file, or the name of a built-in scene
// shipped in <repo>/scenes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadScenePhotos, resolvePhotoPaths } from './photo_texture';
import { parseScene, type Scene } from './scene_schema';

/** Directory of the built-in scenes (repo root /scenes). */
export const BUILTIN_SCENE_DIR = resolve(__dirname, '..', '..', 'scenes');

/** Names of the built-in scenes (file names without .yaml), sorted. */
export function builtinScenes(): string[] {
  if (!existsSync(BUILTIN_SCENE_DIR)) return [];
  return readdirSync(BUILTIN_SCENE_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'))
    .sort();
}

/**
 * Loads and validates a scene: `pathOrBuiltinName` is either a built-in scene name (see
 * builtinScenes) or a path to a YAML file. Photo paths come back absolute (resolved against the
 * file's folder). Throws naming the file and every invalid key, or a photo that is missing,
 * unreadable or smaller than its crop.
 */
export function loadScene(pathOrBuiltinName: string): Scene {
  const builtin = builtinScenes().includes(pathOrBuiltinName);
  const file = builtin ? join(BUILTIN_SCENE_DIR, `${pathOrBuiltinName}.yaml`) : pathOrBuiltinName;
  if (!existsSync(file)) {
    throw new Error(
      `loadScene: "${pathOrBuiltinName}" is neither a file nor a built-in scene; expected a YAML path or one of: ${builtinScenes().join(', ')}`,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`loadScene: ${file} is not valid YAML: ${(err as Error).message}`);
  }
  const scene = resolvePhotoPaths(parseScene(raw, file), dirname(resolve(file)));
  // Decoded here only to fail at load time rather than in a render worker; the simulator
  // decodes its own copy (each worker needs one anyway).
  loadScenePhotos(scene, `scene ${file}`);
  return scene;
}
