import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBag } from '../../src/io/bag_reader';
import { encodeMessage } from '../../src/msgs/codec';
import type { CameraInfo, DiagnosticArray, Image, PipelineStatus, TFMessage } from '../../src/msgs/types';
import { parseConfig } from '../../src/config/config';
import { summarizeResult, type FrameSummary } from '../../src/replay/frame_summary';
import { compareToGolden, formatDiffs, readGolden } from '../../src/replay/golden';
import { createPerceptionRunner, type ReplayableRunner } from '../../src/core/perception_runner';
import { replayBag } from '../../src/replay/replay';
import type { Clock } from '../../src/scheduler/clock';
import type { Nanos } from '../../src/msgs/time';
import { editBag, sceneBag } from '../support/scene_bags';
import { dataPath, PEOPLE_CROSSING_PHOTOS, requireData } from '../support/data_dir';

/** Replays in DX-V3 target time: deterministic, whatever this machine's speed. */
const TARGET_TIME = { scheduler: { time_mode: 'target' } };

const GOLDEN = join(__dirname, '..', 'golden', 'corridor_crossing_1s.yaml');

async function digest(bag: string, outBag?: string) {
  const frames: FrameSummary[] = [];
  const warnings: string[] = [];
  const summary = await replayBag(bag, {
    config: parseConfig(TARGET_TIME),
    outBag,
    onResult: (r) => frames.push(summarizeResult(r)),
    onWarning: (w) => warnings.push(w),
  });
  return { frames, warnings, summary };
}

/** All messages of a bag by topic, with timing fields of PipelineStatus and /diagnostics zeroed. */
async function normalisedMessages(bag: string): Promise<string[]> {
  const reader = await openBag(bag);
  const out: string[] = [];
  for await (const m of reader.messages()) {
    let bytes = m.data;
    if (m.type === 'dx_perception/msg/PipelineStatus') {
      const s = m.decode<PipelineStatus>();
      for (const st of s.stages) Object.assign(st, { measured_ms: 0, p50_ms: 0, p90_ms: 0, p99_ms: 0, budget_ms: 0 });
      Object.assign(s, { measured_total_ms: 0 });
      bytes = encodeMessage(m.type, s);
    }
    if (m.topic === '/diagnostics') continue; // key/value text of measured percentiles only
    out.push(`${m.topic} ${m.logTime} ${Buffer.from(bytes).toString('base64')}`);
  }
  await reader.close();
  return out;
}

describe('bag replay and regression', function () {
  this.timeout(300_000);
  let bag: string;
  before(async () => {
    bag = await sceneBag('corridor_crossing', 1);
  });

  it("matches the reviewed golden of the project's own scene bag (a regression in any stage fails here)", async () => {
    const { frames } = await digest(bag);
    const diffs = compareToGolden(readGolden(GOLDEN), frames);
    assert.deepEqual(diffs, [], formatDiffs(diffs));
  });

  it('writes byte-identical output bags on repeated target-time replays, timing fields aside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-out-'));
    await replayBag(bag, { config: parseConfig(TARGET_TIME), outBag: join(dir, 'a') });
    await replayBag(bag, { config: parseConfig(TARGET_TIME), outBag: join(dir, 'b') });
    const [a, b] = [await normalisedMessages(join(dir, 'a')), await normalisedMessages(join(dir, 'b'))];
    assert.ok(a.length > 200, `expected many output messages, got ${a.length}`);
    assert.equal(a.length, b.length);
    a.forEach((line, i) => assert.equal(line, b[i], `message ${i} differs`));
    const topics = new Set(a.map((l) => l.split(' ')[0]));
    for (const t of [
      '/perception/objects',
      '/perception/tracks',
      '/perception/obstacles',
      '/perception/scan',
      '/perception/markers',
      '/perception/status',
      '/perception/front_left/depth',
      '/perception/front_left_front_right/disparity',
    ]) {
      assert.ok(topics.has(t), `output bag lacks ${t}`);
    }
  });

  it('fails regress with a diff naming the quantity and the frame when a camera extrinsic moves 5 cm', async () => {
    const moved = await editBag(bag, (m) => {
      if (m.topic !== '/tf_static') return 'keep';
      const tf = m.decode<TFMessage>();
      for (const t of tf.transforms) if (t.child_frame_id.startsWith('front_left')) t.transform.translation.y += 0.05;
      return encodeMessage(m.type, tf);
    });
    const { frames } = await digest(moved);
    const diffs = compareToGolden(readGolden(GOLDEN), frames);
    assert.ok(diffs.length > 0, 'a moved extrinsic must change the output');
    const text = formatDiffs(diffs);
    assert.match(text, /frame \d+ \(stamp \d+\): (cloud|scan|depth|objects|tracks)/);
  });

  it('keeps going past a corrupt message, with a warning naming the topic', async () => {
    let n = 0;
    const corrupt = await editBag(bag, (m) => (m.topic === '/left/image_raw' && n++ === 10 ? new Uint8Array([1, 2, 3]) : 'keep'));
    const { summary, warnings } = await digest(corrupt);
    assert.equal(summary.badMessages, 1);
    assert.ok(
      warnings.some((w) => /skipped a bad message: .*\/left\/image_raw/.test(w)),
      warnings.join('\n'),
    );
    assert.ok(summary.completed > 20, `replay continued: ${summary.completed} sets`);
  });

  it('warns about cameras without camera_info and still replays the others', async () => {
    const noInfo = await editBag(bag, (m) => (m.topic === '/right/camera_info' ? 'drop' : 'keep'));
    const { summary, warnings } = await digest(noInfo);
    assert.ok(
      warnings.some((w) => /camera "right": the bag has no \/right\/camera_info topic; replaying without this camera/.test(w)),
      warnings.join('\n'),
    );
    assert.deepEqual(summary.cameras.map((c) => c.camera).sort(), ['front_left', 'front_right', 'left', 'right']);
    assert.ok(summary.completed > 20, `the other cameras still replay: ${summary.completed} sets`);
  });

  it('rejects a truncated bag with an error naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'truncated-'));
    const file = readdirSync(bag).find((f) => f.endsWith('.mcap'))!;
    writeFileSync(join(dir, 'cut.mcap'), readFileSync(join(bag, file)).subarray(0, 200_000));
    await assert.rejects(replayBag(join(dir, 'cut.mcap'), { config: parseConfig(TARGET_TIME) }), /cut\.mcap/);
  });
});

describe('regression with a detector', function () {
  this.timeout(300_000);
  const MODEL = dataPath('models/yolox_nano_416.onnx');
  const DETECTOR_GOLDEN = join(__dirname, '..', 'golden', 'people_crossing_yolox_1s.yaml');
  let bag: string;
  const detectorDigest = async (labels?: string) => {
    const frames: FrameSummary[] = [];
    const config = parseConfig({ ...TARGET_TIME, detection: { model_path: MODEL, labels_path: labels ?? '' } });
    await replayBag(bag, { config, onResult: (r) => frames.push(summarizeResult(r)) });
    return frames;
  };
  before(async function () {
    requireData(this, 'models/yolox_nano_416.onnx', 'models/coco.names', ...PEOPLE_CROSSING_PHOTOS);
    bag = await sceneBag('people_crossing', 1);
  });

  it('matches the golden of the photo-textured scene with yolox-nano (people, dog and car found in 3D)', async () => {
    const frames = await detectorDigest();
    const diffs = compareToGolden(readGolden(DETECTOR_GOLDEN), frames);
    assert.deepEqual(diffs, [], formatDiffs(diffs));
    assert.ok(
      frames.some((f) => f.objects.some((o) => o.cls === 'person')),
      'people are among the 3D objects',
    );
  });

  it("fails regress, naming the objects and the frame, when the detector's labels file is off by one line", async () => {
    const names = readFileSync(dataPath('models/coco.names'), 'utf8').trim().split('\n');
    const shifted = join(mkdtempSync(join(tmpdir(), 'labels-')), 'coco_shifted.names');
    writeFileSync(shifted, [...names.slice(1), names[0]].join('\n'));
    const text = formatDiffs(compareToGolden(readGolden(DETECTOR_GOLDEN), await detectorDigest(shifted)));
    assert.match(text, /frame \d+ \(stamp \d+\): objects\[\d+\] person at .*\.match expected present, got no object of that class/);
  });
});

/** Hands a scene-bag message straight to a runner (no replay loop); returns whether it was used. */
function handTo(runner: ReplayableRunner, topic: string, msg: unknown): boolean {
  const cam = topic.split('/')[1];
  if (topic.endsWith('/image_raw')) runner.handleImage(cam, msg as Image);
  else if (topic.endsWith('/camera_info')) runner.handleCameraInfo(cam, msg as CameraInfo);
  else if (topic === '/tf_static') runner.handleTf(msg as TFMessage, true);
  else return false;
  return true;
}

describe('runner time modes', function () {
  this.timeout(300_000);
  let bag: string;
  before(async () => {
    bag = await sceneBag('corridor_crossing', 1);
  });

  it('host time: every frame set is completed or shed with a reason, admitted sets meet their deadline, latency includes queueing', async () => {
    // Host time on an injected clock and stopwatch: every stopwatch reading takes 4 ms (less than the
    // runner's 5 ms admission margin), so a set costs ~40 ms against a 33 ms period whatever this machine's speed. The source hands each
    // image in at its stamp; the runner must warm up, measure, shed what cannot make it, and
    // meet the deadline of what it admits.
    const time = new SteppedHostTime(4_000_000n);
    const runner = await createPerceptionRunner(parseConfig({ scheduler: { time_mode: 'host' } }), {
      hostClock: time,
      stopwatch: () => time.read(),
    });
    const statuses: PipelineStatus[] = [];
    const decisions: string[] = [];
    const warnings: string[] = [];
    runner.onWarning((w) => warnings.push(w));
    runner.onResult((r) => {
      decisions.push(r.decision === 'completed' ? r.rung : `shed:${r.shedReason}`);
      statuses.push(r.outputs.find((o) => o.type === 'dx_perception/msg/PipelineStatus')!.msg as PipelineStatus);
      const diag = r.outputs.find((o) => o.type === 'diagnostic_msgs/msg/DiagnosticArray')?.msg as DiagnosticArray | undefined;
      loopDelays.push(...(diag?.status[0].values.filter((v) => v.key === 'event_loop_delay_p99_ms').map((v) => Number(v.value)) ?? []));
    });
    const loopDelays: number[] = [];
    const reader = await openBag(bag);
    for await (const m of reader.messages()) {
      time.advanceTo(m.logTime);
      if (handTo(runner, m.topic, m.decode()) && m.topic.endsWith('/image_raw')) await runner.flush();
    }
    await reader.close();
    await runner.close();
    const last = statuses[statuses.length - 1];
    assert.equal(last.time_mode, 'host');
    assert.ok(loopDelays.length >= 1 && loopDelays.length <= 2, `${loopDelays.length} /diagnostics with the event-loop delay in a 1 s bag`);
    assert.ok(
      loopDelays.every((d) => Number.isFinite(d) && d >= 0),
      loopDelays.join(' '),
    );
    assert.ok(decisions.length >= 25, `frame sets: ${decisions.length}`);
    assert.equal(Number(last.frame_sets_completed) + Number(last.shed_total), decisions.length);
    assert.ok(
      warnings.some((w) => /host time: stages warmed up on the first frame set \(full: .*sync \d/.test(w)),
      warnings.join('\n'),
    );
    const completed = decisions.filter((d) => !d.startsWith('shed:')).length;
    assert.ok(completed >= 8, `completed ${completed}: ${decisions.join(' ')}`);
    assert.ok(Number(last.shed_total) > 0, `40 ms sets at a 33 ms period must shed: ${decisions.join(' ')}`);
    for (const d of decisions.filter((x) => x.startsWith('shed:')))
      assert.ok(['shed:superseded', 'shed:deadline_passed', 'shed:insufficient_slack'].includes(d), d);
    assert.equal(last.deadline_misses, 0n, decisions.join(' '));
    // The budgets are the warm measured times (~4 ms a stage), not the profile's.
    const stereo = last.stages.find((s) => s.name === 'stereo_depth')!;
    assert.ok(stereo.predicted_ms >= 3 && stereo.predicted_ms <= 9, `stereo budget ${stereo.predicted_ms} ms`);
    // Latency runs from the sensor stamp to the result, so it covers the set's own processing.
    const done = statuses.filter((_, i) => !decisions[i].startsWith('shed:'));
    for (const s of done)
      assert.ok(s.latency_ms >= s.measured_total_ms, `latency ${s.latency_ms} ms < processing ${s.measured_total_ms} ms`);
  });

  it('target time fed by a source that does not wait: drops with a warning instead of queueing without bound', async () => {
    const runner = await createPerceptionRunner(parseConfig(TARGET_TIME));
    const warnings: string[] = [];
    let results = 0;
    runner.onWarning((w) => warnings.push(w));
    runner.onResult(() => results++);
    const reader = await openBag(bag);
    for await (const m of reader.messages()) handTo(runner, m.topic, m.decode());
    await reader.close();
    await runner.close();
    assert.ok(
      warnings.some((w) => /target time: 14 frame sets already wait for the pipeline; dropping new ones/.test(w)),
      warnings.join('\n'),
    );
    assert.ok(results > 0 && results < 29, `results ${results}`);
  });
});

describe('runner: bag loops', function () {
  this.timeout(120_000);

  it('restarts sync when a short bag loops, once sync.time_jump_ms is below the loop length', async () => {
    const bag = await sceneBag('corridor_crossing', 1);
    const reader = await openBag(bag);
    const messages: Array<{ topic: string; msg: unknown }> = [];
    for await (const m of reader.messages()) messages.push({ topic: m.topic, msg: m.decode() });
    await reader.close();
    const run = async (timeJumpMs: number) => {
      const runner = await createPerceptionRunner(parseConfig({ ...TARGET_TIME, sync: { time_jump_ms: timeJumpMs } }));
      const warnings: string[] = [];
      let results = 0;
      runner.onWarning((w) => warnings.push(w));
      runner.onResult((r) => {
        if (r.decision === 'completed') results++;
      });
      for (let pass = 0; pass < 2; pass++) {
        for (const { topic, msg } of messages) if (handTo(runner, topic, msg)) await runner.flush();
      }
      await runner.close();
      return { results, warnings };
    };
    const short = await run(500);
    assert.ok(
      short.warnings.some((w) => /time jumped backwards by 0\.9\d\d s/.test(w)),
      short.warnings.join('\n'),
    );
    assert.ok(
      short.warnings.some((w) => /scheduler restarted: frame-set stamps jumped back/.test(w)),
      short.warnings.join('\n'),
    );
    const long = await run(1000);
    // Both passes complete (not shed against the old timeline's clock) only with the restart.
    assert.ok(short.results > long.results + 20, `completed sets: ${short.results} with the restart vs ${long.results}`);
    assert.ok(short.results >= 50, `completed sets over two passes: ${short.results}`);
  });
});

/** Host time for a test: a clock in the stamp domain that a stopwatch reading advances by `stepNs`. */
class SteppedHostTime implements Clock {
  readonly mode = 'host' as const;
  #now = 0n;

  constructor(readonly stepNs: bigint) {}

  now(): Nanos {
    return this.#now;
  }

  /** The source's time reached `t` (an image handed in at its stamp). */
  advanceTo(t: Nanos): void {
    if (t > this.#now) this.#now = t;
  }

  /** A stopwatch reading: measuring takes one step. */
  read(): Nanos {
    this.#now += this.stepNs;
    return this.#now;
  }
}
