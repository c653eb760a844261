// Small scene bags for pipeline tests, rendered once per test run (the renderer is
// deterministic, so every run and every machine gets the same bag), plus bag surgery: copies of
// a bag with messages changed, dropped or corrupted, to exercise replay on bad input.
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBag, type BagMessage } from '../../src/io/bag_reader';
import { McapBagWriter } from '../../src/io/bag_writer';
import { loadScene, writeSceneBag } from '../../src/sim';

const cache = new Map<string, string>();

/** A bag of the first `seconds` of built-in scene `name` (ground-truth depth included when asked). */
export async function sceneBag(name: string, seconds: number, depth = false): Promise<string> {
  const key = `${name}:${seconds}:${depth}`;
  const hit = cache.get(key);
  if (hit && existsSync(hit)) return hit;
  const dir = join(mkdtempSync(join(tmpdir(), 'scene-bag-')), 'bag');
  await writeSceneBag({ ...loadScene(name), duration: seconds }, dir, { depth });
  cache.set(key, dir);
  return dir;
}

/** What to do with one message of a copied bag: keep it, drop it, or replace its bytes. */
export type Edit = (m: BagMessage) => 'keep' | 'drop' | Uint8Array;

/** Copies `src` to a new bag, applying `edit` to every message. */
export async function editBag(src: string, edit: Edit): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'edited-bag-')), 'bag');
  const reader = await openBag(src);
  const writer = await McapBagWriter.create(dir, { compression: 'none' });
  try {
    for await (const m of reader.messages()) {
      const e = edit(m);
      if (e === 'drop') continue;
      await writer.writeSerialized(m.topic, m.type, m.logTime, e === 'keep' ? m.data : e);
    }
  } finally {
    await writer.close();
    await reader.close();
  }
  return dir;
}
