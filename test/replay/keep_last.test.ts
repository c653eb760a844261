// A host-time replay the machine cannot keep up with drops the images a live node's keep-last
// subscription would have replaced, and skips ahead where every image would be too late, so it
// catches up instead of shedding every later set.
import { strict as assert } from 'node:assert';
import { parseConfig } from '../../src/config/config';
import { openBag } from '../../src/io/bag_reader';
import { KeepLast } from '../../src/replay/keep_last';
import { replayBag } from '../../src/replay/replay';
import { sceneBag } from '../support/scene_bags';

const MS = 1_000_000n;

describe('replay/keep_last', function () {
  this.timeout(300_000);

  it("drops a late image only when its camera's next one was due too", () => {
    const keep = new KeepLast();
    assert.equal(keep.replaced('/a/image_raw', 0n, 500), false, 'the first image of a topic has nothing newer behind it');
    assert.equal(keep.replaced('/a/image_raw', 33n * MS, 20), false, 'less than a frame interval late: still the newest');
    assert.equal(keep.replaced('/a/image_raw', 66n * MS, 40), true, 'more than a frame interval late: replaced');
    assert.equal(keep.replaced('/b/image_raw', 66n * MS, 40), false, 'topics are apart');
    assert.equal(keep.replaced('/a/image_raw', 99n * MS, 0), false);
  });

  it("host time at 50x the recorded pace: the replay skips ahead to the bag's present instead of reading late images, and every set made is completed or shed", async () => {
    const bag = await sceneBag('corridor_crossing', 1);
    const paced = await replayBag(bag, { config: parseConfig({ scheduler: { time_mode: 'host' } }), rate: 50 });
    const reader = await openBag(bag);
    const inBag = reader.info.messageCount;
    await reader.close();
    assert.ok(paced.skippedAheadMs > 0, 'nothing skipped at 50x');
    assert.ok(paced.messagesRead < inBag, `read ${paced.messagesRead} of ${inBag} messages at 50x`);
    const shed = Object.values(paced.shed).reduce((a, b) => a + b, 0);
    assert.equal(paced.completed + shed, paced.results);
  });
});
