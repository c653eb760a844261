// rosbag2's metadata.yaml: the parts the reader needs, and the version-9 (Jazzy) document the
// writer produces. Field names and nesting follow rosbag2_storage's yaml.hpp.
import * as fs from 'fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Nanos } from '../msgs/time';

export const METADATA_FILE = 'metadata.yaml';

/** Plain YAML that yaml-cpp reads: repeated values written out, not as anchors and aliases. */
export const YAML_OPTIONS = { aliasDuplicateObjects: false } as const;

/** What the reader takes from a metadata.yaml. */
export interface BagMetadataSummary {
  version: number;
  storageIdentifier: string;
  relativeFilePaths: string[];
  rosDistro?: string;
  /** Topic names in the order metadata.yaml lists them. */
  topicNames: string[];
}

/** Reads `<bagDir>/metadata.yaml`; undefined when there is none. Throws naming the file when it is malformed. */
export function readBagMetadata(file: string): BagMetadataSummary | undefined {
  if (!fs.existsSync(file)) return undefined;
  const bad = (what: string): Error => new Error(`${file}: ${what}; expected a rosbag2 metadata.yaml with rosbag2_bagfile_information`);
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw bad(`not valid YAML (${(err as Error).message})`);
  }
  const info = (doc as { rosbag2_bagfile_information?: Record<string, unknown> } | null)?.rosbag2_bagfile_information;
  if (!info || typeof info !== 'object') throw bad('no rosbag2_bagfile_information');
  const { version, storage_identifier: storage, relative_file_paths: paths, ros_distro: distro, topics_with_message_count: topics } = info;
  if (typeof storage !== 'string') throw bad(`storage_identifier is ${JSON.stringify(storage)}`);
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) throw bad(`relative_file_paths is ${JSON.stringify(paths)}`);
  return {
    version: typeof version === 'number' ? version : 0,
    storageIdentifier: storage,
    relativeFilePaths: paths as string[],
    rosDistro: typeof distro === 'string' && distro !== '' ? distro : undefined,
    topicNames: Array.isArray(topics)
      ? topics.flatMap((t: { topic_metadata?: { name?: unknown } } | null) =>
          typeof t?.topic_metadata?.name === 'string' ? [t.topic_metadata.name] : [],
        )
      : [],
  };
}

/** One QoS profile in rosbag2's version-9 form (policy names as strings). */
export interface QosProfile {
  history: 'keep_last' | 'keep_all' | 'system_default' | 'unknown';
  depth: number;
  reliability: 'reliable' | 'best_effort' | 'system_default' | 'unknown';
  durability: 'volatile' | 'transient_local' | 'system_default' | 'unknown';
  deadline: { sec: number; nsec: number };
  lifespan: { sec: number; nsec: number };
  liveliness: 'automatic' | 'manual_by_topic' | 'system_default' | 'unknown';
  liveliness_lease_duration: { sec: number; nsec: number };
  avoid_ros_namespace_conventions: boolean;
}

/** A topic as the writer records it. */
export interface WrittenTopic {
  name: string;
  type: string;
  qos: QosProfile;
  count: number;
}

/** Everything the version-9 metadata of a single-file MCAP bag holds. */
export interface WrittenBag {
  file: string;
  topics: readonly WrittenTopic[];
  messageCount: number;
  start: Nanos;
  duration: Nanos;
  rosDistro: string;
}

/** The rosbag2 BagMetadata node (without the `rosbag2_bagfile_information` wrapper). */
export function bagMetadataNode(bag: WrittenBag): Record<string, unknown> {
  return {
    version: 9,
    storage_identifier: 'mcap',
    duration: { nanoseconds: bag.duration },
    starting_time: { nanoseconds_since_epoch: bag.start },
    message_count: bag.messageCount,
    topics_with_message_count: bag.topics.map((t) => ({
      topic_metadata: {
        name: t.name,
        type: t.type,
        serialization_format: 'cdr',
        offered_qos_profiles: [t.qos],
        type_description_hash: '',
      },
      message_count: t.count,
    })),
    compression_format: '',
    compression_mode: '',
    relative_file_paths: [bag.file],
    files: [
      {
        path: bag.file,
        starting_time: { nanoseconds_since_epoch: bag.start },
        duration: { nanoseconds: bag.duration },
        message_count: bag.messageCount,
      },
    ],
    custom_data: {},
    ros_distro: bag.rosDistro,
  };
}

/** metadata.yaml text for a written bag. */
export function bagMetadataYaml(bag: WrittenBag): string {
  return stringifyYaml({ rosbag2_bagfile_information: bagMetadataNode(bag) }, YAML_OPTIONS);
}

/** A QoS profile list as the YAML string MCAP channels carry in `offered_qos_profiles`. */
export function qosProfilesYaml(profiles: readonly QosProfile[]): string {
  return stringifyYaml(profiles, YAML_OPTIONS).trimEnd();
}
