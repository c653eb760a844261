// The scripted newcomer check of issue 19: what a new user does after `git clone`, run by CI.
// 1. The README's own-bag examples, read from the README, on bags with a robot's own topic
//    names: an MCAP bag with compressed stereo images and /tf_static, and a Humble .db3 bag
//    without /tf_static whose extrinsics come from the README's rig file.
// 2. `demo`: it runs, prints its table with pass/fail, and a refused demo leaves its outputs as
//    they were; its report, rendered by headless Chromium, shows ground-truth boxes, track ids,
//    depth images, labelled distance rings and a latency chart on the scheduler's own clock.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { TfBuffer } from '../../src/geometry/tf_buffer';
import { openBag } from '../../src/io/bag_reader';
import type { PipelineStatus, TFMessage } from '../../src/msgs/types';
import { assertBadDemosKeep, capture } from '../cli/demo_checks';
import { colourShare, renderHtmlToPng } from '../support/render_html';
import { sceneBag } from '../support/scene_bags';
import { dumpDom, elements } from './dom';
import { ownHumbleDb3Bag, ownMcapBag } from './own_bag';
import { readmeBlock, readmeCommand } from './readme_examples';

/** Every /tf_static transform of a bag, in a buffer. */
async function staticTf(bag: string): Promise<TfBuffer> {
  const reader = await openBag(bag);
  const tf = new TfBuffer();
  try {
    for await (const m of reader.messages({ topics: ['/tf_static'] })) tf.setTransforms(m.decode<TFMessage>(), true);
  } finally {
    await reader.close();
  }
  return tf;
}

async function topicCounts(bag: string): Promise<Map<string, number>> {
  const reader = await openBag(bag);
  const counts = new Map(reader.info.topics.map((t) => [t.name, t.count]));
  await reader.close();
  return counts;
}

/** Asserts `got`'s base_link -> `frame` equals the scene's to 1e-6 (metres, and rotation-matrix entries). */
function assertSamePose(got: TfBuffer, want: TfBuffer, frame: string): void {
  const a = got.lookup('base_link', frame);
  const b = want.lookup('base_link', frame);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-6, `${frame} [${i}]: ${a[i]} vs the scene's ${b[i]}`);
}

describe('newcomer check (issue 19)', function () {
  this.timeout(900_000);
  const work = mkdtempSync(join(tmpdir(), 'newcomer-'));

  describe("the README's own-bag guide", () => {
    let scene: string;
    let sceneTf: TfBuffer;
    before(async () => {
      scene = await sceneBag('corridor_crossing', 1);
      sceneTf = await staticTf(scene);
    });

    it('the remap example replays an MCAP bag with its own topic names and compressed stereo images', async () => {
      const bag = await ownMcapBag(scene, join(work, 'my_robot'));
      const out = join(work, 'my_robot_out');
      const argv = readmeCommand('remap example', { my_robot: bag, my_robot_out: out });
      const { code, text } = await capture(process.stdout, [...argv, '--quiet']);
      assert.equal(code, 0, text);
      assert.match(text, /cameras: +front_left, front_right, side_cam_l, side_cam_r\n/);
      assert.match(text, /frame sets: +30 \(30 completed; shed: none\)/);
      const outputs = await topicCounts(out);
      for (const t of [
        '/perception/front_left/depth',
        '/perception/side_cam_l/depth',
        '/perception/side_cam_r/depth',
        '/perception/tracks',
        '/perception/scan',
      ]) {
        assert.ok((outputs.get(t) ?? 0) > 0, `${t} in ${[...outputs.keys()].join(', ')}`);
      }
      const tf = await staticTf(out);
      for (const c of ['front_left', 'front_right', 'left', 'right']) assertSamePose(tf, sceneTf, `${c}_optical_frame`);
    });

    it('the rig example replays a Humble .db3 bag without /tf_static, the extrinsics from its rig file', async () => {
      const bag = await ownHumbleDb3Bag(scene, join(work, 'my_robot_humble'));
      assert.ok(!(await topicCounts(bag)).has('/tf_static'));
      const rigFile = join(work, 'my_rig.yaml');
      writeFileSync(rigFile, readmeBlock('my_rig.yaml'));
      const out = join(work, 'my_robot_humble_out');
      const argv = readmeCommand('rig example', { my_robot_humble: bag, 'my_rig.yaml': rigFile, my_robot_humble_out: out });
      const { code, text } = await capture(process.stdout, [...argv, '--quiet']);
      assert.equal(code, 0, text);
      assert.match(text, /cameras: +left, right, side_cam_l, side_cam_r\n/);
      assert.match(text, /frame sets: +30 \(30 completed; shed: none\)/);
      const outputs = await topicCounts(out);
      for (const t of ['/perception/left/depth', '/perception/side_cam_l/depth', '/perception/side_cam_r/depth', '/perception/tracks']) {
        assert.ok((outputs.get(t) ?? 0) > 0, `${t} in ${[...outputs.keys()].join(', ')}`);
      }
      // The README's rig values put each camera where the scene had it (its rpy to 1e-7 rad).
      const tf = await staticTf(out);
      for (const c of ['front_left', 'front_right', 'left', 'right']) assertSamePose(tf, sceneTf, `${c}_optical_frame`);
    });
  });

  describe('the demo and its report', () => {
    const out = join(work, 'demo');
    let table = '';

    before(async function () {
      this.timeout(900_000);
      const { code, text } = await capture(process.stdout, ['demo', '--duration', '1.5', '--out', out]);
      assert.equal(code, 0, text);
      table = text;
    });

    it('prints the scores with pass/fail against each target', () => {
      for (const metric of [
        'stereo depth error',
        '3D object position error',
        'tracking MOTA / IDF1',
        'deadline misses',
        'latency stereo_depth',
      ]) {
        assert.ok(table.includes(metric), `the table reports "${metric}":\n${table}`);
      }
      const depth = /stereo depth error[^\n]*?([\d.]+) % +< 3 % +(pass|FAIL)/.exec(table);
      assert.ok(depth, table);
      assert.equal(depth[2], Number(depth[1]) < 3 ? 'pass' : 'FAIL');
      assert.match(table, /deadline misses +\d+ \/ \d+ \/ 0 +misses 0 +pass/);
      const mota = Number(/tracking MOTA \/ IDF1 +(-?[\d.]+)/.exec(table)?.[1]);
      assert.equal(/MOTA < 0 means/.test(table), mota < 0, `one line explains a negative MOTA (${mota})`);
    });

    it('a refused demo leaves the outputs of the good one as they were', async () => {
      await assertBadDemosKeep(out);
    });

    it('its report renders headless with ground-truth boxes, track ids, depth images, labelled rings and the latency chart', async () => {
      const html = join(out, 'report.html');
      const dom = dumpDom(html);
      assert.equal((dom.match(/<figure data-camera=/g) ?? []).length, 4, 'one panel per camera');
      assert.ok(dom.includes(`${join(out, 'scene_bag')}<`), 'the report names the scene bag where it ends up');
      assert.equal((dom.match(/no detector by design/g) ?? []).length, 1, 'front_right without detections is explained once, on its panel');
      assert.match(dom, /<figure data-camera="front_right">(?:(?!<\/figure>)[\s\S])*no detector by design/);
      // Ground truth and track ids over the cameras and in the bird's-eye view.
      assert.ok(elements(dom, 'g', 'ground_truth').length > 0, 'ground-truth boxes');
      const trackLabels = elements(dom, 'text', 'trk').map((e) => e.text);
      assert.ok(trackLabels.length > 0 && trackLabels.every((t) => /^#\d+ /.test(t)), `track labels: ${trackLabels.join(', ')}`);
      assert.ok(
        elements(dom, 'text', 'tid').some((e) => /^#\d+ /.test(e.text)),
        "track ids in the bird's-eye view",
      );
      // Depth images: decoded, most of the stereo camera's pixels have depth.
      const depths = [...dom.matchAll(/<img class="depth" alt="([^"]+) depth" src="data:image\/jpeg;base64,([^"]+)"/g)];
      assert.deepEqual(depths.map((d) => d[1]).sort(), ['front_left', 'left', 'right']);
      const img = jpeg.decode(Buffer.from(depths.find((d) => d[1] === 'front_left')![2]!, 'base64'));
      let withDepth = 0;
      for (let i = 0; i < img.width * img.height; i++) if (img.data[i * 4]! + img.data[i * 4 + 1]! + img.data[i * 4 + 2]! > 60) withDepth++;
      assert.ok(withDepth / (img.width * img.height) > 0.3, `front_left depth covers ${(100 * withDepth) / (img.width * img.height)} %`);
      // Distance rings, labelled in metres.
      const rings = elements(dom, 'text', 'ringlbl').map((e) => e.text);
      assert.ok(rings.length >= 4 && rings.slice(0, 3).join() === '2 m,4 m,6 m', rings.join(', '));
      await assertLatencyOnSchedulerClock(dom, join(out, 'perception_bag'));

      const png = renderHtmlToPng(html, 1600, 2400);
      assert.ok(colourShare(png, [0, 255, 102], 40) > 0.0002, 'green ground-truth boxes visible');
      assert.ok(colourShare(png, [255, 208, 0], 40) > 0.0002, 'yellow projected tracks visible');
      assert.ok(colourShare(png, [255, 153, 0], 30) > 0.00002, 'virtual scan drawn');
      assert.ok(colourShare(png, [136, 136, 136], 4) > 0.0005, 'obstacle cloud drawn');
      assert.ok(colourShare(png, [250, 250, 250], 3, { x: 0, y: 270, w: 1600, h: 250 }) < 0.3, 'camera images are drawn');
    });
  });
});

/**
 * The chart's bars are the stage times the scheduler ran on, target time here: the profile's
 * predicted times the node published in /perception/status, not this machine's measured ones;
 * its dots are the published latencies. It has a y-axis and its line labels do not overlap.
 */
async function assertLatencyOnSchedulerClock(dom: string, perceptionBag: string): Promise<void> {
  const chart = elements(dom, 'svg', 'lat')[0];
  assert.ok(chart && /^target time: dx-v3 predicted/.test(chart.attrs['data-clock'] ?? ''), JSON.stringify(chart?.attrs));
  const reader = await openBag(perceptionBag);
  let predicted = 0;
  let measured = 0;
  const latencies: number[] = [];
  try {
    const completed = new Set<bigint>();
    for await (const m of reader.messages({ topics: ['/perception/tracks'] })) completed.add(m.logTime);
    for await (const m of reader.messages({ topics: ['/perception/status'] })) {
      if (!completed.has(m.logTime)) continue;
      const s = m.decode<PipelineStatus>();
      for (const st of s.stages) if (Number.isFinite(st.predicted_ms)) predicted += st.predicted_ms;
      for (const st of s.stages) if (Number.isFinite(st.measured_ms)) measured += st.measured_ms;
      latencies.push(s.latency_ms);
    }
  } finally {
    await reader.close();
  }
  const bars = elements(dom, 'rect', 'bar').reduce((n, e) => n + Number(e.attrs['data-ms']), 0);
  assert.ok(Math.abs(bars - predicted) < 1e-3 * Math.max(1, predicted), `bars ${bars} ms, published predictions ${predicted} ms`);
  assert.ok(Math.abs(bars - measured) > 0.01 * bars, `bars ${bars} ms must not be host-measured (${measured} ms)`);
  const dots = elements(dom, 'circle', 'latency').map((e) => Number(e.attrs['data-ms']));
  assert.equal(dots.length, latencies.length);
  dots.forEach((d, i) => assert.ok(Math.abs(d - latencies[i]!) < 1e-2, `latency ${i}: ${d} vs ${latencies[i]}`));
  assert.ok(elements(dom, 'text', 'tick').length >= 3 && elements(dom, 'line', 'yaxis').length === 1, 'a y-axis with ticks');
  const lineLabels = [...dom.matchAll(/<text x="[\d.]+" y="([\d.]+)" class="axis" fill="#(?:d00|06c)">/g)].map((m) => Number(m[1]));
  assert.equal(lineLabels.length, 2);
  assert.ok(Math.abs(lineLabels[0]! - lineLabels[1]!) >= 12, `deadline and period labels ${lineLabels.join(' / ')} px apart`);
}
