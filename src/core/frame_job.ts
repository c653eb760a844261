// A frame set on its way through the scheduler, carrying what the pipeline made of it, so a
// set's outcome and its processed frame travel together (no lookup table on the side).
import type { FrameSet } from '../sync/frame';
import type { ProcessedFrame } from './perception_pipeline';

export interface FrameJob {
  readonly set: FrameSet;
  /** Set when the pipeline has run the set (a shed set has none). */
  frame?: ProcessedFrame;
}
