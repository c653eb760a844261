// Helpers shared by the bag tests: temp directories and the shared rosbag2 fixtures.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import type { BagMessage, BagReader } from '../../src/io/bag_reader';
import { dataPath } from '../support/data_dir';

/** The rosbag2 fixtures of the data directory (README "Data"). */
export const FIXTURES = dataPath('data/rosbag2_format_fixtures');

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dx-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every message of a bag read, in order. */
export async function readAll(reader: BagReader, opts?: Parameters<BagReader['messages']>[0]): Promise<BagMessage[]> {
  const out: BagMessage[] = [];
  for await (const m of reader.messages(opts)) out.push(m);
  return out;
}

/** A fixture's metadata.yaml as plain data (the independent reference for counts and times). */
export interface FixtureMetadata {
  storage_identifier: string;
  relative_file_paths: string[];
  duration: { nanoseconds: number | bigint };
  starting_time: { nanoseconds_since_epoch: number | bigint };
  message_count: number;
  topics_with_message_count: { message_count: number; topic_metadata: { name: string; type: string; serialization_format: string } }[];
}

export function fixtureMetadata(bag: string): FixtureMetadata {
  const text = fs.readFileSync(path.join(FIXTURES, bag, 'metadata.yaml'), 'utf8');
  // intAsBigInt: epoch nanoseconds exceed 2^53.
  return (parseYaml(text, { intAsBigInt: true }) as { rosbag2_bagfile_information: FixtureMetadata }).rosbag2_bagfile_information;
}
