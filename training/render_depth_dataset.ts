// Renders one shard of the learned-depth data set with the project's own renderer (src/sim):
// views from depth_layouts.ts, reduced to the model's input size exactly as the pipeline reduces
// a camera image at run time (the same bilinear preprocessor), with the metric depth reduced
// alongside (bilinear in inverse depth, the same sample positions).
//
//   npx tsx training/render_depth_dataset.ts --split train --start 0 --count 1500 --out DIR
//
// DIR gets images.u8 (count x 3 x H x W, RGB planes), depth.f32 (count x H x W, metres along
// the optical axis, little-endian) and meta.json (split, views, size, photos used).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resizeBilinear } from '../src/depth/mono_depth';
import { createPreprocessor } from '../src/inference/preprocess';
import { photoPool, renderView, VIEW_CAMERA, type Split } from './depth_layouts';

/** The model's input size (training/train_mono_depth.py builds the network for it). */
export const MODEL_WIDTH = 192;
export const MODEL_HEIGHT = 144;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { split: { type: 'string', default: 'train' }, start: { type: 'string', default: '0' }, count: { type: 'string' }, out: { type: 'string' } },
  });
  const split = values.split as Split;
  if (split !== 'train' && split !== 'eval') throw new Error(`--split ${values.split}: expected train or eval`);
  const start = Number(values.start);
  const count = Number(values.count);
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(count) || count < 1) throw new Error('--start and --count: expected integers, start >= 0 and count >= 1');
  if (!values.out) throw new Error('--out: expected the folder to write the shard to');
  mkdirSync(values.out, { recursive: true });

  const pool = photoPool(split);
  const tiles = new Map<number, Float32Array>();
  const pre = createPreprocessor('js', {
    width: MODEL_WIDTH, height: MODEL_HEIGHT, mode: 'resize', letterboxAlign: 'topleft', padValue: 0, channelOrder: 'rgb', mean: [0, 0, 0], std: [1, 1, 1],
  });
  const plane = MODEL_WIDTH * MODEL_HEIGHT;
  const images = new Uint8Array(count * 3 * plane);
  const depth = new Float32Array(count * plane);
  const inverse = new Float32Array(VIEW_CAMERA.width * VIEW_CAMERA.height);
  for (let i = 0; i < count; i++) {
    const view = renderView(split, start + i, pool, tiles);
    const { tensor } = await pre.run([view.image]);
    const pixels = tensor.data as Float32Array;
    for (let k = 0; k < 3 * plane; k++) images[i * 3 * plane + k] = Math.round(pixels[k]);
    for (let k = 0; k < inverse.length; k++) inverse[k] = 1 / view.depth[k];
    const small = resizeBilinear(inverse, VIEW_CAMERA.width, VIEW_CAMERA.height, MODEL_WIDTH, MODEL_HEIGHT);
    for (let k = 0; k < plane; k++) depth[i * plane + k] = 1 / small[k];
    if ((i + 1) % 100 === 0) process.stderr.write(`render_depth_dataset ${split}: ${i + 1}/${count}\n`);
  }
  await pre.dispose();
  writeFileSync(join(values.out, 'images.u8'), images);
  writeFileSync(join(values.out, 'depth.f32'), new Uint8Array(depth.buffer));
  const meta = { split, start, count, width: MODEL_WIDTH, height: MODEL_HEIGHT, photos: [...new Set(pool.specs.map((s) => s.image))] };
  writeFileSync(join(values.out, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`render_depth_dataset: ${err.message}\n`);
  process.exit(1);
});
