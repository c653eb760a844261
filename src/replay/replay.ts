// Bag replay: a bag is one more source. Messages are fed to the runner in recording order; the
// results are written to an output MCAP with the frame set's stamp as log time, so two replays
// of the same bag in target time write the same bytes (timing fields aside).
import { openBag, MessageDecodeError, type BagMessage, type SkipTally } from '../io/bag_reader';
import { timeToNanos, type Nanos } from '../msgs/time';
import type { CameraInfo, Clock, CompressedImage, Image, TFMessage } from '../msgs/types';
import type { CameraTopics } from './bag_topics';
import type { PerceptionConfig } from '../config/config_schema';
import { createPerceptionRunner, type ReplayableRunner, type RunnerOptions } from '../core/perception_runner';
import { resolveOutputTopic, type PipelineResult } from '../core/result';
import { bagCameras, configForBag, type BagCameras } from './replay_cameras';
import { ReplayOutput } from './replay_output';
import { PlaybackClock } from '../core/source_clock';
import { KeepLast } from './keep_last';

export interface ReplayOptions extends RunnerOptions {
  config: PerceptionConfig;
  /** ROS-style "from:=to" remaps of bag topics. */
  remaps?: string[];
  /** Output MCAP bag directory; nothing is written when undefined. */
  outBag?: string;
  /** Host time only: playback speed relative to the recording (1 = real time). */
  rate?: number;
  onResult?: (r: PipelineResult) => void;
  onWarning?: (m: string) => void;
  /** Called with the messages read so far and the bag's total, at most every 100 messages. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Stops the replay when aborted (Ctrl-C): no further message is read, the sets in flight are
   * finished, and the output bag is closed valid, indexed and with its metadata.yaml.
   */
  signal?: AbortSignal;
}

export interface ReplaySummary {
  bag: string;
  cameras: CameraTopics[];
  messagesRead: number;
  badMessages: number;
  /** Damaged parts of the input bag that were skipped (each one warned about). */
  skipped: SkipTally;
  /** The replay was stopped by `signal` before the end of the bag. */
  interrupted: boolean;
  warnings: number;
  results: number;
  completed: number;
  shed: Record<string, number>;
  outputs: Record<string, number>;
  durationSec: number;
  peakRssMb: number;
  /** Host time: the most the replay fell behind the bag's pace, ms (0 in target time). */
  maxBehindMs: number;
  /**
   * Host time: images dropped unread because the replay was behind the bag's pace by more than
   * the camera's frame interval: a newer image of the camera was already due, and a live node's
   * keep-last subscription would have replaced this one with it. So a replay that fell behind
   * catches up instead of shedding every later set.
   */
  lateImagesDropped: number;
  /** Host time: bag time skipped unread, ms, where the replay fell more than scheduler.deadline_ms behind. */
  skippedAheadMs: number;
}

/** Replays `bagPath` through the full pipeline. Bad messages are skipped with a warning. */
export async function replayBag(bagPath: string, o: ReplayOptions): Promise<ReplaySummary> {
  let warnings = 0;
  const warn = (m: string) => {
    warnings++;
    o.onWarning?.(m);
  };
  const reader = await openBag(bagPath, { onWarning: warn });
  if (reader.info.messageCount === 0) {
    await reader.close();
    throw new Error(`bag ${bagPath} holds no messages; nothing to replay`);
  }
  let bag: BagCameras;
  try {
    bag = bagCameras(bagPath, reader.info.topics, o.config, o.remaps ?? [], warn);
  } catch (err) {
    await reader.close();
    throw err;
  }
  const { topicOf, offType, usable } = bag;
  const summary: ReplaySummary = {
    bag: bagPath,
    cameras: bag.cameras,
    messagesRead: 0,
    badMessages: 0,
    skipped: { parts: 0, messages: 0 },
    interrupted: false,
    warnings: 0,
    results: 0,
    completed: 0,
    shed: {},
    outputs: {},
    durationSec: Number(reader.info.duration) / 1e9,
    peakRssMb: 0,
    maxBehindMs: 0,
    lateImagesDropped: 0,
    skippedAheadMs: 0,
  };
  const config = configForBag(o.config, usable);
  const pacer = config.scheduler.time_mode === 'host' ? new PlaybackClock(o.rate ?? 1) : undefined;
  const runner = await createPerceptionRunner(config, { ...o, hostClock: pacer });
  const writer = o.outBag ? await ReplayOutput.create(o.outBag, config) : undefined;
  runner.onWarning(warn);
  runner.onResult((r) => {
    summary.results++;
    if (r.decision === 'completed') summary.completed++;
    else summary.shed[r.shedReason ?? 'unknown'] = (summary.shed[r.shedReason ?? 'unknown'] ?? 0) + 1;
    writer?.writeTransforms(r.stamp);
    for (const out of r.outputs) {
      const topic = resolveOutputTopic(config.topics.output_namespace, out.topic);
      summary.outputs[topic] = (summary.outputs[topic] ?? 0) + 1;
      writer?.write(topic, out.type, r.stamp, out.msg);
    }
    o.onResult?.(r);
  });

  const byImage = new Map(usable.map((c) => [c.image, c.camera]));
  const byInfo = new Map(usable.map((c) => [c.info!, c.camera]));
  const wanted = reader.info.topics
    .map((t) => t.name)
    .filter((t) => {
      const n = topicOf(t);
      return byImage.has(n) || byInfo.has(n) || (['/tf', '/tf_static', '/clock'].includes(n) && !offType.has(n));
    });
  const total = reader.info.topics.filter((t) => wanted.includes(t.name)).reduce((n, t) => n + t.count, 0);
  let paced = false;
  const superseded = new KeepLast();
  try {
    // Host time: where the replay fell more than scheduler.deadline_ms behind, every image read
    // from there on would be too late for its deadline; it reads on from the bag's present instead.
    let from: Nanos | undefined;
    reading: for (;;) {
      let skipTo: Nanos | undefined;
      for await (const m of reader.messages({ topics: wanted, start: from })) {
        if (o.signal?.aborted) {
          summary.interrupted = true;
          break reading;
        }
        if (writer?.failure) break reading;
        summary.messagesRead++;
        if (summary.messagesRead % 100 === 0) {
          o.onProgress?.(summary.messagesRead, total);
          summary.peakRssMb = Math.max(summary.peakRssMb, process.memoryUsage().rss / 2 ** 20);
        }
        // Pacing starts at the first image: reading the bag's first chunk and the rig's static
        // messages is replay start-up, not time a live node's images would have waited.
        const image = byImage.has(topicOf(m.topic));
        paced ||= pacer !== undefined && image;
        if (pacer && paced) {
          const behindMs = await pacer.wait(m.logTime);
          if (behindMs > config.scheduler.deadline_ms && summary.maxBehindMs <= config.scheduler.deadline_ms) {
            warn(
              `host time: the replay fell ${behindMs.toFixed(0)} ms behind the bag at rate ${o.rate ?? 1}: this machine cannot keep up, so late frame sets are shed, and images that a live node's keep-last subscription would have replaced by newer ones are skipped`,
            );
          }
          summary.maxBehindMs = Math.max(summary.maxBehindMs, behindMs);
          // Deadlines are in the bag's time: at --rate r, a wall-clock ms behind is r ms of bag time.
          const behindBagMs = behindMs * (o.rate ?? 1);
          if (behindBagMs > config.scheduler.deadline_ms) {
            skipTo = pacer.now();
            summary.skippedAheadMs += behindBagMs;
            break;
          }
          if (image && superseded.replaced(m.topic, m.logTime, behindBagMs)) {
            summary.lateImagesDropped++;
            continue;
          }
        }
        const isImage = dispatch(runner, writer, m, topicOf(m.topic), byImage, byInfo, (e) => {
          summary.badMessages++;
          warn(e);
        });
        if (isImage && !pacer) await runner.flush();
        // Results go to the bag as they come, not in bursts: what a kill leaves is recent.
        if (isImage) await writer?.settle();
      }
      if (skipTo === undefined) break;
      from = skipTo;
    }
    o.onProgress?.(summary.messagesRead, total);
    await runner.close();
  } finally {
    summary.skipped = reader.skipped();
    await reader.close();
    await writer?.close();
  }
  if (summary.results === 0 && !summary.interrupted)
    warn(`bag ${bagPath}: no frame set came out of ${summary.messagesRead} messages; see the warnings above`);
  summary.warnings = warnings;
  summary.peakRssMb = Math.max(summary.peakRssMb, process.memoryUsage().rss / 2 ** 20);
  return summary;
}

/** Hands one bag message to the runner (and the rig to the output bag). Returns whether it was an image. Never throws. */
function dispatch(
  runner: ReplayableRunner,
  writer: ReplayOutput | undefined,
  m: BagMessage,
  topic: string,
  byImage: Map<string, string>,
  byInfo: Map<string, string>,
  onBad: (e: string) => void,
): boolean {
  try {
    const camera = byImage.get(topic);
    if (camera !== undefined) {
      const msg = m.decode<Image | CompressedImage>();
      runner.tick(m.logTime);
      runner.handleImage(camera, msg);
      return true;
    }
    const infoCamera = byInfo.get(topic);
    if (infoCamera !== undefined) {
      const info = m.decode<CameraInfo>();
      runner.handleCameraInfo(infoCamera, info);
      writer?.noteCameraInfo(infoCamera, info);
    } else if (topic === '/tf' || topic === '/tf_static') {
      const tf = m.decode<TFMessage>();
      runner.handleTf(tf, topic === '/tf_static');
      writer?.noteTransforms(tf, topic === '/tf_static');
    } else if (topic === '/clock') runner.tick(timeToNanos(m.decode<Clock>().clock));
  } catch (err) {
    const why = err instanceof MessageDecodeError ? err.message : `${m.topic} at log time ${m.logTime} ns: ${(err as Error).message}`;
    onBad(`skipped a bad message: ${why}`);
  }
  return false;
}
