// The README's "Your own bag" robot, made from a scene bag: topic names a real driver would use
// (a stereo pair under /stereo/{left,right} as compressed rectified images, side cameras under
// /side_cam_l and /side_cam_r), no ground truth. Written as rosbag2 MCAP with the project's
// McapBagWriter, or as a ROS 2 Humble sqlite3 bag (schema 3, metadata.yaml version 5), optionally
// without /tf_static (a robot whose extrinsics live in a `rig` file).
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { decodeImage, encodeCompressed } from '../../src/io/image_codec';
import { openBag, type BagMessage } from '../../src/io/bag_reader';
import { McapBagWriter } from '../../src/io/bag_writer';
import { encodeMessage } from '../../src/msgs/codec';
import type { Image } from '../../src/msgs/types';

/** Scene-bag topic prefix -> the robot's own. */
const RENAMES: Record<string, string> = {
  '/front_left/image_raw': '/stereo/left/image_rect_color/compressed',
  '/front_left/camera_info': '/stereo/left/camera_info',
  '/front_right/image_raw': '/stereo/right/image_rect_color/compressed',
  '/front_right/camera_info': '/stereo/right/camera_info',
  '/left/image_raw': '/side_cam_l/image_raw',
  '/left/camera_info': '/side_cam_l/camera_info',
  '/right/image_raw': '/side_cam_r/image_raw',
  '/right/camera_info': '/side_cam_r/camera_info',
};

interface OwnMessage {
  topic: string;
  type: string;
  logTime: bigint;
  data: Uint8Array;
}

/** The robot's messages, in log order: renamed topics, stereo images JPEG-compressed. */
async function* ownMessages(sceneBag: string, withTfStatic: boolean): AsyncGenerator<OwnMessage> {
  const reader = await openBag(sceneBag);
  try {
    for await (const m of reader.messages()) {
      const keep = (m.topic === '/tf_static' && withTfStatic) || m.topic === '/tf' || m.topic === '/clock';
      const topic = RENAMES[m.topic] ?? (keep ? m.topic : undefined);
      if (!topic) continue;
      yield topic.endsWith('/compressed') ? compressed(m, topic) : { topic, type: m.type, logTime: m.logTime, data: m.data };
    }
  } finally {
    await reader.close();
  }
}

function compressed(m: BagMessage, topic: string): OwnMessage {
  const img = m.decode<Image>();
  const type = 'sensor_msgs/msg/CompressedImage';
  return { topic, type, logTime: m.logTime, data: encodeMessage(type, encodeCompressed(decodeImage(img), img.header, 'jpeg', 92)) };
}

/** The robot's bag as rosbag2 MCAP in `dir` (with /tf_static). */
export async function ownMcapBag(sceneBag: string, dir: string): Promise<string> {
  const writer = await McapBagWriter.create(dir, { rosDistro: 'humble' });
  try {
    for await (const m of ownMessages(sceneBag, true)) await writer.writeSerialized(m.topic, m.type, m.logTime, m.data);
  } finally {
    await writer.close();
  }
  return dir;
}

/** Humble's offered_qos_profiles text: policies as rmw enum numbers, durations unset. */
const HUMBLE_QOS =
  '- history: 1\n  depth: 10\n  reliability: 1\n  durability: 2\n  deadline:\n    sec: 0\n    nsec: 0\n  lifespan:\n    sec: 0\n    nsec: 0\n  liveliness: 1\n  liveliness_lease_duration:\n    sec: 0\n    nsec: 0\n  avoid_ros_namespace_conventions: false';

/**
 * The robot's bag as `ros2 bag record` on Humble writes it: `dir/metadata.yaml` (version 5) and
 * `dir/<name>_0.db3` (sqlite3 schema 3). Without /tf_static unless asked.
 */
export async function ownHumbleDb3Bag(sceneBag: string, dir: string, withTfStatic = false): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = `${basename(dir)}_0.db3`;
  const db = new Database(join(dir, file));
  db.exec(`CREATE TABLE schema(schema_version INTEGER PRIMARY KEY, ros_distro TEXT NOT NULL);
           CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL);
           CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL, timestamp INTEGER NOT NULL, data BLOB NOT NULL);
           CREATE INDEX timestamp_idx ON messages (timestamp ASC);
           INSERT INTO schema VALUES (3, 'humble');`);
  const topics = new Map<string, { id: number; type: string; count: number }>();
  const addTopic = db.prepare('INSERT INTO topics VALUES (?, ?, ?, ?, ?)');
  const addMessage = db.prepare('INSERT INTO messages (topic_id, timestamp, data) VALUES (?, ?, ?)');
  let start: bigint | undefined;
  let end = 0n;
  db.exec('BEGIN');
  for await (const m of ownMessages(sceneBag, withTfStatic)) {
    let t = topics.get(m.topic);
    if (!t) {
      t = { id: topics.size + 1, type: m.type, count: 0 };
      topics.set(m.topic, t);
      addTopic.run(t.id, m.topic, m.type, 'cdr', HUMBLE_QOS);
    }
    t.count++;
    addMessage.run(t.id, m.logTime, Buffer.from(m.data));
    start ??= m.logTime;
    end = m.logTime > end ? m.logTime : end;
  }
  db.exec('COMMIT');
  db.close();
  const count = [...topics.values()].reduce((n, t) => n + t.count, 0);
  writeFileSync(
    join(dir, 'metadata.yaml'),
    stringifyYaml({
      rosbag2_bagfile_information: {
        version: 5,
        storage_identifier: 'sqlite3',
        duration: { nanoseconds: Number(end - (start ?? 0n)) },
        starting_time: { nanoseconds_since_epoch: Number(start ?? 0n) },
        message_count: count,
        topics_with_message_count: [...topics].map(([name, t]) => ({
          topic_metadata: { name, type: t.type, serialization_format: 'cdr', offered_qos_profiles: HUMBLE_QOS },
          message_count: t.count,
        })),
        compression_format: '',
        compression_mode: '',
        relative_file_paths: [file],
        files: [
          {
            path: file,
            starting_time: { nanoseconds_since_epoch: Number(start ?? 0n) },
            duration: { nanoseconds: Number(end - (start ?? 0n)) },
            message_count: count,
          },
        ],
      },
    }),
  );
  return dir;
}
