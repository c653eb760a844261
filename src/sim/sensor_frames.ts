// A simulated frame as the core's input: one sync Frame per present camera, exactly what a
// bag or live topics would have produced, so the pipeline cannot tell the difference.
import type { Frame } from '../sync/frame';
import { imageMessage } from './scene_messages';
import type { SimFrame } from './scene_simulator';

/** The sensor Frames of a SimFrame, in rig order; dropped and stopped cameras are absent. */
export function sensorFrames(frame: SimFrame): Frame[] {
  return [...frame.stamps].map(([camera, stamp]) => ({ camera, stamp, image: imageMessage(frame, camera), info: frame.infos.get(camera) }));
}
