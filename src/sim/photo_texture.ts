// Photo textures: an object may wear a crop of a real photo on its vertical faces, so that a
// detector trained on photos (COCO) sees a person where the scene has a person-sized box. The
// crop is cut out once per scene, as an rgb8 raster the renderer samples directly.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { decodeImage } from '../io/image_codec';
import { toRgb8 } from '../io/image_convert';
import type { Raster } from '../io/raster';
import { DATA_DIR_PREFIX, dataDirectory } from './data_directory';
import type { PhotoSpec, Scene } from './scene_schema';

/** Each object's photo spec and its key in the scene file, in SceneWorld's object order (static, then moving). */
export function objectPhotos(scene: Scene): Array<{ key: string; photo: PhotoSpec | undefined }> {
  return [
    ...scene.static_objects.map((o, i) => ({ key: `static_objects.${i}.photo`, photo: o.photo })),
    ...scene.moving_objects.map((o, i) => ({ key: `moving_objects.${i}.photo`, photo: o.photo })),
  ];
}

/**
 * `scene` with every photo path made absolute: `$DX_PERCEPTION_DATA/…` against the data
 * directory, other relative paths against `baseDir` (the scene file's folder).
 */
export function resolvePhotoPaths(scene: Scene, baseDir: string): Scene {
  const absolute = (image: string): string =>
    image.startsWith(DATA_DIR_PREFIX) ? resolve(dataDirectory(), image.slice(DATA_DIR_PREFIX.length)) : resolve(baseDir, image);
  const withPath = <T extends { photo?: PhotoSpec }>(o: T): T =>
    o.photo && !isAbsolute(o.photo.image) ? { ...o, photo: { ...o.photo, image: absolute(o.photo.image) } } : o;
  return { ...scene, static_objects: scene.static_objects.map(withPath), moving_objects: scene.moving_objects.map(withPath) };
}

/**
 * Reads every object's photo and cuts out its crop: one rgb8 raster per object (undefined for
 * objects without a photo), in SceneWorld's object order. Throws, naming `source`, the key and
 * the file, when a file is missing or unreadable or a crop reaches outside its image.
 */
export function loadScenePhotos(scene: Scene, source = `scene ${scene.name}`): Array<Raster<Uint8Array> | undefined> {
  const decoded = new Map<string, Raster<Uint8Array>>();
  return objectPhotos(scene).map(({ key, photo }) => {
    if (!photo) return undefined;
    const what = `${source}: ${key}.image = ${JSON.stringify(photo.image)}`;
    let image = decoded.get(photo.image);
    if (!image) {
      image = readPhoto(photo.image, what);
      decoded.set(photo.image, image);
    }
    return cropRaster(image, photo.crop, `${source}: ${key}.crop`);
  });
}

function readPhoto(file: string, what: string): Raster<Uint8Array> {
  if (!existsSync(file)) throw new Error(`${what}: no such file; the scene needs this image for its photo texture`);
  try {
    const data = new Uint8Array(readFileSync(file));
    return toRgb8(decodeImage({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' }, format: '', data }));
  } catch (err) {
    throw new Error(`${what}: cannot read it as a photo: ${(err as Error).message}`);
  }
}

function cropRaster(image: Raster<Uint8Array>, crop: readonly [number, number, number, number], what: string): Raster<Uint8Array> {
  const [x, y, w, h] = crop;
  if (x + w > image.width || y + h > image.height) {
    throw new Error(
      `${what} = [${crop}]: reaches past the ${image.width}x${image.height} image; expected x + width <= ${image.width} and y + height <= ${image.height}`,
    );
  }
  const data = new Uint8Array(w * h * 3);
  for (let j = 0; j < h; j++) {
    const from = ((y + j) * image.width + x) * 3;
    data.set(image.data.subarray(from, from + w * 3), j * w * 3);
  }
  return { width: w, height: h, channels: 3, format: 'rgb8', data };
}
