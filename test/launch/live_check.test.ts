// scripts/live_check.sh needs ROS 2 to run; here: it parses, it drives the node the way the
// issue's live check asks (use_sim_time, camera subset, bag play --clock, recorded rates), and
// its parsing of `ros2 bag info` and its rate verdict are right on Jazzy's output format.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '../../scripts/live_check.sh');

/** Runs `fn args...` of the script's helpers in bash. */
function helper(fn: string, ...args: string[]): string {
  const call = `LIVE_CHECK_LIB=1 . "$0"; ${fn} "$@"`;
  return execFileSync('bash', ['-c', call, SCRIPT, ...args], { encoding: 'utf8' }).trim();
}

const BAG_INFO = `
Files:             out_0.mcap
Bag size:          2.1 MiB
Storage id:        mcap
ROS Distro:        jazzy
Duration:          9.966666666s
Start:             Dec  7 2026 16:00:00.000000000 (1796659200.000000000)
End:               Dec  7 2026 16:00:09.966666666 (1796659209.966666666)
Messages:          750
Topic information: Topic: /perception/scan | Type: sensor_msgs/msg/LaserScan | Count: 290 | Serialization Format: cdr
                   Topic: /perception/scan_extra | Type: sensor_msgs/msg/LaserScan | Count: 7 | Serialization Format: cdr
                   Topic: /perception/status | Type: dx_perception/msg/PipelineStatus | Count: 299 | Serialization Format: cdr
Service:           0
Service information: 
`;

describe('scripts/live_check.sh', () => {
  it('is an executable bash script that parses', () => {
    assert.ok((statSync(SCRIPT).mode & 0o111) !== 0, 'not executable');
    execFileSync('bash', ['-n', SCRIPT]);
  });

  it('launches with use_sim_time:=true and a camera subset, plays with --clock and records the outputs', () => {
    const text = readFileSync(SCRIPT, 'utf8');
    for (const piece of [
      'ros2 launch dx_perception perception.launch.py use_sim_time:=true "cameras:=$CAMERAS"',
      'ros2 bag play "$BAG" --clock',
      'ros2 bag record',
      'ros2 param get "$NODE" use_sim_time',
      'kill -INT',
    ]) {
      assert.ok(text.includes(piece), `the script lacks: ${piece}`);
    }
  });

  it('reads message counts and the duration from ros2 bag info', () => {
    assert.equal(helper('topic_count', BAG_INFO, '/perception/scan'), '290');
    assert.equal(helper('topic_count', BAG_INFO, '/perception/status'), '299');
    assert.equal(helper('topic_count', BAG_INFO, '/perception/obstacles'), '0');
    assert.equal(helper('bag_duration_s', BAG_INFO), '9.966666666');
  });

  it('passes a rate within the tolerance and fails one below it', () => {
    assert.equal(helper('rate_verdict', '24.5', '30', '0.2'), 'PASS');
    assert.equal(helper('rate_verdict', '23.9', '30', '0.2'), 'FAIL');
  });
});
