// Replay of bags a user actually gets: one cut short, one with a damaged chunk, one stopped with
// Ctrl-C. Each damaged replay is compared with the replay of a clean bag holding exactly what a
// stream reader can recover, so "every recoverable frame set" is checked, not just "no crash".
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapStreamReader } from '@mcap/core';
import { loadDecompressHandlers } from '@mcap/support';
import Database from 'better-sqlite3';
import { openBag, type BagMessage } from '../../src/io/bag_reader';
import { decodeImage, encodeCompressed } from '../../src/io/image_codec';
import { encodeMessage } from '../../src/msgs/codec';
import type { CameraInfo, Image, TFMessage, TransformStamped } from '../../src/msgs/types';
import { McapBagWriter } from '../../src/io/bag_writer';
import { parseConfig } from '../../src/config/config';
import { summarizeResult, type FrameSummary } from '../../src/replay/frame_summary';
import { replayBag } from '../../src/replay/replay';
import { runCli } from '../support/cli_run';
import { editBag, sceneBag, type Edit } from '../support/scene_bags';

const TARGET_TIME = { scheduler: { time_mode: 'target' } };

async function replayFrames(bag: string) {
  const frames: FrameSummary[] = [];
  const warnings: string[] = [];
  const summary = await replayBag(bag, {
    config: parseConfig(TARGET_TIME),
    onResult: (r) => frames.push(summarizeResult(r)),
    onWarning: (w) => warnings.push(w),
  });
  return { frames, warnings, summary };
}

/** Each chunk's messages, as `topic@logTime`, in file order, read by @mcap/core's stream reader. */
async function chunkContents(bytes: Uint8Array): Promise<{ offset: number; messages: Set<string> }[]> {
  const reader = new McapStreamReader({ includeChunks: true, decompressHandlers: await loadDecompressHandlers() });
  const topics = new Map<number, string>();
  const chunks: { offset: number; messages: Set<string> }[] = [];
  let offset = 8;
  reader.append(bytes);
  for (let r; (r = reader.nextRecord());) {
    if (r.type === 'Header') offset += 9 + 4 + r.profile.length + 4 + r.library.length;
    else if (r.type === 'Channel') topics.set(r.id, r.topic);
    else if (r.type === 'Chunk') {
      chunks.push({ offset, messages: new Set() });
      offset += 9 + 8 + 8 + 8 + 4 + 4 + r.compression.length + 8 + r.records.byteLength;
    } else if (r.type === 'Message') chunks[chunks.length - 1]!.messages.add(`${topics.get(r.channelId)}@${r.logTime}`);
    else if (r.type === 'MessageIndex') offset += 9 + 2 + 4 + r.records.length * 16;
  }
  return chunks;
}

describe('replay of damaged bags and interrupted replays', function () {
  this.timeout(300_000);
  let bag: string;
  let mcap: Buffer;
  let work: string;
  before(async () => {
    bag = await sceneBag('corridor_crossing', 1);
    mcap = readFileSync(
      join(
        bag,
        readdirSync(bag).find((f) => f.endsWith('.mcap'))!,
      ),
    );
    work = mkdtempSync(join(tmpdir(), 'replay-reliab-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('a bag with one bad chunk gives every frame set of the bag without that chunk, and names the chunk', async () => {
    const chunks = await chunkContents(mcap);
    const bad = chunks[Math.floor(chunks.length / 2)]!;
    assert.ok(
      [...bad.messages].some((m) => m.includes('/image_raw')),
      'the damaged chunk holds images',
    );
    const damaged = Buffer.from(mcap);
    damaged[bad.offset + 60]! ^= 0xff; // inside the chunk's records: its CRC no longer matches
    const file = join(work, 'bad_chunk.mcap');
    writeFileSync(file, damaged);
    const reference = await editBag(bag, (m) => (bad.messages.has(`${m.topic}@${m.logTime}`) ? 'drop' : 'keep'));

    const got = await replayFrames(file);
    const want = await replayFrames(reference);
    assert.ok(want.frames.length > 20, `${want.frames.length} frame sets`);
    assert.deepEqual(got.frames, want.frames);
    assert.ok(
      got.warnings.some((w) => w.includes(`offset ${bad.offset}`) && /Incorrect chunk CRC/.test(w)),
      got.warnings.join('\n'),
    );
    assert.equal(got.summary.skipped.parts, 1);
  });

  it('a bag cut short (no summary, a chunk cut in half) gives every frame set of what a stream reader recovers', async () => {
    const chunks = await chunkContents(mcap);
    const cut = chunks[Math.floor((chunks.length * 2) / 3)]!;
    const file = join(work, 'cut.mcap');
    writeFileSync(file, mcap.subarray(0, cut.offset + 1000));
    const recovered = new Set(chunks.filter((c) => c.offset < cut.offset).flatMap((c) => [...c.messages]));
    const reference = await editBag(bag, (m) => (recovered.has(`${m.topic}@${m.logTime}`) ? 'keep' : 'drop'));

    const got = await replayFrames(file);
    const want = await replayFrames(reference);
    assert.ok(want.frames.length > 10, `${want.frames.length} frame sets`);
    assert.deepEqual(got.frames, want.frames);
    assert.ok(
      got.warnings.some((w) => w.includes(`offset ${cut.offset}`) && /truncated/.test(w)),
      got.warnings.join('\n'),
    );
  });

  it('a .db3 with a damaged page gives every frame set of the bag without the rows that page held, and names them', async () => {
    const file = await db3Copy(bag, join(work, 'damaged-page.db3'), (t) => t.type);
    const topics: string[] = []; // by row id - 1: db3Copy inserts in the bag's order
    const source = await openBag(bag);
    for await (const m of source.messages()) topics.push(m.topic);
    await source.close();
    // What a bad disk sector does: the table leaf page nearest the middle of the file that holds an image row, overwritten.
    const bytes = readFileSync(file);
    const pages = leafPages(bytes).filter((p) => p.rowIds.some((id) => topics[id - 1]!.endsWith('/image_raw')));
    const page = pages.reduce((best, p) => (Math.abs(p.offset - bytes.length / 2) < Math.abs(best.offset - bytes.length / 2) ? p : best));
    bytes.fill(0x55, page.offset, page.offset + page.size);
    writeFileSync(file, bytes);
    const lost = new Set(page.rowIds);
    let id = 0;
    const reference = await editBag(bag, () => (lost.has(++id) ? 'drop' : 'keep'));

    const got = await replayFrames(file);
    const want = await replayFrames(reference);
    assert.ok(want.frames.length > 20, `${want.frames.length} frame sets`);
    assert.deepEqual(got.frames, want.frames);
    const [first, last] = [Math.min(...lost), Math.max(...lost)];
    assert.ok(
      got.warnings.includes(
        `sqlite3 bag file ${file}: skipped messages rows id ${first}..${last}: unreadable (database disk image is malformed)`,
      ),
      got.warnings.join('\n'),
    );
    assert.deepEqual(got.summary.skipped, { parts: 1, messages: lost.size });
  });
});

describe('replay refusals and warnings that name the bag, topic or option', function () {
  this.timeout(300_000);
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'replay-words-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('an empty bag is refused, saying so', async () => {
    const empty = join(work, 'empty');
    await (await McapBagWriter.create(empty)).close();
    await assert.rejects(
      replayBag(empty, { config: parseConfig(TARGET_TIME) }),
      new RegExp(`bag ${empty} holds no messages; nothing to replay`),
    );
  });

  it("sync.min_cameras above the bag's camera count is refused naming the key and the cameras", async () => {
    const bag = await sceneBag('corridor_crossing', 1);
    await assert.rejects(
      replayBag(bag, { config: parseConfig({ ...TARGET_TIME, sync: { min_cameras: 8 } }) }),
      new RegExp(`sync.min_cameras = 8 but bag ${bag} has 4 usable cameras \\(front_left, front_right, left, right\\); expected at most 4`),
    );
  });

  it('cameras selects the bag cameras to replay, and one the bag lacks is refused naming the key', async () => {
    const bag = await sceneBag('corridor_crossing', 1);
    const seen = new Set<string>();
    const pair = ['front_left', 'front_right'];
    const summary = await replayBag(bag, {
      config: parseConfig({ ...TARGET_TIME, cameras: pair, depth: { stereo_pairs: [pair] } }),
      onResult: (r) =>
        r.outputs.forEach((o) => {
          if (o.topic.endsWith('/detections') || o.topic.endsWith('/depth')) seen.add(o.topic.split('/').slice(-2, -1)[0]!);
        }),
    });
    assert.deepEqual(
      summary.cameras.map((c) => c.camera),
      pair,
    );
    assert.ok(summary.completed > 0);
    assert.ok(![...seen].some((c) => c === 'left' || c === 'right'), `outputs for unselected cameras: ${[...seen].join(', ')}`);
    await assert.rejects(
      replayBag(bag, { config: parseConfig({ ...TARGET_TIME, cameras: ['front_left', 'rear'], depth: { stereo_pairs: [] } }) }),
      /cameras = \["front_left","rear"\]: bag .* has no camera "rear" with image and camera_info topics; its cameras are front_left, front_right, left, right/,
    );
  });

  it("a height band upside down is refused naming the configuration keys, not the fusion stage's options", async () => {
    const { code, errors } = await runCli(['replay', join(work, 'never-read'), '--set', 'depth.obstacle_min_height_m=1.9']);
    assert.equal(code, 1);
    assert.match(errors, /depth\.obstacle_max_height_m = 1\.8: expected more than depth\.obstacle_min_height_m \(1\.9\)/);
    assert.doesNotMatch(errors, /cloud\.|maxHeight/);
    assert.match(
      (await runCli(['replay', join(work, 'never-read'), '--set', 'scan.max_height_m=0.05'])).errors,
      /scan\.max_height_m = 0\.05: expected more than scan\.min_height_m \(0\.1\)/,
    );
  });

  it('--out "" is refused naming the option', async () => {
    const { code, errors } = await runCli(['replay', join(work, 'never-read'), '--out', '']);
    assert.equal(code, 1);
    assert.match(errors, /--out "": expected the output bag directory/);
  });

  it("a --remap that feeds one camera's images to another is refused naming both topics; a swap is accepted", async () => {
    const bag = await sceneBag('corridor_crossing', 1);
    const error = await replayBag(bag, { config: parseConfig(TARGET_TIME), remaps: ['/left/image_raw:=/right/image_raw'] }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    assert.ok(
      error?.includes('/left/image_raw (--remap /left/image_raw:=/right/image_raw)') &&
        error.includes('/right/image_raw (not remapped)') &&
        error.includes('would both be read as /right/image_raw'),
      error,
    );
    const swap = ['image_raw', 'camera_info'].flatMap((leaf) => [`/left/${leaf}:=/right/${leaf}`, `/right/${leaf}:=/left/${leaf}`]);
    const stopped = new AbortController();
    stopped.abort();
    const summary = await replayBag(bag, { config: parseConfig(TARGET_TIME), remaps: swap, signal: stopped.signal });
    assert.deepEqual(summary.cameras.map((c) => c.camera).sort(), ['front_left', 'front_right', 'left', 'right']);
  });

  it('a bag whose image topics are not named <camera>/image_raw is refused naming them and the --remap that fixes it', async () => {
    const src = await sceneBag('corridor_crossing', 1);
    const renamed = join(work, 'renamed');
    const writer = await McapBagWriter.create(renamed);
    const reader = await openBag(src);
    for await (const m of reader.messages()) await writer.writeSerialized(m.topic.replace('/image_raw', '/rgb'), m.type, m.logTime, m.data);
    await reader.close();
    await writer.close();
    await assert.rejects(
      replayBag(renamed, { config: parseConfig(TARGET_TIME) }),
      (e: Error) =>
        /no camera image topics .*; its image topics \/front_left\/rgb, .* are not named <camera>\/image_raw .*--remap \/front_left\/rgb:=\/front_left\/image_raw$/.test(
          e.message,
        ) && !/topics: /.test(e.message),
    );
    const chatter = join(work, 'chatter');
    const strings = await McapBagWriter.create(chatter);
    await strings.write('/chatter', 'std_msgs/msg/String', 1n, { data: 'hello' });
    await strings.close();
    await assert.rejects(
      replayBag(chatter, { config: parseConfig(TARGET_TIME) }),
      /no camera image topics .*; it has no sensor_msgs\/msg\/Image or sensor_msgs\/msg\/CompressedImage topic; its topics are \/chatter \(std_msgs\/msg\/String\)$/,
    );
  });

  const typos = [
    [
      '/left/image_raw',
      'sensor_msgs/msg/Imagee',
      'topic /left/image_raw has type sensor_msgs/msg/Imagee, not sensor_msgs/msg/Image or sensor_msgs/msg/CompressedImage; replaying without it',
    ],
    ['/left/camera_info', 'garbage', 'topic /left/camera_info has type garbage, not sensor_msgs/msg/CameraInfo; replaying without it'],
  ] as const;
  for (const [topic, type, warning] of typos) {
    it(`a .db3 whose ${topic} is typed ${type}: one warning names the topic, the other cameras replay`, async () => {
      const file = await db3Copy(await sceneBag('corridor_crossing', 1), join(work, `typo-${type.replace(/\W/g, '_')}.db3`), (t) =>
        t.name === topic ? type : t.type,
      );
      const warnings: string[] = [];
      const summary = await replayBag(file, { config: parseConfig(TARGET_TIME), onWarning: (w) => warnings.push(w) });
      assert.ok(warnings.includes(warning), warnings.join('\n'));
      assert.equal(summary.badMessages, 0, 'no warning per message');
      assert.deepEqual(
        summary.cameras.map((c) => c.camera).sort(),
        ['front_left', 'front_right', 'right'].concat(topic.endsWith('camera_info') ? ['left'] : []).sort(),
      );
      assert.ok(summary.completed > 20, `${summary.completed} sets`);
    });
  }
});

describe('replay with one broken camera: the others run, the broken one is named while it lasts', function () {
  this.timeout(300_000);
  let bag: string;
  let without: FrameSummary[];
  before(async () => {
    bag = await sceneBag('corridor_crossing', 1);
    // The reference: the same bag without the camera at all.
    without = (await replayFrames(await editBag(bag, (m) => (m.topic.startsWith('/left/') ? 'drop' : 'keep')))).frames;
  });

  it('a camera whose topics exist but never publish: every frame set of the other three cameras, and it is named silent', async () => {
    const work = mkdtempSync(join(tmpdir(), 'replay-silent-'));
    const file = await db3Copy(
      bag,
      join(work, 'silent-left.db3'),
      (t) => t.type,
      (m) => m.topic !== '/left/image_raw',
    );
    const got = await replayFrames(file);
    assert.deepEqual(got.frames, without);
    assert.ok(
      got.warnings.some((w) => /camera "left" silent for .*degrading to \[front_left, front_right, right\]/.test(w)),
      got.warnings.join('\n'),
    );
  });

  const leftOut = (why: string) => new RegExp(`camera "left" left out .*${why}`);
  const k = (i: number, v: number) => editLeftInfo((info) => ({ ...info, k: info.k.map((x, j) => (j === i ? v : x)) }));
  const cases: [string, Edit, RegExp][] = [
    ['K all zero', editLeftInfo((i) => ({ ...i, k: i.k.map(() => 0) })), leftOut('fx = 0; expected a positive focal length')],
    ['K with NaN', k(2, Number.NaN), leftOut('k\\[2\\] = NaN')],
    ['K with Inf', k(0, Infinity), leftOut('k\\[0\\] = Infinity')],
    ['fx < 0', k(0, -500), leftOut('fx = -500')],
    ['D of the wrong length', editLeftInfo((i) => ({ ...i, d: [0.1, 0.2] })), leftOut('has d of length 2')],
    ['D with NaN', editLeftInfo((i) => ({ ...i, d: i.d.map((x, j) => (j === 1 ? Number.NaN : x)) })), leftOut('d\\[1\\] = NaN')],
    [
      'an unknown distortion model',
      editLeftInfo((i) => ({ ...i, distortion_model: 'fisheye62' })),
      leftOut('distortion_model = "fisheye62"'),
    ],
    ['an empty distortion model', editLeftInfo((i) => ({ ...i, distortion_model: '' })), leftOut('distortion_model = ""')],
    ['width 0', editLeftInfo((i) => ({ ...i, width: 0 })), leftOut('width = 0')],
    [
      'a ROI outside the image',
      editLeftInfo((i) => ({ ...i, roi: { x_offset: 600, y_offset: 0, width: 100, height: 100, do_rectify: false } })),
      /camera "left".* (roi .* outside the 640x480 image|its images are 640x480 but its camera_info says 100x100)/,
    ],
    ['P with Tx NaN', editLeftInfo((i) => ({ ...i, p: i.p.map((x, j) => (j === 3 ? Number.NaN : x)) })), leftOut('p\\[3\\] = NaN')],
    ['an empty frame_id', editLeftInfo((i) => ({ ...i, header: { ...i.header, frame_id: '' } })), leftOut('frame_id ""')],
    ['an unknown frame_id', editLeftInfo((i) => ({ ...i, header: { ...i.header, frame_id: 'nowhere' } })), leftOut('frame_id "nowhere"')],
    ['no base_link -> camera transform', leftTransforms((ts) => ts.filter((t) => !t.child_frame_id.startsWith('left'))), leftOut('')],
    [
      'a NaN base_link -> camera transform',
      leftTransforms((ts) => ts.map((t) => (t.child_frame_id.startsWith('left') ? translatedX(t, Number.NaN) : t))),
      leftOut('was dropped: it has translation.x = NaN'),
    ],
    [
      'an Inf base_link -> camera transform',
      leftTransforms((ts) => ts.map((t) => (t.child_frame_id.startsWith('left') ? translatedX(t, Infinity) : t))),
      leftOut('was dropped: it has translation.x = Infinity'),
    ],
    [
      'a zero rotation quaternion',
      leftTransforms((ts) =>
        ts.map((t) =>
          t.child_frame_id === 'left_link' ? { ...t, transform: { ...t.transform, rotation: { x: 0, y: 0, z: 0, w: 0 } } } : t,
        ),
      ),
      leftOut('zero rotation quaternion'),
    ],
    [
      'a TF cycle',
      leftTransforms((ts) =>
        ts.map((t) => (t.child_frame_id === 'left_link' ? { ...t, header: { ...t.header, frame_id: 'left_optical_frame' } } : t)),
      ),
      leftOut('frame_id "left_optical_frame"'),
    ],
    [
      'images at half the size its camera_info says',
      (m) => (m.topic === '/left/image_raw' ? encodeMessage(m.type, halfSize(m.decode<Image>())) : 'keep'),
      /camera "left": its images are 320x240 but its camera_info says 640x480; leaving it out .*degrading to \[front_left, front_right, right\]/,
    ],
  ];
  for (const [what, edit, warning] of cases) {
    it(`${what}: every frame set of the other three cameras, and a warning naming the camera`, async () => {
      const got = await replayFrames(await editBag(bag, edit));
      assert.ok(without.length > 20, `${without.length} frame sets`);
      assert.equal(got.frames.length, without.length, got.warnings.join('\n'));
      assert.deepEqual(got.frames, without);
      assert.ok(
        got.warnings.some((w) => warning.test(w)),
        got.warnings.join('\n'),
      );
    });
  }

  it('JPEG images at half the size its camera_info says: every frame set of the other three cameras, and a warning naming the camera', async () => {
    const { broken, reference } = await compressedCopies(bag, (m) => m.topic === '/left/image_raw');
    const got = await replayFrames(broken);
    const want = await replayFrames(reference);
    assert.ok(want.frames.length > 20, `${want.frames.length} frame sets`);
    assert.deepEqual(got.frames, want.frames);
    assert.ok(
      got.warnings.some((w) => /camera "left": its images are 320x240 but its camera_info says 640x480; leaving it out/.test(w)),
      got.warnings.join('\n'),
    );
  });

  it('a camera whose camera_info starts late: the others lose no frame set, and it joins when its camera_info comes', async () => {
    const LATE = 10;
    let dropped = 0;
    const late = await editBag(bag, (m) => (m.topic === '/left/camera_info' && dropped++ < LATE ? 'drop' : 'keep'));
    const { frames, warnings } = await replayFrames(late);
    assert.equal(frames.length, without.length, warnings.join('\n'));
    assert.deepEqual(frames.slice(0, LATE), without.slice(0, LATE));
    // The side camera's learned depth says whether it was in the set.
    assert.deepEqual(
      frames.map((f) => 'left' in f.depth),
      without.map((_, k) => k >= LATE),
    );
    assert.ok(
      warnings.some((w) => /camera "left": no camera_info received yet; its images waited 0\.\d+ s for one; leaving it out/.test(w)),
      warnings.join('\n'),
    );
  });
});

/**
 * Two copies of `src` with every image as a JPEG CompressedImage on <camera>/image_raw/compressed
 * (what compressed_image_transport records): `broken`, with the images `halve` picks at half size,
 * and `reference`, the same without the left camera.
 */
async function compressedCopies(src: string, halve: (m: BagMessage) => boolean): Promise<{ broken: string; reference: string }> {
  const work = mkdtempSync(join(tmpdir(), 'replay-compressed-'));
  const [broken, reference] = [join(work, 'broken'), join(work, 'reference')];
  const writers = [
    await McapBagWriter.create(broken, { compression: 'none' }),
    await McapBagWriter.create(reference, { compression: 'none' }),
  ];
  const reader = await openBag(src);
  for await (const m of reader.messages()) {
    let [topic, type, data] = [m.topic, m.type, m.data];
    if (topic.endsWith('/image_raw')) {
      const image = m.decode<Image>();
      [topic, type] = [`${topic}/compressed`, 'sensor_msgs/msg/CompressedImage'];
      data = encodeMessage(type, encodeCompressed(decodeImage(halve(m) ? halfSize(image) : image), image.header, 'jpeg'));
    }
    await writers[0]!.writeSerialized(topic, type, m.logTime, data);
    if (!topic.startsWith('/left/')) await writers[1]!.writeSerialized(topic, type, m.logTime, data);
  }
  await reader.close();
  for (const w of writers) await w.close();
  return { broken, reference };
}

function editLeftInfo(change: (info: CameraInfo) => CameraInfo): Edit {
  return (m) => (m.topic === '/left/camera_info' ? encodeMessage(m.type, change(m.decode<CameraInfo>())) : 'keep');
}

/**
 * A .db3 copy of `src`, as rosbag2's sqlite3 storage lays it out, with each topic's type from
 * `typeOf` and only the messages `keep` keeps (a topic whose messages are all dropped stays listed).
 */
async function db3Copy(
  src: string,
  file: string,
  typeOf: (t: { name: string; type: string }) => string,
  keep: (m: BagMessage) => boolean = () => true,
): Promise<string> {
  const db = new Database(file);
  db.exec(`CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL);
           CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL, timestamp INTEGER NOT NULL, data BLOB NOT NULL);`);
  const reader = await openBag(src);
  const ids = new Map(reader.info.topics.map((t, i) => [t.name, i + 1]));
  for (const t of reader.info.topics)
    db.prepare('INSERT INTO topics VALUES (?, ?, ?, ?, ?)').run(ids.get(t.name), t.name, typeOf(t), 'cdr', '');
  const insert = db.prepare('INSERT INTO messages (topic_id, timestamp, data) VALUES (?, ?, ?)');
  for await (const m of reader.messages()) if (keep(m)) insert.run(ids.get(m.topic), m.logTime, Buffer.from(m.data));
  await reader.close();
  db.close();
  return file;
}

/** The image with every other row and column: what a driver set to a lower resolution sends. */
function halfSize(image: Image): Image {
  const bpp = image.step / image.width;
  const [width, height] = [image.width >> 1, image.height >> 1];
  const data = new Uint8Array(width * height * bpp);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      data.set(image.data.subarray(2 * y * image.step + 2 * x * bpp, 2 * y * image.step + (2 * x + 1) * bpp), (y * width + x) * bpp);
  }
  return { ...image, width, height, step: width * bpp, data };
}

/** /tf_static with its transforms changed by `change` (the scene's: base_link -> <cam>_link -> <cam>_optical_frame). */
function leftTransforms(change: (ts: TransformStamped[]) => TransformStamped[]): Edit {
  return (m) => (m.topic === '/tf_static' ? encodeMessage(m.type, { transforms: change(m.decode<TFMessage>().transforms) }) : 'keep');
}

function translatedX(t: TransformStamped, x: number): TransformStamped {
  return { ...t, transform: { ...t.transform, translation: { ...t.transform.translation, x } } };
}

/** The table b-tree leaf pages of an SQLite file (page type 0x0d), with the row ids of their cells. */
function leafPages(bytes: Buffer): { offset: number; size: number; rowIds: number[] }[] {
  const size = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
  const varint = (at: number): [number, number] => {
    let v = 0;
    for (let i = 0; i < 9; i++) {
      const b = bytes[at + i]!;
      if (i === 8) return [v * 256 + b, at + 9];
      v = v * 128 + (b & 0x7f);
      if (b < 0x80) return [v, at + i + 1];
    }
    return [v, at + 9];
  };
  const out: { offset: number; size: number; rowIds: number[] }[] = [];
  for (let offset = size; offset + size <= bytes.length; offset += size) {
    if (bytes[offset] !== 0x0d) continue;
    const cells = bytes.readUInt16BE(offset + 3);
    const rowIds: number[] = [];
    for (let c = 0; c < cells; c++) {
      const [, afterLength] = varint(offset + bytes.readUInt16BE(offset + 8 + 2 * c));
      rowIds.push(varint(afterLength)[0]);
    }
    out.push({ offset, size, rowIds });
  }
  return out;
}
