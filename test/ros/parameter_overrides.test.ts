// Every way a ROS user passes parameters reaches the node: parameter_overrides.ts resolves the
// --ros-args as rcl/rclcpp do, compared with what rclnodejs 2.2 itself applies (its
// lib/node.js _getNativeParameterOverrides, mirrored below and checked against its source).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/config';
import {
  RosArgsError,
  overrideSections,
  resolveOverrides,
  sectionSpecificity,
  sectionsOfFile,
  type OverrideSection,
} from '../../src/ros/parameter_overrides';
import { configFromParameters } from '../../src/ros/parameters';

const NODE = 'dx_perception_node';
const FQN = `/${NODE}`;
const NS_FQN = `/robot1/${NODE}`;

/** rclnodejs 2.2: the `/**` section, then the one named exactly like the node (its bare name). */
function rclnodejsApplies(sections: readonly OverrideSection[], name: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const node of ['/**', name]) for (const s of sections) if (s.node === node) for (const p of s.parameters) out.set(p.name, p.value);
  return out;
}

function resolve(argv: string[], files: Record<string, string>, fqn = FQN): Map<string, unknown> {
  const read = (path: string): string => {
    const text = files[path];
    if (text === undefined) throw new Error('ENOENT');
    return text;
  };
  return new Map(resolveOverrides(overrideSections(argv, read), fqn).map((p) => [p.name, p.value]));
}

function sections(argv: string[], files: Record<string, string>): OverrideSection[] {
  return overrideSections(argv, (p) => files[p]!);
}

const DEFAULTS = `/**:\n  ros__parameters:\n    cameras: [front_left, front_right, left, right]\n    sync:\n      queue_size: 10\n`;
/**
 * What launch_ros writes for `parameters=[..., {dict}]` of a node with a name (launch_ros
 * Node._create_params_file_from_dict; copied from a live /tmp/launch_params_* file): a list is a
 * tuple there, so yaml.dump tags it `!!python/tuple`.
 */
const launchDict = (fqn: string): string =>
  `${fqn}:\n  ros__parameters:\n    cameras: !!python/tuple\n    - front_left\n    - front_right\n    use_sim_time: true\n`;
/** The command line launch_ros gives perception.launch.py's node. */
const launchArgv = (ns?: string): string[] => [
  'node',
  'main.js',
  '--ros-args',
  '-r',
  `__node:=${NODE}`,
  ...(ns ? ['-r', `__ns:=${ns}`] : []),
  '--params-file',
  '/share/default.yaml',
  '--params-file',
  '/tmp/launch_params_x',
];

describe('ros/parameter_overrides: the --ros-args that apply to the node', () => {
  it('mirrors rclnodejs 2.2: it reads only the /** section and the one named exactly like the node', () => {
    const src = readFileSync(join(__dirname, '../../node_modules/rclnodejs/lib/node.js'), 'utf8');
    const start = src.indexOf('_getNativeParameterOverrides() {');
    const body = src.slice(start, src.indexOf('return overrides;', start));
    assert.deepEqual(body.match(/cliParamOverrides\.get\((?:'[^']*'|this\.name\(\))\)/g), [
      "cliParamOverrides.get('/**')",
      'cliParamOverrides.get(this.name())',
    ]);
  });

  it("reads launch_ros's !!python/tuple lists as lists, without the yaml package's unresolved-tag warning", () => {
    const warnings: string[] = [];
    const emit = process.emitWarning;
    process.emitWarning = ((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning;
    try {
      const [section] = sectionsOfFile(launchDict(FQN), 'file /tmp/launch_params_x');
      assert.deepEqual(section?.parameters, [
        { name: 'cameras', value: ['front_left', 'front_right'] },
        { name: 'use_sim_time', value: true },
      ]);
    } finally {
      process.emitWarning = emit;
    }
    assert.deepEqual(warnings, []);
  });

  for (const ns of [undefined, '/robot1']) {
    const fqn = ns ? NS_FQN : FQN;
    it(`applies the launch file's parameter dict (written under ${fqn}), which rclnodejs ignores`, () => {
      const argv = launchArgv(ns);
      const files = { '/share/default.yaml': DEFAULTS, '/tmp/launch_params_x': launchDict(fqn) };
      const resolved = resolve(argv, files, fqn);
      assert.deepEqual(resolved.get('cameras'), ['front_left', 'front_right']);
      assert.equal(resolved.get('use_sim_time'), true);
      assert.equal(resolved.get('sync.queue_size'), 10);
      // The defect this fixes: rclnodejs keeps the file's four cameras and wall time.
      const theirs = rclnodejsApplies(sections(argv, files), NODE);
      assert.deepEqual(theirs.get('cameras'), ['front_left', 'front_right', 'left', 'right']);
      assert.equal(theirs.has('use_sim_time'), false);
    });
  }

  const forms: Array<[string, string, string, boolean]> = [
    // [section as written, node fqn, description, applies]
    ['/**', FQN, 'global', true],
    [NODE, FQN, 'bare node name', true],
    [`/${NODE}`, FQN, 'fully qualified', true],
    [`/robot1/${NODE}`, NS_FQN, 'namespaced, fully qualified', true],
    [`robot1/${NODE}`, NS_FQN, 'namespaced, relative', true],
    [`/**/${NODE}`, FQN, '** wildcard, no namespace', true],
    [`/**/${NODE}`, NS_FQN, '** wildcard, namespaced', true],
    [`/*/${NODE}`, NS_FQN, '* wildcard, one namespace token', true],
    [`/*/${NODE}`, FQN, '* wildcard needs exactly one token', false],
    [`/robot1/*`, NS_FQN, '* wildcard for the name', true],
    [`/robot2/${NODE}`, NS_FQN, 'another namespace', false],
    ['other_node', FQN, 'another node', false],
    [`/${NODE}_2`, FQN, 'a longer name', false],
  ];
  for (const [section, fqn, what, applies] of forms) {
    it(`params file section "${section}" for ${fqn} (${what}): ${applies ? 'applies' : 'does not apply'}`, () => {
      const files = { '/p.yaml': `${section}:\n  ros__parameters:\n    sync:\n      queue_size: 7\n` };
      assert.equal(resolve(['--ros-args', '--params-file', '/p.yaml'], files, fqn).get('sync.queue_size'), applies ? 7 : undefined);
      assert.equal(sectionSpecificity(section, fqn) !== undefined, applies);
    });
  }

  it('reads nested namespaces, nested parameter maps and dotted names alike', () => {
    const nested = `robot1:\n  ${NODE}:\n    ros__parameters:\n      depth:\n        num_disparities: 96\n      sync.queue_size: 6\n`;
    const resolved = resolve(['--ros-args', '--params-file', '/n.yaml'], { '/n.yaml': nested }, NS_FQN);
    assert.deepEqual(Object.fromEntries(resolved), { 'depth.num_disparities': 96, 'sync.queue_size': 6 });
  });

  it('applies only the matching sections of a file that also configures other nodes', () => {
    const file = `/**:\n  ros__parameters:\n    use_sim_time: true\nrobot_state_publisher:\n  ros__parameters:\n    robot_description: "<robot/>"\n    cameras: [x]\n`;
    const resolved = resolve(['--ros-args', '--params-file', '/f.yaml'], { '/f.yaml': file });
    assert.deepEqual(Object.fromEntries(resolved), { use_sim_time: true });
  });

  it('takes -p, global or for this node, as YAML values in command-line order', () => {
    const argv = [
      '--ros-args',
      '-p',
      'cameras:=[front_left, left]',
      '-p',
      `${NODE}:sync.queue_size:=8`,
      '-p',
      'other:sync.queue_size:=3',
      '-p',
      'use_sim_time:=true',
      '-p',
      'depth.stereo_pairs:="[[front_left, left]]"',
      '--param',
      'scheduler.rate_hz:=15.5',
    ];
    assert.deepEqual(Object.fromEntries(resolve(argv, {})), {
      cameras: ['front_left', 'left'],
      'sync.queue_size': 8,
      use_sim_time: true,
      'depth.stereo_pairs': '[[front_left, left]]',
      'scheduler.rate_hz': 15.5,
    });
  });

  it("uses rcl precedence: global, then wildcard, then the node's own section; later wins within a kind", () => {
    const files = {
      '/own.yaml': `${FQN}:\n  ros__parameters:\n    sync:\n      queue_size: 3\n`,
      '/wild.yaml': `/**/${NODE}:\n  ros__parameters:\n    sync:\n      queue_size: 4\n      age_penalty: 0.5\n`,
      '/global.yaml': `/**:\n  ros__parameters:\n    sync:\n      queue_size: 5\n      age_penalty: 0.7\n      max_interval_ms: 20\n`,
    };
    const argv = [
      '--ros-args',
      '--params-file',
      '/own.yaml',
      '--params-file',
      '/wild.yaml',
      '--params-file',
      '/global.yaml',
      '-p',
      'sync.max_interval_ms:=25',
    ];
    assert.deepEqual(Object.fromEntries(resolve(argv, files)), {
      'sync.queue_size': 3,
      'sync.age_penalty': 0.5,
      'sync.max_interval_ms': 25,
    });
  });

  it('ignores arguments outside --ros-args and the values of other rcl flags', () => {
    const argv = ['--lifecycle', '-p', 'cameras:=[x]', '--ros-args', '--log-level', 'debug', '-r', '__ns:=/a', '--', '-p', 'cameras:=[y]'];
    assert.deepEqual(resolve(argv, {}).size, 0);
  });

  it('names the argument when one is wrong', () => {
    assert.throws(
      () => resolve(['--ros-args', '--params-file', '/missing.yaml'], {}),
      (e: Error) => e instanceof RosArgsError && /--params-file \/missing\.yaml: cannot read it/.test(e.message),
    );
    assert.throws(() => resolve(['--ros-args', '-p', 'cameras'], {}), /-p cameras: expected \[node:\]name:=value/);
    assert.throws(() => resolve(['--ros-args', '--params-file'], {}), /--params-file needs a value/);
    assert.throws(
      () => resolve(['--ros-args', '--params-file', '/b.yaml'], { '/b.yaml': 'ros__parameters:\n  a: 1\n' }),
      /\/b\.yaml: ros__parameters must be under a node name/,
    );
  });

  it('gives the configuration the launch file asked for', () => {
    const files = {
      '/share/default.yaml': readFileSync(join(__dirname, '../../params/default.yaml'), 'utf8'),
      '/tmp/launch_params_x': launchDict(FQN),
    };
    const config = configFromParameters(
      resolveOverrides(
        overrideSections(launchArgv(), (p) => files[p as keyof typeof files]),
        FQN,
      ),
      'test',
    );
    assert.deepEqual(config.cameras, ['front_left', 'front_right']);
    assert.equal(config.topics.output_namespace, parseConfig({}).topics.output_namespace, 'the rest comes from params/default.yaml');
  });
});
