// The ROS package's files parse and agree with the configuration schema and the default rig:
// launch files (Python syntax, arguments, referenced files), params/default.yaml (every key in
// the schema, read both as YAML and as rcl types it), URDF/SDF/package.xml/CycloneDDS XML
// (well-formed, by Python's XML parser), camera intrinsics of the robot model, the
// ros_gz_bridge topics and the RViz topics.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isMap, isScalar, isSeq, parse as parseYaml, parseDocument, type Node as YamlNode } from 'yaml';
import { flatten, loadConfigFile } from '../../src/config/config';
import { resolveOutputTopic } from '../../src/core/result';
import { cameraTopics } from '../../src/ros/input_topics';
import { configFromParameters, type NamedParameter } from '../../src/ros/parameters';
import { parameterSpecs } from '../../src/ros/parameter_specs';
import { defaultRig, cameraFrames } from '../../src/sim/rig';
import { SGM_SIMD_WASM_PATH } from '../../src/depth/sgm_simd';

const ROOT = join(__dirname, '../..');
const PARAMS = join(ROOT, 'params/default.yaml');

interface Facts {
  launch: Record<string, { arguments: string[]; paths: string[] }>;
  urdf: {
    links: string[];
    joints: Record<string, { parent: string; child: string; xyz: number[]; rpy: number[] }>;
    sensors: {
      name: string;
      type: string;
      link: string;
      topic: string;
      frame_id: string;
      camera_info_topic: string;
      horizontal_fov: number;
      width: number;
      height: number;
    }[];
  };
  sdf: { version: string; models: string[]; textures: string[]; plugins: string[] };
  package: { format: string; name: string; deps: Record<string, string[]>; groups: string[]; build_type: string };
  cyclonedds: { root: string; socket_receive_buffer_min: string | null };
}

let facts: Facts;

/** A params-file value as rcl's YAML parser types it: integer literals are integers (bigint). */
function rclValue(node: YamlNode): unknown {
  if (isSeq(node)) return node.items.map((n) => rclValue(n as YamlNode));
  if (isScalar(node)) {
    const source = (node as { source?: string }).source ?? String(node.value);
    if (typeof node.value === 'number' && /^[-+]?\d+$/.test(source)) return BigInt(source);
    return node.value;
  }
  throw new Error(`unexpected YAML node ${String(node)}`);
}

function rclParameters(path: string): NamedParameter[] {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const out: NamedParameter[] = [];
  const walk = (node: YamlNode, prefix: string): void => {
    if (isMap(node)) {
      for (const pair of node.items)
        walk(
          pair.value as YamlNode,
          prefix ? `${prefix}.${String((pair.key as { value: unknown }).value)}` : String((pair.key as { value: unknown }).value),
        );
    } else out.push({ name: prefix, value: rclValue(node) });
  };
  const params = (doc.contents as YamlNode & { get(k: string, keep: boolean): YamlNode }).get('/**', true) as YamlNode & {
    get(k: string, keep: boolean): YamlNode;
  };
  walk(params.get('ros__parameters', true), '');
  return out;
}

function mebibytes(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|kB|MiB|MB|GiB|GB)$/.exec(size);
  assert.ok(m, `size "${size}" is not a CycloneDDS size`);
  const unit: Record<string, number> = { B: 1, KiB: 1024, kB: 1000, MiB: 1024 ** 2, MB: 1e6, GiB: 1024 ** 3, GB: 1e9 };
  return (Number(m[1]) * unit[m[2]!]!) / 1024 ** 2;
}

describe('launch/: ROS package files', () => {
  before(function () {
    const run = spawnSync('python3', [join(__dirname, 'package_facts.py'), ROOT], { encoding: 'utf8' });
    if (run.error) throw new Error(`python3 is needed to parse the launch files and XML: ${run.error.message}`);
    assert.equal(run.status, 0, `parsing the package files failed:\n${run.stderr}`);
    facts = JSON.parse(run.stdout) as Facts;
  });

  it('launch files are valid Python with the documented arguments and existing package files', () => {
    assert.deepEqual(Object.keys(facts.launch).sort(), ['gazebo_demo.launch.py', 'perception.launch.py']);
    const perception = facts.launch['perception.launch.py']!;
    for (const arg of ['params_file', 'cameras', 'use_sim_time', 'namespace']) assert.ok(perception.arguments.includes(arg), arg);
    assert.ok(perception.paths.includes('config/cyclonedds.xml'));
    for (const [file, { paths }] of Object.entries(facts.launch)) {
      for (const p of paths) assert.ok(existsSync(join(ROOT, p)), `${file} refers to ${p}, which does not exist`);
    }
  });

  it('params/default.yaml has only schema keys and sets every leaf ROS can carry', () => {
    const config = loadConfigFile(PARAMS); // throws on an unknown key or a bad value
    const params = rclParameters(PARAMS);
    const names = new Set(params.map((p) => p.name));
    const settable = parameterSpecs().filter((s) => s.encoding === 'value' && !s.name.includes('*'));
    const missing = settable.filter((s) => !names.has(s.name)).map((s) => s.name);
    assert.deepEqual(missing, [], 'leaves missing from params/default.yaml');
    // The values the node gets (rcl-typed overrides) give the same configuration as the CLI's reading.
    assert.deepEqual(configFromParameters(params, PARAMS), config);
    assert.deepEqual(
      flatten(config as unknown as Record<string, unknown>).cameras,
      defaultRig().map((c) => c.name),
    );
  });

  it('package.xml is format 3 with the interface generators and the message packages used', () => {
    const pkg = facts.package;
    assert.equal(pkg.format, '3');
    assert.equal(pkg.name, 'dx_perception');
    assert.equal(pkg.build_type, 'ament_cmake');
    assert.deepEqual(pkg.deps.buildtool_depend, ['ament_cmake', 'rosidl_default_generators']);
    assert.ok(pkg.groups.includes('rosidl_interface_packages'));
    const exec = pkg.deps.exec_depend!;
    for (const dep of [
      'rosidl_default_runtime',
      'std_msgs',
      'sensor_msgs',
      'geometry_msgs',
      'vision_msgs',
      'visualization_msgs',
      'diagnostic_msgs',
      'stereo_msgs',
      'tf2_msgs',
      'rosgraph_msgs',
      'builtin_interfaces',
      'ros_gz_sim',
      'ros_gz_bridge',
      'robot_state_publisher',
      'rviz2',
      'nodejs',
    ]) {
      assert.ok(exec.includes(dep), `exec_depend ${dep} missing`);
    }
    const cmake = readFileSync(join(ROOT, 'CMakeLists.txt'), 'utf8');
    assert.match(cmake, /rosidl_generate_interfaces\(\$\{PROJECT_NAME\}[\s\S]*DEPENDENCIES std_msgs geometry_msgs/);
    assert.match(cmake, /install\(PROGRAMS scripts\/dx_perception_node DESTINATION lib\/\$\{PROJECT_NAME\}\)/);
    assert.match(cmake, /install\(DIRECTORY launch params config description DESTINATION share\/\$\{PROJECT_NAME\}\)/);
    // The compiled code reads models/, profiles/ and scenes/ two levels above itself
    // (dist/<module>/), as in the source tree; without them the installed node fails at start
    // (seen on Jazzy; models/ holds the default side-camera depth model).
    assert.match(cmake, /install\(DIRECTORY models profiles scenes DESTINATION \$\{DX_JS_DIR\}\)/);
    assert.match(cmake, /install\(DIRECTORY \$\{CMAKE_CURRENT_SOURCE_DIR\}\/dist\/ DESTINATION \$\{DX_JS_DIR\}\/dist\)/);
    // The SGM kernels' binary sits where the compiled matcher looks for it, relative to the package.
    const wasm = relative(ROOT, SGM_SIMD_WASM_PATH);
    assert.ok(
      cmake.includes(`install(FILES ${wasm} DESTINATION \${DX_JS_DIR}/${dirname(wasm)})`),
      `CMakeLists.txt does not install ${wasm} to \${DX_JS_DIR}/${dirname(wasm)}`,
    );
  });

  it('the robot carries the default rig: same cameras, poses, 640x480 and fx = 460', () => {
    const rig = defaultRig();
    const config = loadConfigFile(PARAMS);
    assert.deepEqual(
      facts.urdf.sensors.map((s) => s.name),
      config.cameras,
    );
    for (const cam of rig) {
      const sensor = facts.urdf.sensors.find((s) => s.name === cam.name)!;
      const { link, optical } = cameraFrames(cam);
      assert.equal(sensor.type, 'camera');
      assert.equal(sensor.link, link);
      assert.equal(sensor.frame_id, optical);
      assert.deepEqual([sensor.width, sensor.height], [cam.width, cam.height]);
      // Gazebo's pinhole: fx = (width / 2) / tan(hfov / 2).
      const fx = sensor.width / 2 / Math.tan(sensor.horizontal_fov / 2);
      assert.ok(Math.abs(fx - cam.fx) < 0.5, `${cam.name}: fx = ${fx}, expected ${cam.fx}`);
      const joint = facts.urdf.joints[`${cam.name}_joint`]!;
      assert.equal(joint.parent, 'base_link');
      assert.equal(joint.child, link);
      joint.xyz.forEach((v, i) => assert.ok(Math.abs(v - cam.position[i]!) < 1e-9, `${cam.name} xyz`));
      assert.ok(Math.abs(joint.rpy[2]! - (cam.rpy_deg[2] * Math.PI) / 180) < 1e-9, `${cam.name} yaw`);
      const opticalJoint = facts.urdf.joints[`${cam.name}_optical_joint`]!;
      assert.equal(opticalJoint.child, optical);
      opticalJoint.rpy.forEach((v, i) => assert.ok(Math.abs(v - [-Math.PI / 2, 0, -Math.PI / 2][i]!) < 1e-9, `${cam.name} optical rpy`));
    }
  });

  it('Gazebo camera topics, the bridge and the node subscriptions line up', () => {
    const bridge = parseYaml(readFileSync(join(ROOT, 'config/gz_bridge.yaml'), 'utf8')) as {
      ros_topic_name: string;
      gz_topic_name: string;
      ros_type_name: string;
      direction: string;
    }[];
    const rosTopic = new Map(bridge.map((b) => [b.ros_topic_name, b]));
    assert.equal(rosTopic.get('/clock')?.ros_type_name, 'rosgraph_msgs/msg/Clock');
    for (const t of cameraTopics(loadConfigFile(PARAMS))) {
      const sensor = facts.urdf.sensors.find((s) => s.name === t.camera)!;
      for (const [topic, gzTopic, type] of [
        [t.image.topic, sensor.topic, t.image.type],
        [t.cameraInfo.topic, sensor.camera_info_topic, t.cameraInfo.type],
      ] as const) {
        const entry = rosTopic.get(`/${topic}`);
        assert.ok(entry, `the bridge does not publish /${topic}`);
        assert.equal(entry.gz_topic_name, `/${gzTopic}`);
        assert.equal(entry.ros_type_name, type);
        assert.equal(entry.direction, 'GZ_TO_ROS');
      }
    }
  });

  it('the world is SDF with the sensor system and textures that exist', () => {
    assert.ok(facts.sdf.plugins.includes('gz-sim-sensors-system'));
    assert.ok(facts.sdf.models.includes('ground'));
    assert.ok(facts.sdf.textures.length >= 3);
    for (const tex of facts.sdf.textures) assert.ok(existsSync(join(ROOT, 'description', tex)), `texture ${tex} missing`);
  });

  it('the CycloneDDS config raises the socket receive buffer to at least 4 MiB', () => {
    assert.equal(facts.cyclonedds.root, '{https://cdds.io/config}CycloneDDS');
    assert.ok(facts.cyclonedds.socket_receive_buffer_min);
    assert.ok(mebibytes(facts.cyclonedds.socket_receive_buffer_min) >= 4);
  });

  it('RViz shows the node outputs on their default topics', () => {
    const rviz = parseYaml(readFileSync(join(ROOT, 'config/dx_perception.rviz'), 'utf8')) as {
      'Visualization Manager': { Displays: { Class: string; Topic?: { Value: string } }[] };
    };
    const topicOf = (cls: string): string[] =>
      rviz['Visualization Manager'].Displays.filter((d) => d.Class === `rviz_default_plugins/${cls}`).map((d) => d.Topic!.Value);
    const { topics } = loadConfigFile(PARAMS);
    const out = (t: string): string => resolveOutputTopic(topics.output_namespace, t);
    assert.deepEqual(topicOf('MarkerArray'), [out(topics.markers)]);
    assert.deepEqual(topicOf('PointCloud2'), [out(topics.obstacles)]);
    assert.deepEqual(topicOf('LaserScan'), [out(topics.scan)]);
    assert.ok(topicOf('Image').includes(out('front_left/depth')));
  });
});
