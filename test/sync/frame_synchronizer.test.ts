// FrameSynchronizer behaviour a robot relies on: complete sets from jittered cameras, CameraInfo
// pairing, dropout (degrade / wait) and recovery, time jumps, bad input, bounded memory.
import { strict as assert } from 'node:assert';
import { nanosToTime, type Nanos } from '../../src/msgs/time';
import type { CameraInfo, Image } from '../../src/msgs/types';
import type { FrameSet } from '../../src/sync/frame';
import { FrameSynchronizer, type FrameDrop, type FrameSynchronizerOptions } from '../../src/sync/frame_synchronizer';
import { cameraInfo } from '../support/camera_info_fixture';
import { seededRandom } from '../support/seeded_random';

const MS = 1_000_000n;
const CAMERAS = ['front_left', 'front_right', 'left', 'right'];
const PERIOD = 33_333_333n;
const T0 = 1_700_000_000n * 1_000_000_000n;

function image(camera: string, stamp: Nanos): Image {
  return {
    header: { stamp: nanosToTime(stamp), frame_id: `${camera}_optical` },
    height: 2,
    width: 2,
    encoding: 'mono8',
    is_bigendian: 0,
    step: 2,
    data: new Uint8Array(4),
  };
}

function info(camera: string, stamp: Nanos): CameraInfo {
  const base = cameraInfo({ model: 'plumb_bob', K: [1, 0, 1, 0, 1, 1, 0, 0, 1], D: [0, 0, 0, 0, 0], width: 2, height: 2 });
  return { ...base, header: { stamp: nanosToTime(stamp), frame_id: `${camera}_optical` } };
}

interface Harness {
  sync: FrameSynchronizer;
  sets: FrameSet[];
  drops: FrameDrop[];
  warnings: string[];
}

function harness(options: Partial<FrameSynchronizerOptions> = {}, latchInfo = true): Harness {
  const sync = new FrameSynchronizer({ cameras: CAMERAS, ...options });
  const h: Harness = { sync, sets: [], drops: [], warnings: [] };
  sync.onSet((s) => h.sets.push(s));
  sync.onDrop((d) => h.drops.push(d));
  sync.onWarning((w) => h.warnings.push(w));
  if (latchInfo) for (const c of CAMERAS) sync.addCameraInfo(c, info(c, 0n));
  return h;
}

/** Frames k0..k1-1 of every camera in `cameras`, with ±2 ms jitter, in stamp order. */
function feed(h: Harness, k0: number, k1: number, cameras = CAMERAS, base = T0, seed = 7): void {
  const rand = seededRandom(seed + k0);
  for (let k = k0; k < k1; k++) {
    for (const c of cameras) {
      const jitter = BigInt(Math.round((rand() * 4 - 2) * 1e6));
      h.sync.addImage(c, image(c, base + BigInt(k) * PERIOD + jitter));
    }
  }
}

function spreadNs(set: FrameSet): bigint {
  const stamps = set.views.map((v) => v.stamp);
  return stamps.reduce((a, b) => (a > b ? a : b)) - stamps.reduce((a, b) => (a < b ? a : b));
}

describe('sync/FrameSynchronizer', () => {
  it('pairs 4 jittered cameras into complete sets in rig order, with their CameraInfo', () => {
    const h = harness();
    feed(h, 0, 90);
    assert.ok(h.sets.length >= 88, `only ${h.sets.length} sets from 90 frames`);
    for (const [i, s] of h.sets.entries()) {
      assert.equal(s.seq, i);
      assert.deepEqual(
        s.views.map((v) => v.camera),
        CAMERAS,
      );
      assert.deepEqual(s.missing, []);
      assert.ok(spreadNs(s) <= 4n * MS, `set ${i} spans ${spreadNs(s)} ns`);
      assert.equal(
        s.stamp,
        s.views.map((v) => v.stamp).reduce((a, b) => (a > b ? a : b)),
      );
      for (const v of s.views) assert.equal(v.info?.header.frame_id, `${v.camera}_optical`);
    }
    assert.equal(h.sync.stats().sets, h.sets.length);
    assert.equal(h.sync.stats().perCamera.left.received, 90);
  });

  it('degrades to the remaining cameras after the dropout timeout and recovers when the camera returns', () => {
    const h = harness({ dropout: { mode: 'degrade', timeoutNs: 200n * MS, minCameras: 2 } });
    feed(h, 0, 30);
    feed(h, 30, 90, ['front_left', 'front_right', 'left']); // "right" stops for 2 s
    const degraded = h.sets.filter((s) => s.missing.length > 0);
    assert.ok(degraded.length >= 50, `${degraded.length} degraded sets`);
    for (const s of degraded) {
      assert.deepEqual(s.missing, ['right']);
      assert.deepEqual(
        s.views.map((v) => v.camera),
        ['front_left', 'front_right', 'left'],
      );
    }
    assert.ok(
      h.warnings.some((w) => /camera "right" silent for .* degrading to \[front_left, front_right, left\]/.test(w)),
      h.warnings.join('\n'),
    );
    const before = h.sets.length;
    feed(h, 90, 120);
    assert.ok(h.warnings.some((w) => w.includes('camera "right" is back')));
    const after = h.sets.slice(before);
    assert.ok(after.length >= 28 && after.slice(2).every((s) => s.missing.length === 0 && s.views.length === 4));
    assert.equal(h.sync.stats().degradedSets, h.sets.filter((s) => s.missing.length > 0).length);
  });

  it('waits (mode wait) while a camera is silent, driven by tick(), and resumes when it returns', () => {
    const h = harness({ dropout: { mode: 'wait', timeoutNs: 100n * MS, minCameras: 4 }, queueSize: 5 });
    feed(h, 0, 10);
    const complete = h.sets.length;
    h.sync.tick(T0 + 10n * PERIOD + 500n * MS); // nothing arrives for 0.5 s
    assert.equal(h.warnings.filter((w) => w.includes('waiting for it (dropout.mode = wait)')).length, 4);
    feed(h, 30, 60, ['front_left', 'front_right', 'left']);
    const windowStart = T0 + 29n * PERIOD;
    assert.ok(complete >= 9);
    assert.ok(
      h.sets.every((s) => s.views.every((v) => v.stamp < windowStart)),
      'no set may be emitted while waiting',
    );
    const dropped = h.sync.stats().perCamera.left.dropped;
    assert.ok((dropped.queue_overflow ?? 0) >= 20, 'held images are bounded by queueSize: overflow must drop');
    feed(h, 60, 90);
    assert.ok(h.sets.length - complete >= 25, `only ${h.sets.length - complete} sets after recovery`);
  });

  it('restarts with a warning when the time of the rig jumps backwards (bag loop), keeps the last set before it, never mixes timelines', () => {
    const h = harness();
    feed(h, 0, 60);
    // The bag loops: cameras restart at T0 one after the other, a straggler of the old loop in between and after.
    h.sync.addImage('front_left', image('front_left', T0));
    h.sync.addImage('right', image('right', T0 + 59n * PERIOD + 10n * MS));
    h.sync.addImage('front_right', image('front_right', T0));
    h.sync.addImage('left', image('left', T0));
    h.sync.addImage('right', image('right', T0 + 58n * PERIOD + 5n * MS));
    const before = h.sets.length;
    assert.equal(before, 60, 'every set of the old timeline, the last one included');
    feed(h, 1, 60, CAMERAS, T0, 99);
    assert.equal(h.sync.stats().resets, 1);
    assert.ok(
      h.warnings.some((w) => /time jumped backwards by 1\.9\d\d s on cameras "front_left", "front_right", "left"/.test(w)),
      h.warnings.join('\n'),
    );
    assert.ok(h.drops.some((d) => d.reason === 'stale_after_reset' && d.camera === 'right'));
    const after = h.sets.slice(before);
    assert.ok(after.length >= 55, `${after.length} sets after the loop`);
    for (const s of after) assert.ok(spreadNs(s) <= 4n * MS, 'a set mixes the old and new timelines');
  });

  it('a jump of the whole rig by +1 h: no camera is called silent, the set before the jump is kept, sync goes on', () => {
    const h = harness({ dropout: { mode: 'degrade', timeoutNs: 250n * MS, minCameras: 2 } });
    feed(h, 0, 30);
    const HOUR = 3600n * 1_000_000_000n;
    for (let k = 30; k < 60; k++) {
      h.sync.tick(T0 + HOUR + BigInt(k) * PERIOD); // the recorder's clock (log time) jumps too
      for (const c of CAMERAS) h.sync.addImage(c, image(c, T0 + HOUR + BigInt(k) * PERIOD));
    }
    h.sync.finish();
    assert.equal(h.sets.length, 60, h.warnings.join('\n'));
    assert.ok(h.sets.every((s) => s.missing.length === 0));
    assert.ok(!h.warnings.some((w) => /silent/.test(w)), h.warnings.join('\n'));
    assert.ok(
      h.warnings.some((w) => /time jumped forwards by 3600\.0\d\d s on cameras "front_left", "front_right", "left"/.test(w)),
      h.warnings.join('\n'),
    );
  });

  const brokenClocks: [string, (k: number) => Nanos][] = [
    ['stamped 0', (k) => BigInt(k) * PERIOD],
    ['stamped +1 h', (k) => T0 + 3600n * 1_000_000_000n + BigInt(k) * PERIOD],
    ['stamps jumping back and forth by 10 s', (k) => T0 + BigInt(k) * PERIOD + (k % 2 === 0 ? 10n : -10n) * 1_000_000_000n],
  ];
  for (const [what, clock] of brokenClocks) {
    it(`one camera ${what}: isolated and named, the other three give every frame set, nobody is reset`, () => {
      const h = harness();
      for (let k = 0; k < 90; k++) {
        for (const c of CAMERAS) h.sync.addImage(c, image(c, c === 'left' ? clock(k) : T0 + BigInt(k) * PERIOD));
      }
      h.sync.finish();
      assert.equal(h.sync.stats().resets, 0, h.warnings.join('\n'));
      assert.equal(h.sets.length, 90, h.warnings.join('\n'));
      for (const [k, s] of h.sets.entries()) {
        assert.deepEqual(
          s.views.map((v) => v.camera),
          ['front_left', 'front_right', 'right'],
        );
        assert.equal(s.stamp, T0 + BigInt(k) * PERIOD);
        assert.deepEqual(s.missing, ['left']);
      }
      assert.ok(
        h.warnings.some((w) =>
          /camera "left": its stamps are \d+\.\d{3} s (behind|ahead of) the other cameras' time .* degrading to \[front_left, front_right, right\]/.test(
            w,
          ),
        ),
        h.warnings.join('\n'),
      );
      assert.equal(h.sync.stats().perCamera.left.dropped.clock_offset, 90);
    });
  }

  it('one camera whose clock is stuck: its images are dropped as out_of_order, the others give every frame set', () => {
    const h = harness({ dropout: { mode: 'degrade', timeoutNs: 250n * MS, minCameras: 2 } });
    for (let k = 0; k < 90; k++) {
      for (const c of CAMERAS) h.sync.addImage(c, image(c, T0 + (c === 'left' ? 0n : BigInt(k) * PERIOD)));
    }
    h.sync.finish();
    assert.equal(h.sets.length, 90, h.warnings.join('\n'));
    assert.ok(h.sets.slice(1).every((s) => s.views.length >= 3 && s.missing.every((c) => c === 'left')));
    assert.ok(
      h.warnings.some((w) =>
        /camera "left" silent for .*its last \d+ images were dropped \(out_of_order\); degrading to \[front_left, front_right, right\]/.test(
          w,
        ),
      ),
      h.warnings.join('\n'),
    );
    assert.ok(!h.warnings.some((w) => /is back/.test(w)), 'a stuck camera does not flap');
  });

  it("one image stamped 500 ms in the future costs only its own frame set: it is dropped when its camera's next image comes", () => {
    const h = harness();
    for (let k = 0; k < 60; k++) {
      for (const c of CAMERAS) h.sync.addImage(c, image(c, T0 + BigInt(k) * PERIOD + (c === 'left' && k === 30 ? 500n * MS : 0n)));
    }
    h.sync.finish();
    // The instant of the bad image has no "left" view to pair with; every other instant is a complete set.
    assert.deepEqual(
      h.sets.map((s) => s.stamp),
      Array.from({ length: 60 }, (_, k) => T0 + BigInt(k) * PERIOD).filter((_, k) => k !== 30),
      h.warnings.join('\n'),
    );
    assert.ok(h.sets.every((s) => s.missing.length === 0 && s.views.length === 4));
    assert.deepEqual(
      h.drops.filter((d) => d.camera === 'left').map((d) => d.reason),
      ['stamp_in_future'],
    );
    assert.ok(
      h.warnings.some((w) => /image of camera "left" at \d+ ns dropped: stamped 0\.467 s ahead of its next image/.test(w)),
      h.warnings.join('\n'),
    );
  });

  it('images of another size than their camera_info: that camera is left out at once, named, and synced again when sizes agree', () => {
    const h = harness({ dropout: { mode: 'degrade', timeoutNs: 250n * MS, minCameras: 2 } });
    const small = (c: string, stamp: Nanos): Image => ({ ...image(c, stamp), width: 1, height: 1, step: 1, data: new Uint8Array(1) });
    for (let k = 0; k < 60; k++) {
      for (const c of CAMERAS)
        h.sync.addImage(c, c === 'left' && k < 30 ? small(c, T0 + BigInt(k) * PERIOD) : image(c, T0 + BigInt(k) * PERIOD));
    }
    h.sync.finish();
    assert.equal(h.sets.length, 60, h.warnings.join('\n'));
    assert.ok(h.sets.slice(0, 30).every((s) => s.views.every((v) => v.camera !== 'left') && s.views.length === 3));
    assert.ok(h.sets.slice(30).every((s) => s.views.length === 4 && s.missing.length === 0));
    assert.equal(h.sync.stats().perCamera.left.dropped.size_mismatch, 30);
    assert.ok(
      h.warnings.some((w) =>
        /camera "left": its images are 1x1 but its camera_info says 2x2; leaving it out .*degrading to \[front_left, front_right, right\]/.test(
          w,
        ),
      ),
      h.warnings.join('\n'),
    );
    assert.ok(
      h.warnings.some((w) => /camera "left": its images match its camera_info again; syncing it again/.test(w)),
      h.warnings.join('\n'),
    );
  });

  it('a camera whose first CameraInfo comes late: left out once its images waited the timeout, the others lose no set, it joins then', () => {
    const h = harness({ dropout: { mode: 'degrade', timeoutNs: 250n * MS, minCameras: 2 } }, false);
    for (const c of CAMERAS) if (c !== 'left') h.sync.addCameraInfo(c, info(c, T0));
    feed(h, 0, 30);
    h.sync.addCameraInfo('left', info('left', T0 + 30n * PERIOD));
    feed(h, 30, 60);
    h.sync.finish();
    assert.equal(h.sets.length, 60, h.warnings.join('\n'));
    assert.ok(h.sets.slice(0, 30).every((s) => s.views.length === 3 && s.missing.includes('left')));
    assert.ok(h.sets.slice(30).every((s) => s.views.length === 4 && s.missing.length === 0));
    assert.ok(
      h.warnings.some((w) =>
        /camera "left": no camera_info received yet; its images waited 0\.2\d\d s for one; leaving it out .*degrading to \[front_left, front_right, right\]/.test(
          w,
        ),
      ),
      h.warnings.join('\n'),
    );
    assert.ok(
      h.warnings.some((w) => /camera "left": its camera_info came; syncing it again/.test(w)),
      h.warnings.join('\n'),
    );
    assert.equal(h.sync.stats().perCamera.left.dropped.no_camera_info, 30);
  });

  it('finish() at the end of the input emits the last set, which no later image can prove best', () => {
    const h = harness();
    feed(h, 0, 10);
    assert.equal(h.sets.length, 9);
    h.sync.finish();
    assert.equal(h.sets.length, 10);
    assert.ok(
      h.sets[9]!.views.every((v) => v.stamp > T0 + 8n * PERIOD + 10n * MS),
      'the last set is of the last images',
    );
    assert.deepEqual(h.drops, []);
  });

  it('drops NaN stamps, unknown cameras and images whose CameraInfo never comes with counted reasons and warnings', () => {
    const h = harness({ queueSize: 3 }, false);
    const bad = image('left', T0);
    bad.header.stamp = { sec: Number.NaN, nanosec: 0 };
    h.sync.addImage('left', bad);
    h.sync.addImage('rear', image('rear', T0));
    for (let k = 0n; k < 5n; k++) h.sync.addImage('front_left', image('front_left', T0 + k * PERIOD));
    const stats = h.sync.stats();
    assert.deepEqual(stats.perCamera.left.dropped, { invalid_stamp: 1 });
    // Held for the camera's first CameraInfo, at most queueSize: the two oldest are dropped.
    assert.deepEqual(stats.perCamera.front_left.dropped, { no_camera_info: 2 });
    assert.equal(stats.perCamera.front_left.heldForInfo, 5);
    assert.equal(stats.unknownCameraMessages, 1);
    assert.deepEqual(
      h.drops.map((d) => [d.reason, d.stamp]),
      [
        ['invalid_stamp', 0n],
        ['unknown_camera', 0n],
        ['no_camera_info', T0],
        ['no_camera_info', T0 + PERIOD],
      ],
    );
    assert.ok(
      h.warnings.some((w) => w.includes('image of camera "left" dropped: header.stamp {sec: NaN') && w.includes('not a valid time')),
    );
    assert.ok(
      h.warnings.some((w) => w.includes('unknown camera "rear"') && w.includes('rig cameras: front_left, front_right, left, right')),
    );
    assert.equal(h.warnings.filter((w) => w.includes('no CameraInfo received yet')).length, 1, 'warned once per camera');
  });

  for (const order of ['image first', 'camera_info first'] as const) {
    it(`latched CameraInfo, ${order}: the first frame set is complete, nothing dropped`, () => {
      const h = harness({}, false);
      for (const c of CAMERAS) {
        if (order === 'camera_info first') h.sync.addCameraInfo(c, info(c, T0));
        h.sync.addImage(c, image(c, T0));
        if (order === 'image first') h.sync.addCameraInfo(c, info(c, T0));
      }
      feed(h, 1, 4);
      assert.equal(h.sets[0]?.stamp, T0, 'the first set is the first images');
      assert.deepEqual(
        h.sets[0]!.views.map((v) => [v.camera, v.info?.header.frame_id]),
        CAMERAS.map((c) => [c, `${c}_optical`]),
      );
      assert.deepEqual(h.drops, []);
      const held = CAMERAS.map((c) => h.sync.stats().perCamera[c].heldForInfo);
      assert.deepEqual(
        held,
        CAMERAS.map(() => (order === 'image first' ? 1 : 0)),
      );
    });
  }

  it('dropout timing starts with the first image: no warning while no camera has published yet', () => {
    const h = harness({ dropout: { mode: 'degrade', timeoutNs: 200n * MS, minCameras: 1 } });
    for (let t = 0n; t < 2000n; t += 100n) h.sync.tick(T0 + t * MS); // the node starts before the cameras
    assert.deepEqual(h.warnings, []);
    const three = ['front_left', 'front_right', 'left']; // "right" never publishes
    feed(h, 20, 26, three);
    assert.deepEqual(h.warnings, [], 'within the timeout of the first image');
    feed(h, 26, 32, three);
    assert.equal(h.warnings.length, 1, h.warnings.join('\n'));
    assert.match(h.warnings[0]!, /camera "right" silent for 2\d\d\.\d ms .* degrading to \[front_left, front_right, left\]/);
  });

  it('per_frame CameraInfo: pairs by stamp whichever comes first, drops images whose info never comes', () => {
    const h = harness({ cameraInfo: 'per_frame', cameras: ['a', 'b'] }, false);
    for (let k = 0; k < 10; k++) {
      const t = T0 + BigInt(k) * PERIOD;
      h.sync.addCameraInfo('a', info('a', t));
      h.sync.addImage('a', image('a', t));
      h.sync.addImage('b', image('b', t + MS));
      if (k !== 4) h.sync.addCameraInfo('b', info('b', t + MS));
    }
    assert.equal(h.sets.length, 8);
    for (const s of h.sets) for (const v of s.views) assert.equal(v.info?.header.stamp.nanosec, v.image.header.stamp.nanosec);
    assert.deepEqual(h.sync.stats().perCamera.b.dropped, { no_camera_info: 1 });
  });

  it('exact policy: needs identical stamps; jittered ones are dropped as exact_unmatched or queue_overflow', () => {
    const exact = harness({ policy: 'exact' });
    for (let k = 0; k < 20; k++) for (const c of CAMERAS) exact.sync.addImage(c, image(c, T0 + BigInt(k) * PERIOD));
    assert.equal(exact.sets.length, 20);
    const jittered = harness({ policy: 'exact', queueSize: 3 });
    feed(jittered, 0, 20);
    assert.equal(jittered.sets.length, 0);
    const reasons = new Set(jittered.drops.map((d) => d.reason));
    assert.ok(reasons.has('queue_overflow'), [...reasons].join());
  });

  it('holds a bounded number of images under any input rate', () => {
    const h = harness({ queueSize: 4, dropout: { mode: 'wait', timeoutNs: 1_000_000_000_000n, minCameras: 4 } });
    for (let k = 0; k < 20_000; k++) h.sync.addImage('left', image('left', T0 + BigInt(k) * MS));
    const s = h.sync.stats().perCamera.left;
    const droppedTotal = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    assert.ok(s.received - droppedTotal <= 4, `${s.received - droppedTotal} images held`);
  });

  it('rejects inconsistent options with errors naming the option', () => {
    assert.throws(() => new FrameSynchronizer({ cameras: ['a', 'a'] }), /cameras = \[a, a\]; expected 1..8 distinct/);
    assert.throws(() => new FrameSynchronizer({ cameras: ['a'], dropout: { minCameras: 2 } }), /dropout.minCameras = 2/);
    assert.throws(() => new FrameSynchronizer({ cameras: ['a'], interMessageLowerBoundNs: { b: 1n } }), /camera "b"/);
    assert.throws(() => new FrameSynchronizer({ cameras: ['a', 'b'], queueSize: 0 }), /queueSize = 0/);
  });
});

describe('sync/FrameSynchronizer.retune (a live sync.max_interval_ms change)', () => {
  it('takes a new max interval for the images to come, keeping the latched CameraInfo', () => {
    const h = harness({ maxIntervalNs: 25n * MS });
    // The last camera's frames are 10 ms after the others': inside 25 ms, outside 5 ms.
    const feedOffset = (k0: number, k1: number) => {
      for (let k = k0; k < k1; k++) {
        for (const c of CAMERAS) h.sync.addImage(c, image(c, T0 + BigInt(k) * 100n * MS + (c === 'right' ? 10n * MS : 0n)));
      }
    };
    feedOffset(0, 10);
    const before = h.sets.length;
    assert.ok(before >= 9, `${before} sets at 25 ms`);
    h.sync.retune({ cameras: CAMERAS, maxIntervalNs: 5n * MS });
    feedOffset(10, 20);
    assert.ok(h.sets.length <= before + 1, `${h.sets.length - before} sets after tightening to 5 ms`);
    h.sync.retune({ cameras: CAMERAS, maxIntervalNs: 25n * MS });
    feedOffset(20, 30);
    assert.ok(h.sets.length >= before + 9, 'sets again once the interval allows them');
  });
});
