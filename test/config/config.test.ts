import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, flatten, loadConfigFile, parseConfig, parseOverrides, unflatten, mergeConfig } from '../../src/config/config';

describe('configuration schema', () => {
  it('fills every default from an empty config', () => {
    const cfg = parseConfig({});
    assert.deepEqual(cfg.cameras, ['front_left', 'front_right', 'left', 'right']);
    assert.equal(cfg.depth.num_disparities, 64);
    assert.equal(cfg.scheduler.time_mode, 'host', 'live operation schedules on the wall clock');
  });

  it('names the key, the value and what was expected', () => {
    assert.throws(
      () => parseConfig({ depth: { num_disparities: 3 } }, 'x.yaml'),
      (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /x\.yaml/);
        assert.match(e.message, /depth\.num_disparities = 3: .*>=16/);
        return true;
      },
    );
    // What the matcher accepts is what the configuration accepts: 24 is refused here, not later.
    assert.throws(() => parseConfig({ depth: { num_disparities: 24 } }), /depth\.num_disparities = 24: .*multiple of 16/);
    assert.throws(() => parseConfig({ sync: { polcy: 'exact' } }), /unknown key\(s\) sync\.polcy \(did you mean sync\.policy\?\)/);
    // Nothing near enough: no guess.
    assert.throws(
      () => parseConfig({ sync: { zzzzzzzz: 1 } }),
      (e: Error) => /sync\.zzzzzzzz/.test(e.message) && !/did you mean/.test(e.message),
    );
    assert.throws(() => parseConfig({ scheduler: { time_mode: 'wall' } }), /scheduler\.time_mode = "wall"/);
    assert.throws(() => parseConfig({ depth: { stereo_pairs: [['a', 'b']] } }), /"a" is not/);
    assert.throws(() => parseConfig({ scan: { angle_min: 1, angle_max: 0 } }), /scan\.angle_min = 1/);
  });

  it('reads ROS 2 parameter files and plain YAML alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const ros = join(dir, 'ros.yaml');
    writeFileSync(ros, 'dx_perception_node:\n  ros__parameters:\n    depth:\n      num_disparities: 96\n');
    assert.equal(loadConfigFile(ros).depth.num_disparities, 96);
    const plain = join(dir, 'plain.yaml');
    writeFileSync(plain, 'cameras: [a, b, c]\ndepth: {stereo_pairs: [[a, b]]}\n');
    assert.deepEqual(loadConfigFile(plain).cameras, ['a', 'b', 'c']);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'cameras: [a, b\n');
    assert.throws(() => loadConfigFile(broken), /broken\.yaml is not valid YAML/);
  });

  it('maps flat parameter names and CLI overrides onto the same schema', () => {
    const cfg = parseConfig({});
    const flat = flatten(cfg as unknown as Record<string, unknown>);
    assert.equal(flat['depth.num_disparities'], 64);
    assert.deepEqual(parseConfig(unflatten(flat)), cfg);
    const over = mergeConfig(
      { depth: { speckle_window_size: 7 } },
      parseOverrides(['depth.num_disparities=128', 'cameras=[a,b]', 'depth.stereo_pairs=[[a,b]]']),
    );
    const merged = parseConfig(over);
    assert.equal(merged.depth.num_disparities, 128);
    assert.equal(merged.depth.speckle_window_size, 7);
    assert.throws(() => parseOverrides(['novalue']), /expected key=value/);
  });
});
