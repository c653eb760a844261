// Test scenes: the built-in scene files with some keys replaced, validated like any scene.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BUILTIN_SCENE_DIR } from '../../src/sim/scene_loader';
import { parseScene, type Scene } from '../../src/sim/scene_schema';

/** The raw (unvalidated) content of a built-in scene file. */
export function builtinRaw(name: string): Record<string, unknown> {
  return parse(readFileSync(join(BUILTIN_SCENE_DIR, `${name}.yaml`), 'utf8')) as Record<string, unknown>;
}

/** A built-in scene with top-level keys replaced. */
export function variant(name: string, overrides: Record<string, unknown>): Scene {
  return parseScene({ ...builtinRaw(name), ...overrides }, `${name} (test variant)`);
}

/** The default rig with plumb_bob distortion on the given cameras (a typical wide-angle lens). */
export function distortedRig(cameras: string[]): Record<string, unknown> {
  const cam = (name: string, position: number[], yaw: number) => ({
    name,
    position,
    rpy_deg: [0, 0, yaw],
    ...(cameras.includes(name) ? { distortion: { model: 'plumb_bob', d: [-0.28, 0.07, 0.0004, -0.0003, 0] } } : {}),
  });
  return {
    cameras: [
      cam('front_left', [0.25, 0.06, 0.5], 0),
      cam('front_right', [0.25, -0.06, 0.5], 0),
      cam('left', [0, 0.15, 0.5], 90),
      cam('right', [0, -0.15, 0.5], -90),
    ],
  };
}

/** The message of the error `fn` throws; fails the test when it throws none. */
export function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('expected the scene to be refused');
}
