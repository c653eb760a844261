// Class-aware NMS, labels and the vision_msgs output, checked against hand-worked cases.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CandidateBuffer } from '../../src/inference/candidates';
import { toDetection2DArray } from '../../src/inference/detection';
import { COCO80, className, loadLabels } from '../../src/inference/labels';
import { nmsClassAware } from '../../src/inference/nms';
import { requireData } from '../support/data_dir';
import { MODELS_DIR } from './photos';

describe('class-aware NMS', () => {
  it('suppresses only same-class overlaps above the threshold, best first, up to maxKeep', () => {
    const c = new CandidateBuffer();
    c.push(0, 0, 10, 10, 0.5, 0); // 0
    c.push(1, 0, 11, 10, 0.9, 0); // 1: IoU with 0 = 90/110 = 0.818
    c.push(0, 0, 10, 10, 0.7, 1); // 2: other class, same box
    c.push(5, 0, 15, 10, 0.6, 0); // 3: IoU with 1 = 60/140 = 0.43
    c.push(100, 100, 110, 110, 0.95, 0); // 4: alone
    assert.deepEqual(Array.from(nmsClassAware(c, 0.45, 10)), [4, 1, 2, 3]);
    assert.deepEqual(Array.from(nmsClassAware(c, 0.4, 10)), [4, 1, 2]);
    assert.deepEqual(Array.from(nmsClassAware(c, 0.9, 10)), [4, 1, 2, 3, 0]);
    assert.deepEqual(Array.from(nmsClassAware(c, 0.45, 2)), [4, 1]);
  });

  it('grows past its initial capacity and keeps every field', () => {
    const c = new CandidateBuffer();
    for (let i = 0; i < 1000; i++) c.pushCenter(i * 20, 0, 10, 10, i / 1000, i % 7);
    assert.equal(c.count, 1000);
    const keep = nmsClassAware(c, 0.5, 2000);
    assert.equal(keep.length, 1000);
    assert.deepEqual([c.boxes[4 * 999], c.classes[999], c.scores[keep[0]]], [999 * 20 - 5, 999 % 7, Math.fround(0.999)]);
  });
});

describe('labels', () => {
  it('built-in COCO-80 equals the coco.names file of the data directory', function () {
    requireData(this, 'models/coco.names');
    const fromFile = readFileSync(join(MODELS_DIR, 'coco.names'), 'utf8').trim().split('\n');
    assert.deepEqual([...COCO80], fromFile);
    assert.deepEqual(loadLabels(join(MODELS_DIR, 'coco.names')), fromFile);
  });

  it('reads a custom file, names unlisted classes, and rejects an empty file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dx-labels-'));
    try {
      writeFileSync(join(dir, 'a.names'), 'forklift\r\npallet\n\n');
      const labels = loadLabels(join(dir, 'a.names'));
      assert.deepEqual(labels, ['forklift', 'pallet']);
      assert.equal(className(labels, 1), 'pallet');
      assert.equal(className(labels, 5), 'class_5');
      writeFileSync(join(dir, 'empty.names'), '\n\n');
      assert.throws(
        () => loadLabels(join(dir, 'empty.names')),
        /labels file ".*empty.names" holds no class names; expected one name per line/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('toDetection2DArray', () => {
  it('writes centre/size boxes, the class name and score, and the given header', () => {
    const header = { stamp: { sec: 12, nanosec: 5 }, frame_id: 'front_left_optical' };
    const msg = toDetection2DArray([{ x1: 10, y1: 20, x2: 50, y2: 100, score: 0.8, classId: 16, className: 'dog' }], header);
    assert.equal(msg.header, header);
    assert.equal(msg.detections.length, 1);
    const d = msg.detections[0];
    assert.deepEqual(d.bbox, { center: { position: { x: 30, y: 60 }, theta: 0 }, size_x: 40, size_y: 80 });
    assert.deepEqual(d.results[0].hypothesis, { class_id: 'dog', score: 0.8 });
    assert.deepEqual(d.results[0].pose.pose.position, { x: 30, y: 60, z: 0 });
    assert.equal(d.results[0].pose.covariance.length, 36);
    assert.equal(d.header, header);
  });
});
