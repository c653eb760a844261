// advertisedOutputs: the per-camera and per-pair topics follow the configuration.
import { strict as assert } from 'node:assert';
import { parseConfig } from '../../src/config/config';
import { advertisedOutputs } from '../../src/ros/advertised_outputs';

const topics = (raw: object): string[] => advertisedOutputs(parseConfig(raw)).map((o) => o.topic);

describe('ros/advertisedOutputs', () => {
  it('adds disparity and depth of each stereo pair', () => {
    const t = topics({ depth: { learned_model_path: '' } });
    assert.ok(
      t.includes('front_left_front_right/disparity') && t.includes('front_left/depth') && t.includes('front_left/depth/camera_info'),
    );
    assert.ok(!t.some((x) => x.startsWith('left/') || x.startsWith('front_right/')), t.join());
    assert.ok(!topics({ depth: { stereo_pairs: [], learned_model_path: '' } }).some((x) => x.includes('disparity') || x.includes('depth')));
    assert.ok(topics({}).includes('left/depth'), 'the bundled learned-depth model is the default');
  });

  it('adds learned depth for cameras outside the pairs and detections for all but right cameras, when the models are set', () => {
    const t = topics({ depth: { learned_model_path: 'm.onnx' }, detection: { model_path: 'd.onnx' } });
    for (const cam of ['front_left', 'left', 'right'])
      assert.ok(t.includes(`${cam}/depth`) && t.includes(`${cam}/detections`), `${cam}: ${t.join()}`);
    assert.ok(!t.includes('front_right/depth') && !t.includes('front_right/detections'));
  });

  it('leaves out what outputs.* turns off', () => {
    const t = topics({ outputs: { disparity: false, depth_images: false, markers: false, diagnostics: false } });
    assert.deepEqual(t, ['objects', 'tracks', 'obstacles', 'scan', 'status']);
  });
});
