// The output bag of a replay. Results are written as they come, and the writer closes a chunk at
// least every second of bag time, so a replay killed (SIGKILL) or stopped by a full disk leaves a
// bag that a stream reader recovers up to about a second before the end. A failed write stops
// the replay with an error naming --out; the bag keeps what was written before it.
//
// The bag can be viewed alone (Foxglove, `ros2 bag play` + RViz): it carries /tf_static with
// base_link -> each camera's optical frame as the pipeline placed it (from the input's TF or the
// `rig` extrinsics), and /tf with odom -> base_link at each frame set when odometry is known, so
// outputs in either frame relate without the input bag. Every topic records the QoS the node's
// publishers offer (keep last OUTPUT_HISTORY_DEPTH, reliable, volatile).
import { McapBagWriter } from '../io/bag_writer';
import { toTransform } from '../geometry/rotation';
import { nanosToTime, type Nanos } from '../msgs/time';
import type { CameraInfo, TFMessage, TransformStamped } from '../msgs/types';
import type { PerceptionConfig } from '../config/config_schema';
import { OUTPUT_HISTORY_DEPTH } from '../core/output_topics';
import { RigState } from '../core/rig_state';

/** Bag time a killed replay may lose at most (plus one message): the chunk still open. */
export const FLUSH_EVERY_NS: Nanos = 1_000_000_000n;

const TF_TYPE = 'tf2_msgs/msg/TFMessage';

export class ReplayOutput {
  readonly #dir: string;
  readonly #writer: McapBagWriter;
  readonly #config: PerceptionConfig;
  /** The rig as the pipeline builds it, from the same camera_info and TF messages. */
  readonly #rig: RigState;
  /** Optical frames already on /tf_static. */
  readonly #framesWritten = new Set<string>();
  readonly #pending: Promise<void>[] = [];
  #failure: Error | undefined;

  private constructor(dir: string, writer: McapBagWriter, config: PerceptionConfig) {
    this.#dir = dir;
    this.#writer = writer;
    this.#config = config;
    this.#rig = new RigState(config);
  }

  /** Starts the bag in `dir` for a replay of `config`'s cameras. */
  static async create(dir: string, config: PerceptionConfig): Promise<ReplayOutput> {
    return new ReplayOutput(
      dir,
      await McapBagWriter.create(dir, { flushEveryNs: FLUSH_EVERY_NS, historyDepth: OUTPUT_HISTORY_DEPTH }),
      config,
    );
  }

  /** The first failed write, in the user's words; the replay stops reading when there is one. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** A camera_info the replay handed to the pipeline. */
  noteCameraInfo(camera: string, info: CameraInfo): void {
    this.#rig.setCameraInfo(camera, info);
  }

  /** A /tf or /tf_static message the replay handed to the pipeline. */
  noteTransforms(msg: TFMessage, isStatic: boolean): void {
    this.#rig.setTransforms(msg, isStatic);
  }

  /**
   * Call before a frame set's outputs: writes /tf_static when the rig has optical frames not yet
   * written (all of them, as one latched message, the way tf2's static broadcaster publishes),
   * and odom -> base_link on /tf at `stamp` when odometry is known.
   */
  writeTransforms(stamp: Nanos): void {
    const base = this.#config.frames.base_frame;
    const rig = this.#rig.rig(this.#config.cameras);
    if (rig && rig.cameras.some((c) => !this.#framesWritten.has(c.frameId))) {
      for (const c of rig.cameras) this.#framesWritten.add(c.frameId);
      const transforms: TransformStamped[] = rig.cameras.map((c) => ({
        header: { stamp: nanosToTime(stamp), frame_id: base },
        child_frame_id: c.frameId,
        transform: toTransform(c.baseFromCamera),
      }));
      this.write('/tf_static', TF_TYPE, stamp, { transforms } satisfies TFMessage);
    }
    const odom = this.#config.frames.odom_frame;
    if (odom === '') return;
    let odomFromBase;
    try {
      odomFromBase = this.#rig.tf.lookup(odom, base, stamp);
    } catch {
      return; // no odometry (a static robot, or none recorded): the outputs are in base_link
    }
    const tf: TFMessage = {
      transforms: [{ header: { stamp: nanosToTime(stamp), frame_id: odom }, child_frame_id: base, transform: toTransform(odomFromBase) }],
    };
    this.write('/tf', TF_TYPE, stamp, tf);
  }

  write(topic: string, type: string, logTime: Nanos, msg: unknown): void {
    if (this.#failure) return;
    this.#pending.push(
      this.#writer.write(topic, type, logTime, msg).catch((err: Error) => {
        this.#failure ??= new Error(
          `output bag ${this.#dir} (--out): ${err.message}; the replay stopped, and the bag keeps what was written before (read record by record)`,
        );
      }),
    );
  }

  /** Waits for the writes issued so far. */
  async settle(): Promise<void> {
    await Promise.all(this.#pending.splice(0));
  }

  /** Closes the bag: valid and indexed with its metadata.yaml, or, after a failed write, as far as it got. */
  async close(): Promise<void> {
    await this.settle();
    await this.#writer.close().catch((err: Error) => {
      this.#failure ??= new Error(`output bag ${this.#dir} (--out): ${err.message}`);
    });
    if (this.#failure) throw this.#failure;
  }
}
