// Item 4 of issue 19: the ways a user's own bag used to be misread silently are either a working
// feature or an error naming the flag or key.
import { strict as assert } from 'node:assert';
import { configFromOptions } from '../../src/cli/cli_options';
import { checkRemaps, discoverCameras, parseRemaps } from '../../src/replay/bag_topics';
import { parseConfig } from '../../src/config/config';

const IMAGE = 'sensor_msgs/msg/Image';
const INFO = 'sensor_msgs/msg/CameraInfo';
const opts = (set: string[]) => ({ set, remap: [] });

describe('own bag: cameras, topics and remaps', () => {
  it('--set cameras=a,b is the list [a, b], as cameras=[a,b] is', () => {
    for (const set of ['cameras=a,b', 'cameras=[a,b]', 'cameras=[a, b]']) {
      assert.deepEqual(configFromOptions(opts([set])).cameras, ['a', 'b'], set);
    }
  });

  it('a camera list without the default stereo pair keeps only the pairs it names', () => {
    assert.deepEqual(configFromOptions(opts(['cameras=a,b'])).depth.stereo_pairs, []);
    assert.deepEqual(configFromOptions(opts(['cameras=front_left,front_right,left'])).depth.stereo_pairs, [['front_left', 'front_right']]);
    // An explicit pair naming an unlisted camera is still the user's mistake, and is named.
    assert.throws(() => configFromOptions(opts(['cameras=a,b', 'depth.stereo_pairs=[[a,c]]'])), /depth\.stereo_pairs[^\n]*"c" is not/);
  });

  it('two cameras whose namespaces share a last segment get distinct names', () => {
    const cams = discoverCameras([
      { name: '/a/left/image_raw', type: IMAGE },
      { name: '/a/left/camera_info', type: INFO },
      { name: '/b/left/image_raw', type: IMAGE },
      { name: '/b/left/image_rect', type: IMAGE },
      { name: '/b/left/camera_info', type: INFO },
      { name: '/robot/right/image_rect_color', type: IMAGE },
      { name: '/robot/right/camera_info', type: INFO },
    ]);
    assert.deepEqual(
      cams.map((c) => [c.camera, c.image, c.info]),
      [
        ['a_left', '/a/left/image_raw', '/a/left/camera_info'],
        ['b_left', '/b/left/image_raw', '/b/left/camera_info'],
        ['right', '/robot/right/image_rect_color', '/robot/right/camera_info'],
      ],
    );
  });

  it('a --remap of a topic the bag lacks is refused naming the flag and the topic', () => {
    const remaps = parseRemaps(['/cam0/image_raw:=/front_left/image_raw', '/typo/image:=/left/image_raw']);
    assert.throws(
      () => checkRemaps(remaps, ['/cam0/image_raw', '/cam0/camera_info'], 'my_bag'),
      (e: Error) =>
        e.message.startsWith('--remap /typo/image:=/left/image_raw: bag my_bag has no topic /typo/image;') &&
        e.message.includes('/cam0/camera_info'),
    );
    assert.doesNotThrow(() => checkRemaps(parseRemaps(['/cam0/image_raw:=/front_left/image_raw']), ['/cam0/image_raw'], 'my_bag'));
  });

  it('topics.image accepts every image topic name replay discovers, raw or compressed', () => {
    for (const image of ['image_rect_color', 'image_color', 'image_mono', 'image_rect_color/compressed']) {
      assert.equal(parseConfig({ topics: { image } }).topics.image, image);
    }
    assert.throws(() => parseConfig({ topics: { image: 'image_rect_colour' } }), /topics\.image/);
  });
});
