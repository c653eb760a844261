// The rclnodejs typings generated from the project's message definitions must declare the types
// src/ros uses exactly as rclnodejs's own generator does from a ROS 2 Jazzy installation (a copy
// of its output lives in the data directory, ros/).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rclnodejsInterfaces } from '../../scripts/rclnodejs_typings';
import { dataPath, requireData } from '../support/data_dir';

const JAZZY = 'ros/rclnodejs-2.2.0-interfaces-jazzy.d.ts';

/** Types src/ros reads or builds, with the messages their fields contain. */
const USED = [
  'sensor_msgs/Image',
  'sensor_msgs/CameraInfo',
  'sensor_msgs/CompressedImage',
  'sensor_msgs/RegionOfInterest',
  'std_msgs/Header',
  'builtin_interfaces/Time',
  'tf2_msgs/TFMessage',
  'geometry_msgs/TransformStamped',
  'geometry_msgs/Transform',
  'geometry_msgs/Vector3',
  'geometry_msgs/Quaternion',
  'sensor_msgs/PointField',
  'rcl_interfaces/SetParametersResult',
];

/** The body of `export interface <name>` in package `pkg`'s msg namespace (not its descriptors). */
function declaration(text: string, type: string, suffix = ''): string {
  const [pkg, name] = type.split('/') as [string, string];
  const start = text.indexOf(`\n  namespace ${pkg} {\n`);
  assert.notEqual(start, -1, `namespace ${pkg} is declared`);
  const head = `\n      export interface ${name}${suffix} {\n`;
  const at = text.indexOf(head, start);
  assert.notEqual(at, -1, `${type}${suffix} is declared`);
  return text.slice(at, text.indexOf('\n      }', at + head.length));
}

describe('generated rclnodejs typings', () => {
  const generated = rclnodejsInterfaces();

  it('declare the types src/ros uses as rclnodejs generates them from ROS 2 Jazzy', function () {
    requireData(this, JAZZY);
    const jazzy = readFileSync(dataPath(JAZZY), 'utf8');
    for (const type of USED) {
      assert.equal(declaration(generated, type), declaration(jazzy, type), type);
      assert.equal(declaration(generated, type, 'Constructor'), declaration(jazzy, type, 'Constructor'), `${type}Constructor`);
    }
  });

  it("declare this package's own messages and map every type name to its interface", () => {
    assert.match(declaration(generated, 'dx_perception/PipelineStatus'), /header: std_msgs\.msg\.Header;/);
    assert.match(generated, /'sensor_msgs\/msg\/Image': sensor_msgs\.msg\.Image,/);
    assert.match(generated, /'vision_msgs\/msg\/Detection3DArray': vision_msgs\.msg\.Detection3DArray,/);
  });
});
