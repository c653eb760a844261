// Replays of bags whose time is wrong the way a user meets it: the project's writer records a
// scene, then the stamps (and, where the recorder's clock would follow, the log times) are
// changed. Every frame instant must give its set, the first and the last included; a broken
// camera clock leaves out that camera only, named; a jump of the whole rig costs no set.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBag, type BagMessage } from '../../src/io/bag_reader';
import { McapBagWriter } from '../../src/io/bag_writer';
import { encodeMessage } from '../../src/msgs/codec';
import { nanosToTime, timeToNanos, type Nanos } from '../../src/msgs/time';
import type { Clock, Image } from '../../src/msgs/types';
import { parseConfig } from '../../src/config/config';
import { summarizeResult, type FrameSummary } from '../../src/replay/frame_summary';
import { replayBag } from '../../src/replay/replay';
import { editBag, sceneBag } from '../support/scene_bags';

const SECOND = 1_000_000_000n;

async function replayFrames(bag: string) {
  const frames: FrameSummary[] = [];
  const warnings: string[] = [];
  const summary = await replayBag(bag, {
    config: parseConfig({ scheduler: { time_mode: 'target' } }),
    onResult: (r) => frames.push(summarizeResult(r)),
    onWarning: (w) => warnings.push(w),
  });
  return { frames, warnings, summary };
}

/**
 * A copy of `src` where `retime` may move a message's log time and the time it carries: the
 * header stamp of an image, the clock of /clock. `k` counts the messages of its topic.
 */
async function retimedBag(
  work: string,
  src: string,
  name: string,
  retime: (m: BagMessage, time: Nanos, k: number) => { logTime: Nanos; time: Nanos },
): Promise<string> {
  const dir = join(work, name);
  const reader = await openBag(src);
  const writer = await McapBagWriter.create(dir, { compression: 'none' });
  const counts = new Map<string, number>();
  try {
    for await (const m of reader.messages()) {
      const k = counts.get(m.topic) ?? 0;
      counts.set(m.topic, k + 1);
      if (m.topic.endsWith('/image_raw')) {
        const image = m.decode<Image>();
        const { logTime, time } = retime(m, timeToNanos(image.header.stamp), k);
        image.header.stamp = nanosToTime(time);
        await writer.writeSerialized(m.topic, m.type, logTime, encodeMessage(m.type, image));
      } else if (m.topic === '/clock') {
        const { logTime, time } = retime(m, timeToNanos(m.decode<Clock>().clock), k);
        await writer.writeSerialized(m.topic, m.type, logTime, encodeMessage(m.type, { clock: nanosToTime(time) }));
      } else {
        await writer.writeSerialized(m.topic, m.type, m.logTime, m.data);
      }
    }
  } finally {
    await writer.close();
    await reader.close();
  }
  return dir;
}

describe('replay of bags with wrong time: every frame set is produced, the broken clock is named', function () {
  this.timeout(300_000);
  let bag: string;
  let work: string;
  /** Per frame index: the stamp of its set, the latest of the four cameras' images. */
  let instants: bigint[];
  let clean: FrameSummary[];
  let half: number;
  /** Log time of the first message of the second half: the recorder's clock steps there. */
  let halfLogTime: bigint;
  before(async () => {
    bag = await sceneBag('corridor_crossing', 1);
    work = mkdtempSync(join(tmpdir(), 'replay-clock-'));
    const reader = await openBag(bag);
    instants = [];
    const counts = new Map<string, number>();
    for await (const m of reader.messages()) {
      if (!m.topic.endsWith('/image_raw')) continue;
      const k = counts.get(m.topic) ?? 0;
      counts.set(m.topic, k + 1);
      const stamp = timeToNanos(m.decode<Image>().header.stamp);
      if (instants[k] === undefined || stamp > instants[k]!) instants[k] = stamp;
      if (k === 15 && halfLogTime === undefined) halfLogTime = m.logTime;
    }
    await reader.close();
    half = 15;
    clean = (await replayFrames(bag)).frames;
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('a clean bag gives one set per frame instant, the first (image before camera_info) and the last included', () => {
    assert.ok(instants.length > 20, `${instants.length} instants`);
    assert.deepEqual(
      clean.map((f) => BigInt(f.stamp)),
      instants,
    );
  });

  const brokenClocks: [string, (stamp: Nanos) => Nanos][] = [
    ['stamped 0', (s) => s - 1_700_000_000n * SECOND],
    ['stamped +1 h', (s) => s + 3600n * SECOND],
  ];
  for (const [what, clock] of brokenClocks) {
    it(`one camera ${what}: every frame set of the other three cameras, and a warning naming the camera`, async () => {
      const broken = await retimedBag(work, bag, `left_${what.replace(/\W+/g, '_')}`, (m, s) => ({
        logTime: m.logTime,
        time: m.topic === '/left/image_raw' ? clock(s) : s,
      }));
      const without = await replayFrames(await editBag(bag, (m) => (m.topic.startsWith('/left/') ? 'drop' : 'keep')));
      const got = await replayFrames(broken);
      assert.equal(got.frames.length, instants.length, got.warnings.join('\n'));
      assert.deepEqual(got.frames, without.frames);
      assert.ok(
        got.warnings.some((w) => /camera "left": its stamps are \d+\.\d{3} s (behind|ahead of) the other cameras' time/.test(w)),
        got.warnings.join('\n'),
      );
      assert.ok(!got.warnings.some((w) => /time jumped|silent/.test(w)), got.warnings.join('\n'));
    });
  }

  it('the whole rig jumps +1 h half way (stamps, /clock and log times): no set is lost, no camera is called silent', async () => {
    const HOUR = 3600n * SECOND;
    const jumped = await retimedBag(work, bag, 'plus_one_hour', (m, t) =>
      m.logTime >= halfLogTime ? { logTime: m.logTime + HOUR, time: t + HOUR } : { logTime: m.logTime, time: t },
    );
    const got = await replayFrames(jumped);
    assert.deepEqual(
      got.frames.map((f) => BigInt(f.stamp)),
      instants.map((s, k) => (k >= half ? s + HOUR : s)),
      got.warnings.join('\n'),
    );
    assert.ok(
      got.warnings.some((w) => /time jumped forwards by 3600\.\d{3} s on cameras /.test(w)),
      got.warnings.join('\n'),
    );
    assert.ok(!got.warnings.some((w) => /silent/.test(w)), got.warnings.join('\n'));
  });

  it('the stamps and /clock jump 10 s back half way (a simulation reset; log times go on): every set on both sides, sync and scheduler restart', async () => {
    const reset = await retimedBag(work, bag, 'back_10s', (m, t, k) => ({ logTime: m.logTime, time: k >= half ? t - 10n * SECOND : t }));
    const got = await replayFrames(reset);
    assert.deepEqual(
      got.frames.map((f) => BigInt(f.stamp)),
      instants.map((s, k) => (k >= half ? s - 10n * SECOND : s)),
      got.warnings.join('\n'),
    );
    assert.ok(
      got.warnings.some((w) => /time jumped backwards by 9\.9\d\d s on cameras /.test(w)),
      got.warnings.join('\n'),
    );
    assert.ok(
      got.warnings.some((w) => /scheduler restarted: frame-set stamps jumped back/.test(w)),
      got.warnings.join('\n'),
    );
    assert.ok(!got.warnings.some((w) => /silent/.test(w)), got.warnings.join('\n'));
  });

  it('one image stamped 500 ms in the future costs only its own instant, with a warning naming the camera', async () => {
    const future = await retimedBag(work, bag, 'future', (m, t, k) => ({
      logTime: m.logTime,
      time: m.topic === '/left/image_raw' && k === half ? t + 500_000_000n : t,
    }));
    const got = await replayFrames(future);
    assert.deepEqual(
      got.frames.map((f) => BigInt(f.stamp)),
      instants.filter((_, k) => k !== half),
      got.warnings.join('\n'),
    );
    assert.ok(
      got.warnings.some((w) => /image of camera "left" at \d+ ns dropped: stamped 0\.\d{3} s ahead of its next image/.test(w)),
      got.warnings.join('\n'),
    );
  });
});
