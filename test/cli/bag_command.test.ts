import { strict as assert } from 'assert';
import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { formatBagSize, registerBagCommand } from '../../src/cli/bag_command';
import { main } from '../../src/cli/main';
import { FIXTURES, fixtureMetadata } from '../io/bag_test_support';
import { requireData } from '../support/data_dir';

/** Runs `bag info <bag>` in-process and returns the printed lines. */
async function bagInfo(bag: string): Promise<string[]> {
  const lines: string[] = [];
  const program = new Command('dx-perception').exitOverride();
  registerBagCommand(program, (line) => lines.push(line));
  await program.parseAsync(['bag', 'info', bag], { from: 'user' });
  return lines;
}

/** `sec.nnnnnnnnn` from integer nanoseconds, written independently of the CLI's formatter. */
function seconds(ns: bigint): string {
  const s = ns.toString().padStart(10, '0');
  return `${s.slice(0, -9)}.${s.slice(-9)}`;
}

describe('cli/bag info', () => {
  for (const bag of ['talker_mcap', 'talker_db3']) {
    it(`prints what ros2 bag info prints for ${bag}`, async function () {
      requireData(this, `data/rosbag2_format_fixtures/${bag}`);
      const meta = fixtureMetadata(bag);
      const lines = await bagInfo(path.join(FIXTURES, bag));
      const start = BigInt(meta.starting_time.nanoseconds_since_epoch);
      const duration = BigInt(meta.duration.nanoseconds);
      const field = (label: string): string => {
        const line = lines.find((l) => l.startsWith(`${label}:`));
        assert.ok(line, `no "${label}:" line in\n${lines.join('\n')}`);
        assert.ok(line[18] === ' ' && line[19] !== ' ', `value of "${label}" does not start in column 20: ${JSON.stringify(line)}`);
        return line.slice(19);
      };
      assert.equal(lines[0], '', 'ros2 bag info starts with an empty line');
      assert.equal(field('Files'), meta.relative_file_paths[0]);
      assert.equal(field('Storage id'), meta.storage_identifier);
      assert.equal(field('ROS Distro'), 'unknown'); // metadata version 4 records none
      assert.equal(field('Duration'), `${seconds(duration)}s`);
      assert.match(
        field('Start'),
        new RegExp(`^Apr  [1-3] 2020 \\d\\d:\\d\\d:\\d\\d\\.${seconds(start).split('.')[1]} \\(${seconds(start).replace('.', '\\.')}\\)$`),
      );
      assert.match(field('End'), new RegExp(`\\(${seconds(start + duration).replace('.', '\\.')}\\)$`));
      assert.equal(field('Messages'), String(meta.message_count));
      const bytes = fs.readdirSync(path.join(FIXTURES, bag)).reduce((n, f) => n + fs.statSync(path.join(FIXTURES, bag, f)).size, 0);
      assert.equal(field('Bag size'), `${(bytes / 1024).toFixed(1)} KiB`);
      const topicLines = lines.slice(lines.findIndex((l) => l.startsWith('Topic information:'))).map((l) => l.slice(19));
      assert.deepStrictEqual(
        topicLines,
        meta.topics_with_message_count.map(
          (t) =>
            `Topic: ${t.topic_metadata.name} | Type: ${t.topic_metadata.type} | Count: ${t.message_count} | Serialization Format: ${t.topic_metadata.serialization_format}`,
        ),
      );
    });
  }

  it('formats sizes as ros2 bag info does', () => {
    assert.equal(formatBagSize(0), '0 B');
    assert.equal(formatBagSize(1023), '1023 B');
    assert.equal(formatBagSize(1536), '1.5 KiB');
    assert.equal(formatBagSize(5 * 1024 ** 3), '5.0 GiB');
  });

  it('prints one error line to stderr and returns 1 for a missing bag', async () => {
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['bag', 'info', '/nonexistent/bag']);
    } finally {
      process.stderr.write = original;
    }
    assert.equal(code, 1);
    assert.deepStrictEqual(written, ['dx-perception: bag /nonexistent/bag does not exist\n']);
  });
});
