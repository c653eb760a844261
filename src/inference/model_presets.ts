// Pre-processing and threshold defaults per decoder family: what each family's reference code
// does (facts for the shared models are in ../shared/models/README.md). A user who gives only
// a model path gets these; any field set in DetectorOptions overrides its preset value.
import type { DecoderName } from './decoders';
import type { PreprocessOptions } from './preprocess_options';

export interface ModelPreset extends Omit<PreprocessOptions, 'width' | 'height'> {
  scoreThreshold: number;
  /** end2end: boxes normalised to [0, 1]. */
  normalizedCoords: boolean;
  /** nanodet: cell-centre offset in strides. */
  centerOffset: number;
}

const ULTRALYTICS: ModelPreset = {
  mode: 'letterbox',
  letterboxAlign: 'center',
  padValue: 114,
  channelOrder: 'rgb',
  mean: [0, 0, 0],
  std: [255, 255, 255],
  scoreThreshold: 0.25,
  normalizedCoords: false,
  centerOffset: 0,
};

export const MODEL_PRESETS: Readonly<Record<DecoderName, ModelPreset>> = {
  // Letterbox at the top-left, pad 114, raw 0-255 BGR.
  yolox: {
    mode: 'letterbox',
    letterboxAlign: 'topleft',
    padValue: 114,
    channelOrder: 'bgr',
    mean: [0, 0, 0],
    std: [1, 1, 1],
    scoreThreshold: 0.3,
    normalizedCoords: false,
    centerOffset: 0,
  },
  // Plain resize, ImageNet mean/std on the 0-255 BGR scale. Quality-focal scores run lower
  // than YOLOX's (true objects at 0.3-0.4), hence 0.3. Cell centres at (i + 0.5) * stride: with
  // offset 0 every box sits half a stride up-left of the YOLOX/FastestDet boxes of the same
  // objects on the shared photos; with 0.5 they agree.
  nanodet: {
    mode: 'resize',
    letterboxAlign: 'topleft',
    padValue: 0,
    channelOrder: 'bgr',
    mean: [103.53, 116.28, 123.675],
    std: [57.375, 57.12, 58.395],
    scoreThreshold: 0.3,
    normalizedCoords: false,
    centerOffset: 0.5,
  },
  // Plain resize, BGR / 255; the reference demo's threshold.
  fastestdet: {
    mode: 'resize',
    letterboxAlign: 'topleft',
    padValue: 0,
    channelOrder: 'bgr',
    mean: [0, 0, 0],
    std: [255, 255, 255],
    scoreThreshold: 0.65,
    normalizedCoords: false,
    centerOffset: 0,
  },
  yolov5: ULTRALYTICS,
  yolov8: ULTRALYTICS,
  end2end: ULTRALYTICS,
};
