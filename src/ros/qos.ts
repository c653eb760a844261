// QoS profiles of the node's subscriptions and publishers, and the check that finds a publisher
// whose QoS can never match ours: DDS drops that pairing silently, so most nodes just receive
// nothing (a best-effort camera driver and a reliable subscriber is the classic case).
//
// Pure data and logic, no rclnodejs import: profiles are plain objects with the rmw enum values,
// which is also what rclnodejs's graph queries report for remote endpoints.
import type { PerceptionConfig } from '../config/config_schema';
import { OUTPUT_HISTORY_DEPTH } from '../core/output_topics';

/** rmw_qos_history_policy_e values. */
export const History = { SYSTEM_DEFAULT: 0, KEEP_LAST: 1, KEEP_ALL: 2 } as const;
/** rmw_qos_reliability_policy_e values (BEST_AVAILABLE is Jazzy's "match the other side"). */
export const Reliability = { SYSTEM_DEFAULT: 0, RELIABLE: 1, BEST_EFFORT: 2, UNKNOWN: 3, BEST_AVAILABLE: 4 } as const;
/** rmw_qos_durability_policy_e values. */
export const Durability = { SYSTEM_DEFAULT: 0, TRANSIENT_LOCAL: 1, VOLATILE: 2, UNKNOWN: 3, BEST_AVAILABLE: 4 } as const;

/** The QoS policies the node sets; the rest stay at the rmw defaults. */
export interface QosProfile {
  history: number;
  depth: number;
  reliability: number;
  durability: number;
}

/** What the node subscribes to: camera streams, dynamic TF, static TF. */
export type SubscriptionKind = 'sensor' | 'tf' | 'tf_static';

/** Depth of /tf_static: latched transforms of every publisher must fit; ROS's tf2 uses 100 too. */
const TF_STATIC_DEPTH = 100;
/** Depth of /tf (tf2's default listener queue). */
const TF_DEPTH = 100;

/**
 * The subscription profile for `kind`. Camera streams use sensor-data QoS (keep last, volatile)
 * with the configured reliability and depth: best effort by default, so a reliable or a
 * best-effort publisher (Gazebo's bridge, camera drivers, `ros2 bag play`) both match.
 * /tf_static is reliable and transient-local, as tf2 publishes it, so transforms latched before
 * the node started still arrive; /tf is reliable, volatile.
 */
export function subscriptionQos(kind: SubscriptionKind, qos: PerceptionConfig['qos']): QosProfile {
  switch (kind) {
    case 'sensor':
      return {
        history: History.KEEP_LAST,
        depth: qos.depth,
        reliability: qos.reliability === 'reliable' ? Reliability.RELIABLE : Reliability.BEST_EFFORT,
        durability: Durability.VOLATILE,
      };
    case 'tf':
      return { history: History.KEEP_LAST, depth: TF_DEPTH, reliability: Reliability.RELIABLE, durability: Durability.VOLATILE };
    case 'tf_static':
      return {
        history: History.KEEP_LAST,
        depth: TF_STATIC_DEPTH,
        reliability: Reliability.RELIABLE,
        durability: Durability.TRANSIENT_LOCAL,
      };
  }
}

/**
 * The profile of every output publisher: reliable, volatile, keep last. A reliable publisher
 * serves reliable and best-effort subscribers alike (RViz, Nav2 costmaps, `ros2 topic echo`).
 */
export function outputQos(): QosProfile {
  return { history: History.KEEP_LAST, depth: OUTPUT_HISTORY_DEPTH, reliability: Reliability.RELIABLE, durability: Durability.VOLATILE };
}

/** A remote publisher as rclnodejs's getPublishersInfoByTopic reports it (the fields we use). */
export interface EndpointInfo {
  node_name: string;
  node_namespace: string;
  topic_type: string;
  qos_profile: { reliability: number; durability: number; history?: number; depth?: number };
}

function name(table: Record<string, number>, value: number): string {
  const key = Object.keys(table).find((k) => table[k] === value);
  return key ? key.toLowerCase() : `unknown(${value})`;
}

/** "reliability=best_effort, durability=volatile, depth=5". */
export function describeQos(q: { reliability: number; durability: number; depth?: number }): string {
  const depth = q.depth !== undefined ? `, depth=${q.depth}` : '';
  return `reliability=${name(Reliability, q.reliability)}, durability=${name(Durability, q.durability)}${depth}`;
}

/**
 * Why a publisher with QoS `offered` can never deliver to a subscription with QoS `requested`,
 * or undefined when they are compatible. DDS request/offer rules: a reliable request needs a
 * reliable offer; a transient-local request needs a transient-local offer.
 */
export function qosIncompatibility(
  requested: Pick<QosProfile, 'reliability' | 'durability'>,
  offered: Pick<QosProfile, 'reliability' | 'durability'>,
): string | undefined {
  if (requested.reliability === Reliability.RELIABLE && offered.reliability === Reliability.BEST_EFFORT) {
    return 'we request reliable delivery but the publisher offers best effort (set qos.reliability: best_effort)';
  }
  if (requested.durability === Durability.TRANSIENT_LOCAL && offered.durability === Durability.VOLATILE) {
    return 'we request transient-local durability but the publisher offers volatile';
  }
  return undefined;
}

/**
 * One warning per publisher on `topic` whose QoS is incompatible with `requested`; each names the
 * topic, the publisher's node, its QoS and ours.
 */
export function incompatiblePublisherWarnings(topic: string, requested: QosProfile, publishers: readonly EndpointInfo[]): string[] {
  const out: string[] = [];
  for (const pub of publishers) {
    const why = qosIncompatibility(requested, pub.qos_profile);
    if (why === undefined) continue;
    const node = `${pub.node_namespace.replace(/\/$/, '')}/${pub.node_name}`;
    out.push(
      `QoS mismatch on ${topic}: publisher ${node} offers {${describeQos(pub.qos_profile)}}, ` +
        `this node requests {${describeQos(requested)}}; no messages will arrive: ${why}`,
    );
  }
  return out;
}
