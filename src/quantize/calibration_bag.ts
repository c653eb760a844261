// Calibration frames from a rosbag2 bag: the camera images of its sensor_msgs/Image and
// CompressedImage topics, spread evenly over the recording (DX-COM's advice is calibration data
// that looks like deployment, which a bag of the robot's own cameras is). Depth images (32FC1 /
// 16UC1 topics in the same bag) are not camera frames and are left out.
import { openBag, type BagReader } from '../io/bag_reader';
import { decodeImage } from '../io/image_codec';
import { toRgb8 } from '../io/image_convert';
import type { Raster } from '../io/raster';
import type { CompressedImage, Image } from '../msgs/types';
import type { CalibrationImage } from './calibration_images';

const IMAGE_TYPES = new Set(['sensor_msgs/msg/Image', 'sensor_msgs/msg/CompressedImage']);

/** A decoded frame of `topic`, or undefined when the topic carries depth rather than a picture. */
function pictureOf(raster: Raster): Raster<Uint8Array> | undefined {
  if (raster.format === 'float32' || raster.format === 'mono16') return undefined;
  return toRgb8(raster);
}

/** The image topics whose first message is a picture (not depth), in the bag's topic order. */
async function cameraTopics(reader: BagReader, flag: string): Promise<string[]> {
  const candidates = reader.info.topics.filter((t) => IMAGE_TYPES.has(t.type) && t.count > 0).map((t) => t.name);
  const cameras: string[] = [];
  for (const topic of candidates) {
    for await (const m of reader.messages({ topics: [topic] })) {
      if (pictureOf(decodeImage(m.decode<Image | CompressedImage>()))) cameras.push(topic);
      break;
    }
  }
  if (cameras.length === 0) {
    const listed = reader.info.topics.map((t) => `${t.name} (${t.type})`).join(', ') || 'none';
    throw new Error(`${flag} "${reader.info.path}" is a bag without camera image topics; its topics: ${listed}`);
  }
  return cameras;
}

/**
 * At most `limit` camera frames of the bag at `bagPath`, every k-th image message in log order
 * so they span the whole recording; named `<topic>@<log time ns>`. Throws naming the bag (and
 * `flag`, the option that gave it) when it cannot be read or holds no camera images.
 */
export async function loadBagFrames(bagPath: string, limit: number, flag = '--calibration'): Promise<CalibrationImage[]> {
  let reader: BagReader;
  try {
    reader = await openBag(bagPath);
  } catch (err) {
    throw new Error(`${flag} "${bagPath}": ${(err as Error).message}`);
  }
  try {
    const topics = await cameraTopics(reader, flag);
    const total = reader.info.topics.filter((t) => topics.includes(t.name)).reduce((n, t) => n + t.count, 0);
    const stride = Math.max(1, Math.ceil(total / limit));
    const frames: CalibrationImage[] = [];
    let index = 0;
    for await (const m of reader.messages({ topics })) {
      if (index++ % stride !== 0) continue;
      const name = `${m.topic}@${m.logTime}`;
      let picture: Raster<Uint8Array> | undefined;
      try {
        picture = pictureOf(decodeImage(m.decode<Image | CompressedImage>()));
      } catch (err) {
        throw new Error(`${flag} "${bagPath}": frame ${name} could not be decoded: ${(err as Error).message}`);
      }
      if (picture) frames.push({ name, image: picture });
      if (frames.length >= limit) break;
    }
    return frames;
  } finally {
    await reader.close();
  }
}
