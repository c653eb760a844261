// `--config <file>` for replay, regress and demo, with the ROS 2 parameters files users have:
// valid files rcl accepts must be accepted (dotted names, `/**` beside another node's section),
// and a file written for another node must say so, naming the file and its sections, instead
// of being applied to this node or failing on the other node's keys.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCliConfig } from '../../src/config/config';

describe('replay --config with ROS 2 parameters files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'params-file-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('dotted names under ros__parameters are read as the nested keys they name', () => {
    const cfg = loadCliConfig({
      config: file(
        'dotted.yaml',
        'dx_perception_node:\n  ros__parameters:\n    sync.policy: exact\n    depth.num_disparities: 96\n    sync:\n      queue_size: 7\n',
      ),
    });
    assert.equal(cfg.sync.policy, 'exact');
    assert.equal(cfg.sync.queue_size, 7);
    assert.equal(cfg.depth.num_disparities, 96);
  });

  it("a file with /** and another node's section: /** applies, the other node's keys are not read", () => {
    const cfg = loadCliConfig({
      config: file(
        'shared.yaml',
        '/**:\n  ros__parameters:\n    sync:\n      policy: exact\ncamera_driver:\n  ros__parameters:\n    frame_rate: 30\n',
      ),
    });
    assert.equal(cfg.sync.policy, 'exact');
  });

  it("the node's own section (namespaced too) wins over /**", () => {
    const text =
      '/**:\n  ros__parameters:\n    depth.num_disparities: 96\n/robot:\n  dx_perception_node:\n    ros__parameters:\n      depth.num_disparities: 128\n';
    assert.equal(loadCliConfig({ config: file('both.yaml', text) }).depth.num_disparities, 128);
  });

  it('a file written for another node is refused naming the file and its node section', () => {
    const path = file('other.yaml', 'camera_driver:\n  ros__parameters:\n    frame_rate: 30\n    sync:\n      policy: exact\n');
    assert.throws(
      () => loadCliConfig({ config: path }),
      (e: Error) =>
        e.message ===
        `configuration file ${path}: its ros__parameters are for "camera_driver", not this node; expected a "/**" or "dx_perception_node" section`,
    );
  });

  it("the project's own params/default.yaml still loads", () => {
    assert.deepEqual(loadCliConfig({ config: join(__dirname, '..', '..', 'params', 'default.yaml') }).cameras, [
      'front_left',
      'front_right',
      'left',
      'right',
    ]);
  });

  it('depth.block_size is gone: it is refused as an unknown key, not silently ignored', () => {
    assert.throws(() => loadCliConfig({ config: file('block.yaml', 'depth:\n  block_size: 5\n') }), /unknown key\(s\) depth\.block_size/);
    assert.throws(() => loadCliConfig({ set: ['depth.block_size=11'] }), /unknown key\(s\) depth\.block_size/);
  });
});
