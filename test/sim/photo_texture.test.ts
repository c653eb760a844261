// Photo textures: the `photo` key is validated like every other key, a missing image stops the
// scene from loading, and a photo face shows the photo's own pixels, upright and unmirrored.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { stringify } from 'yaml';
import { loadScene } from '../../src/sim/scene_loader';
import { parseScene } from '../../src/sim/scene_schema';
import { SceneSimulator } from '../../src/sim/scene_simulator';
import { refusal } from './scene_variants';
import { dataPath, PEOPLE_CROSSING_PHOTOS, requireData } from '../support/data_dir';

const IMAGES = dataPath('data/images');
const PERSON_JPG = join(IMAGES, 'person.jpg');
/** The standing person in person.jpg (640x424), as people_crossing uses it. */
const CROP: [number, number, number, number] = [180, 90, 110, 292];

/** A scene file in a fresh temp folder with one static photo object; returns its path. */
function sceneFile(photo: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sim-photo-')), 'photo.yaml');
  writeFileSync(
    file,
    stringify({
      name: 'photo',
      seed: 1,
      duration: 1,
      static_objects: [{ class: 'person', size: [0.5, 0.5, 1.7], position: [3, 0], photo }],
    }),
  );
  return file;
}

/** Pearson correlation of two equally long series. */
function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0,
    aa = 0,
    bb = 0;
  a.forEach((x, k) => {
    ab += (x - ma) * (b[k] - mb);
    aa += (x - ma) ** 2;
    bb += (b[k] - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}

describe('sim photo textures', function () {
  this.timeout(20_000);

  it('refuses a malformed photo key, naming it', function () {
    requireData(this, 'data/images/person.jpg');
    const file = sceneFile({ image: PERSON_JPG, crop: [10, 10, 0, 50] });
    assert.match(
      refusal(() => loadScene(file)),
      /static_objects\.0\.photo\.crop\.2 = 0: /,
    );
    assert.match(
      refusal(() => loadScene(sceneFile({ image: PERSON_JPG, crop: [-1, 0, 5, 5] }))),
      /static_objects\.0\.photo\.crop\.0 = -1: /,
    );
    assert.match(
      refusal(() => loadScene(sceneFile({ image: PERSON_JPG, crop: [0, 0, 5] }))),
      /static_objects\.0\.photo\.crop/,
    );
    assert.match(
      refusal(() => loadScene(sceneFile({ image: PERSON_JPG, crop: CROP, scale: 2 }))),
      /static_objects\.0\.photo.*scale/,
    );
  });

  it('refuses a crop that reaches past its image, naming the key and the image size', function () {
    requireData(this, 'data/images/person.jpg');
    const msg = refusal(() => loadScene(sceneFile({ image: PERSON_JPG, crop: [600, 0, 50, 100] })));
    assert.match(msg, /static_objects\.0\.photo\.crop = \[600,0,50,100\]: reaches past the 640x424 image/);
  });

  it('refuses to load a scene whose photo file is missing or not an image, naming the file', () => {
    const msg = refusal(() => loadScene(sceneFile({ image: 'no_such_photo.jpg', crop: CROP })));
    assert.match(
      msg,
      /photo\.yaml: static_objects\.0\.photo\.image = "\/.*sim-photo-[^/]+\/no_such_photo\.jpg": no such file; the scene needs this image/,
    );
    const notImage = sceneFile({ image: 'photo.yaml', crop: CROP });
    assert.match(
      refusal(() => loadScene(notImage)),
      /static_objects\.0\.photo\.image = ".*photo\.yaml": cannot read it as a photo: .*neither JPEG nor PNG/,
    );
  });

  it('resolves photo paths against the scene file, and people_crossing finds its photos in the data directory', function () {
    requireData(this, ...PEOPLE_CROSSING_PHOTOS);
    const scene = loadScene('people_crossing');
    const photos = [...scene.static_objects, ...scene.moving_objects].flatMap((o) => (o.photo ? [o.photo.image] : []));
    assert.ok(photos.length >= 3);
    for (const p of photos) {
      assert.ok(isAbsolute(p), p);
      assert.ok(p.startsWith(IMAGES), `${p} is read in place from ${IMAGES}`);
    }
  });

  it('shows the crop upright and unmirrored on the face towards the camera', function () {
    requireData(this, 'data/images/person.jpg');
    // A 1.0 m wide, 1.6 m tall face at x = 2.8 m, straight ahead of front_left (at x 0.25,
    // y 0.06, z 0.5 in base_link, looking along +x, fx = fy = 460, principal point (319.5, 239.5)).
    const [w, h, xFace, yCentre] = [1.0, 1.6, 2.8, 0.06];
    const scene = parseScene(
      {
        name: 'photo_face',
        seed: 1,
        duration: 1,
        static_objects: [
          { class: 'person', size: [0.4, w, h], position: [xFace + 0.2, yCentre], photo: { image: PERSON_JPG, crop: CROP } },
        ],
      },
      'photo_face',
    );
    const image = new SceneSimulator(scene).renderFrame(0).images.get('front_left')!;
    const photo = jpeg.decode(readFileSync(PERSON_JPG), { useTArray: true });
    // Reference: each pixel's ray hits the face plane at (y, z); the viewer's right is -y and
    // crop rows run down from the top edge. Nearest crop pixel, away from the crop's border.
    const [rendered, upright, mirrored]: number[][][] = [
      [[], [], []],
      [[], [], []],
      [[], [], []],
    ];
    const t = xFace - 0.25;
    for (let j = 0; j < image.height; j += 2) {
      for (let i = 0; i < image.width; i += 2) {
        const y = 0.06 - (t * (i - 319.5)) / 460;
        const z = 0.5 - (t * (j - 239.5)) / 460;
        const u = ((yCentre + w / 2 - y) / w) * CROP[2];
        const v = ((h - z) / h) * CROP[3];
        if (u < 1 || u > CROP[2] - 1 || v < 1 || v > CROP[3] - 1) continue;
        const at = (x: number) => ((CROP[1] + Math.floor(v)) * photo.width + CROP[0] + Math.floor(x)) * 4;
        const dst = (j * image.width + i) * 3;
        for (let c = 0; c < 3; c++) {
          rendered[c].push(image.data[dst + 2 - c]);
          upright[c].push(photo.data[at(u) + c]);
          mirrored[c].push(photo.data[at(CROP[2] - u) + c]);
        }
      }
    }
    for (let c = 0; c < 3; c++) {
      assert.ok(upright[c].length > 10_000, `the face covers only ${upright[c].length} sampled pixels`);
      const r = correlation(rendered[c], upright[c]);
      assert.ok(r > 0.9, `channel ${c}: rendered face vs photo crop correlate ${r.toFixed(3)}; expected > 0.9`);
      assert.ok(correlation(rendered[c], mirrored[c]) < r - 0.2, `channel ${c}: the face is not mirrored`);
    }
  });

  it('renders people_crossing deterministically', function () {
    requireData(this, ...PEOPLE_CROSSING_PHOTOS);
    const digest = (sim: SceneSimulator) => createHash('sha256').update(sim.renderFrame(40).images.get('front_left')!.data).digest('hex');
    const scene = loadScene('people_crossing');
    assert.equal(digest(new SceneSimulator(scene)), digest(new SceneSimulator(loadScene('people_crossing'))));
  });
});
