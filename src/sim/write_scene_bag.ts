// Writing a scene to a rosbag2 MCAP bag that `ros2 bag play` can feed to the live node: camera
// topics, /tf_static, /tf, /clock and the ground-truth topics (see scene_messages.ts).
import { McapBagWriter } from '../io/bag_writer';
import { streamFrames } from './frame_stream';
import { frameMessages, staticTransforms } from './scene_messages';
import type { Scene } from './scene_schema';
import { StampSchedule } from './stamps';

export interface WriteSceneBagOptions {
  /** Also record /<cam>/ground_truth/depth (32FC1; more than doubles the bag). Default false. */
  depth?: boolean;
  /** Chunk compression. Default 'none': raw images barely compress and zstd would dominate the time. */
  compression?: 'none' | 'zstd';
  /** Render worker threads; default: up to 2 (see streamFrames). */
  workers?: number;
  /** Only the first `frames` frames. Default: the whole scene. */
  frames?: number;
  /** Called after each frame is written, with frames done and frames total. */
  onProgress?: (done: number, total: number) => void;
}

export interface SceneBagSummary {
  bagDir: string;
  frames: number;
  /** Images written over all cameras (dropped and stopped frames excluded). */
  images: number;
  messages: number;
}

/**
 * Renders `scene` and writes it to a new bag directory `bagDir` (which must not exist or be
 * empty). Resolves once the bag is closed; on failure the partial bag is left for inspection.
 */
export async function writeSceneBag(scene: Scene, bagDir: string, opts: WriteSceneBagOptions = {}): Promise<SceneBagSummary> {
  const schedule = new StampSchedule(scene);
  const { depth = false, compression = 'none', workers, frames = schedule.frameCount, onProgress } = opts;
  const odometry = scene.robot.path !== undefined;
  const writer = await McapBagWriter.create(bagDir, { compression, chunkSize: 4 * 1024 * 1024 });
  let images = 0;
  let messages = 0;
  try {
    const tfStatic = staticTransforms(scene.rig.cameras, schedule.start);
    await writer.write(tfStatic.topic, tfStatic.type, tfStatic.logTime, tfStatic.msg);
    messages++;
    for await (const frame of streamFrames(scene, { workers, count: frames })) {
      const out = frameMessages(frame, { depth, odometry });
      // Waiting for the frame's writes before taking the next frame bounds memory to one frame.
      await Promise.all(out.map((m) => writer.write(m.topic, m.type, m.logTime, m.msg)));
      messages += out.length;
      images += frame.images.size;
      onProgress?.(frame.index + 1, frames);
    }
  } finally {
    await writer.close();
  }
  return { bagDir, frames, images, messages };
}
