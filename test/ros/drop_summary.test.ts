// DropCounts: the shutdown summary, by topic/camera and reason, across replaced runners.
import { strict as assert } from 'node:assert';
import { DropCounts } from '../../src/ros/drop_summary';

describe('ros/DropCounts', () => {
  it('says so when nothing was dropped', () => {
    assert.deepEqual(new DropCounts().summary(), ['no input message was dropped']);
  });

  it('counts node drops by topic and reason, true only for the first of each pair', () => {
    const d = new DropCounts();
    assert.equal(d.countNodeDrop('/a/image_raw', 'unconvertible'), true);
    assert.equal(d.countNodeDrop('/a/image_raw', 'unconvertible'), false);
    assert.equal(d.countNodeDrop('/a/image_raw', 'pipeline_not_ready'), true);
    assert.deepEqual(d.summary(), [
      'dropped 2 input message(s) on /a/image_raw: unconvertible',
      'dropped 1 input message(s) on /a/image_raw: pipeline_not_ready',
    ]);
  });

  it('adds up the synchroniser drops of closed runners and of the running one', () => {
    const d = new DropCounts();
    d.addSyncDrops([
      { camera: 'left', reason: 'queue_overflow', count: 4 },
      { camera: 'right', reason: 'no_camera_info', count: 0 },
    ]);
    d.addSyncDrops([{ camera: 'left', reason: 'queue_overflow', count: 1 }]);
    assert.deepEqual(
      d.summary([
        { camera: 'left', reason: 'queue_overflow', count: 2 },
        { camera: 'left', reason: 'time_jump', count: 3 },
      ]),
      ['synchroniser dropped 7 image(s) of camera left: queue_overflow', 'synchroniser dropped 3 image(s) of camera left: time_jump'],
    );
    assert.deepEqual(d.summary(), ['synchroniser dropped 5 image(s) of camera left: queue_overflow'], 'the live counts are not kept');
  });
});
