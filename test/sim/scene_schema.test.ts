// Scene files: the built-in ones load, and bad ones are refused with the key, the value and
// what was expected.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinScenes, loadScene } from '../../src/sim/scene_loader';
import { builtinRaw, refusal, variant } from './scene_variants';
import { PEOPLE_CROSSING_PHOTOS, requireData } from '../support/data_dir';

describe('sim scene files', () => {
  const loadsWithDefaults = (name: string) => {
    const scene = loadScene(name);
    assert.equal(scene.name, name);
    assert.deepEqual(
      scene.rig.cameras.map((c) => c.name),
      ['front_left', 'front_right', 'left', 'right'],
    );
    assert.equal(scene.rig.cameras[0].cx, 319.5);
  };

  it('ships the four built-in scenes, and each without photos loads with defaults filled in', () => {
    assert.deepEqual(builtinScenes(), ['corridor_crossing', 'moving_robot', 'people_crossing', 'warehouse_static']);
    for (const name of builtinScenes().filter((n) => n !== 'people_crossing')) loadsWithDefaults(name);
    assert.ok(loadScene('moving_robot').robot.path, 'moving_robot has a robot path');
  });

  it('loads the photo scene people_crossing with defaults filled in', function () {
    requireData(this, ...PEOPLE_CROSSING_PHOTOS);
    loadsWithDefaults('people_crossing');
  });

  it('loads a scene from a file path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-scene-'));
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, 'name: mine\nseed: 3\nduration: 1\n');
    const scene = loadScene(file);
    assert.equal(scene.rate_hz, 30);
    assert.equal(scene.stamps.jitter_ms, 2);
    assert.equal(scene.rig.cameras.length, 4);
  });

  it('names the key, the value and the expectation of an invalid field', () => {
    const raw = builtinRaw('corridor_crossing');
    const moving = raw.moving_objects as Array<Record<string, unknown>>;
    const bad = [
      {
        ...moving[0],
        trajectory: {
          waypoints: [
            [0, 0],
            [1, 1],
          ],
          speed: -1,
        },
      },
    ];
    const msg = refusal(() => variant('corridor_crossing', { moving_objects: bad }));
    assert.match(msg, /moving_objects\.0\.trajectory\.speed = -1: /);
    assert.match(msg, /corridor_crossing/);
  });

  it('refuses unknown keys, unknown cameras and a robot outside the room', () => {
    assert.match(
      refusal(() => variant('corridor_crossing', { colour: 'red' })),
      /colour/,
    );
    assert.match(
      refusal(() => variant('corridor_crossing', { stamps: { drops: [{ camera: 'rear', frame: 3 }] } })),
      /stamps\.drops\.0\.camera = "rear": unknown camera "rear"; expected one of front_left, front_right, left, right/,
    );
    assert.match(
      refusal(() => variant('corridor_crossing', { robot: { position: [50, 0] } })),
      /robot\.position = \[50,0\]: .*outside the room/,
    );
    assert.match(
      refusal(() => variant('corridor_crossing', { seed: undefined })),
      /seed = missing/,
    );
  });

  it('names what is wrong with a missing or malformed file', () => {
    assert.match(
      refusal(() => loadScene('no_such_scene')),
      /neither a file nor a built-in scene.*corridor_crossing/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'sim-scene-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'name: [unclosed\n');
    assert.match(
      refusal(() => loadScene(file)),
      /broken\.yaml is not valid YAML/,
    );
  });

  it('refuses a path that repeats a waypoint', () => {
    const moving_objects = [
      {
        class: 'person',
        trajectory: {
          waypoints: [
            [1, 1],
            [1, 1],
            [2, 2],
          ],
          speed: 1,
        },
      },
    ];
    assert.match(
      refusal(() => variant('corridor_crossing', { moving_objects })),
      /moving_objects\.0\.trajectory\.waypoints\.1 = \[1,1\]: repeats waypoint 0/,
    );
  });
});
