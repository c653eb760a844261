import { strict as assert } from 'assert';
import { parse } from '@foxglove/rosmsg';
import { MessageReader } from '@foxglove/rosmsg2-serialization';
import * as fs from 'fs';
import * as path from 'path';
import { decodeMessage, encodeMessage } from '../../src/msgs/codec';
import { knownMessageTypes, registerSchema, ros2msgSchema } from '../../src/msgs/definitions';
import { PACKAGE_SAMPLES, SAMPLE_MESSAGES } from '../fixtures/sample_messages';

const MSG_DIR = path.join(__dirname, '..', '..', 'msg');

describe('msgs/codec', () => {
  describe('round trip of every listed message type', () => {
    for (const { type, msg } of SAMPLE_MESSAGES) {
      it(type, () => {
        const bytes = encodeMessage(type, msg);
        assert.deepStrictEqual(decodeMessage(type, bytes), msg);
      });
    }
  });

  it('knows every listed type, in pkg/msg/Name form', () => {
    const known = new Set(knownMessageTypes());
    for (const { type } of SAMPLE_MESSAGES) assert.ok(known.has(type), type);
  });

  it('accepts the short pkg/Name spelling too', () => {
    const bytes = encodeMessage('std_msgs/String', { data: 'x' });
    assert.deepStrictEqual(decodeMessage('std_msgs/msg/String', bytes), { data: 'x' });
  });

  it('writes the CDR bytes ROS 2 puts on the wire (std_msgs/String, little-endian)', () => {
    // Encapsulation header 00 01 00 00 (CDR_LE), uint32 length 3 (with NUL), "hi\0".
    assert.deepStrictEqual([...encodeMessage('std_msgs/msg/String', { data: 'hi' })], [0, 1, 0, 0, 3, 0, 0, 0, 104, 105, 0]);
  });

  it('names an unknown type', () => {
    assert.throws(() => encodeMessage('nav_msgs_x/msg/Nope', {}), /nav_msgs_x\/msg\/Nope/);
    assert.throws(() => decodeMessage('nav_msgs_x/msg/Nope', new Uint8Array(8)), /nav_msgs_x\/msg\/Nope/);
    assert.throws(() => encodeMessage('not a type', {}), /"not a type" is not a ROS message type name/);
  });

  it('names the type and byte count when bytes are too short', () => {
    const bytes = encodeMessage('sensor_msgs/msg/CameraInfo', SAMPLE_MESSAGES.find((s) => s.type === 'sensor_msgs/msg/CameraInfo')!.msg);
    assert.throws(
      () => decodeMessage('sensor_msgs/msg/CameraInfo', bytes.subarray(0, 40)),
      /cannot decode 40 bytes as sensor_msgs\/msg\/CameraInfo/,
    );
  });

  describe('ros2msgSchema', () => {
    it('follows rosbag2: root text, then each dependency once after an 80-"=" line and "MSG: pkg/Name"', () => {
      const schema = ros2msgSchema('geometry_msgs/msg/TransformStamped');
      const headers = [...schema.matchAll(/^={80}\nMSG: (\S+)$/gm)].map((m) => m[1]);
      // Depth first, sorted per level, each once: Header -> Time, then Transform -> Quaternion, Vector3.
      // rosbag2 (LocalMessageDefinitionSource) sorts each type's dependencies and recurses depth first.
      assert.deepStrictEqual(headers, [
        'geometry_msgs/Transform',
        'geometry_msgs/Quaternion',
        'geometry_msgs/Vector3',
        'std_msgs/Header',
        'builtin_interfaces/Time',
      ]);
      assert.ok(schema.startsWith('std_msgs/Header header\nstring child_frame_id\ngeometry_msgs/Transform transform\n'));
    });

    it('is complete: a reader built from the schema text alone decodes every sample', () => {
      for (const { type, msg } of SAMPLE_MESSAGES) {
        const reader = new MessageReader(parse(ros2msgSchema(type), { ros2: true }));
        assert.deepStrictEqual(reader.readMessage(encodeMessage(type, msg)), msg, type);
      }
    });

    it('embeds the package .msg files verbatim', () => {
      const text = fs.readFileSync(path.join(MSG_DIR, 'TrackedObject.msg'), 'utf8');
      assert.ok(ros2msgSchema('dx_perception/msg/TrackedObject').startsWith(text));
      assert.ok(ros2msgSchema('dx_perception/msg/TrackedObjectArray').includes(`MSG: dx_perception/TrackedObject\n${text}`));
    });
  });

  describe('registerSchema', () => {
    it('makes a type from a bag schema decodable, dependencies included', () => {
      const schema = `int32 level\nWidget[] parts\n${'='.repeat(80)}\nMSG: test_bag_msgs/Widget\nstring name\nfloat64[3] xyz\n`;
      registerSchema('test_bag_msgs/msg/Assembly', schema);
      const value = { level: -3, parts: [{ name: 'a', xyz: Float64Array.of(1, 2, 3) }] };
      assert.deepStrictEqual(decodeMessage('test_bag_msgs/msg/Assembly', encodeMessage('test_bag_msgs/msg/Assembly', value)), value);
    });

    it('keeps built-in definitions over a bag schema of the same name', () => {
      registerSchema('std_msgs/msg/String', 'uint8 level\n');
      assert.deepStrictEqual(decodeMessage('std_msgs/msg/String', encodeMessage('std_msgs/msg/String', { data: 'kept' })), {
        data: 'kept',
      });
    });

    it('rejects a schema that does not parse, naming the type', () => {
      assert.throws(() => registerSchema('test_bag_msgs/msg/Broken', 'int32[ x\n'), /test_bag_msgs\/msg\/Broken/);
      assert.throws(
        () => registerSchema('test_bag_msgs/msg/Idl', `${'='.repeat(80)}\nIDL: test_bag_msgs/msg/Idl\nmodule x {};\n`),
        /only ros2msg/,
      );
    });
  });

  describe('src/msgs/types.ts matches msg/*.msg', () => {
    for (const file of fs.readdirSync(MSG_DIR).filter((f) => f.endsWith('.msg'))) {
      const name = path.basename(file, '.msg');
      it(name, () => {
        const sample = PACKAGE_SAMPLES[name];
        assert.ok(sample, `no typed sample of ${name} in test/fixtures/sample_messages.ts`);
        const [definition] = parse(fs.readFileSync(path.join(MSG_DIR, file), 'utf8'), { ros2: true, skipTypeFixup: true });
        const fields = definition!.definitions.filter((f) => f.isConstant !== true).map((f) => f.name);
        // The sample is an object literal typed with the interface, so its keys are the interface's fields.
        assert.deepStrictEqual(Object.keys(sample), fields);
      });
    }
  });
});
