// How an image becomes a model input tensor, shared by every preprocessing strategy.
import type { Raster } from '../io/raster';
import type { ImageTransform } from './image_transform';

export interface PreprocessOptions {
  /** Model input width and height in pixels. */
  width: number;
  height: number;
  /** letterbox keeps the aspect ratio and pads; resize stretches to fill. */
  mode: 'letterbox' | 'resize';
  /** Where a letterboxed image sits: top-left (YOLOX) or centred (YOLOv5/v8 exports). */
  letterboxAlign: 'topleft' | 'center';
  /** Value (0-255 scale, before normalisation) of the letterbox padding. */
  padValue: number;
  /** Channel order the model expects. */
  channelOrder: 'bgr' | 'rgb';
  /** Per channel, in the model's channel order, on the 0-255 scale: x' = (x - mean) / std. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** Where the image lands inside the model input. */
export function imageTransform(opts: PreprocessOptions, srcWidth: number, srcHeight: number): ImageTransform {
  if (opts.mode === 'resize') {
    return { scaleX: opts.width / srcWidth, scaleY: opts.height / srcHeight, padX: 0, padY: 0, srcWidth, srcHeight };
  }
  const r = Math.min(opts.width / srcWidth, opts.height / srcHeight);
  const w = Math.round(srcWidth * r);
  const h = Math.round(srcHeight * r);
  const center = opts.letterboxAlign === 'center';
  return {
    scaleX: w / srcWidth,
    scaleY: h / srcHeight,
    padX: center ? Math.floor((opts.width - w) / 2) : 0,
    padY: center ? Math.floor((opts.height - h) / 2) : 0,
    srcWidth,
    srcHeight,
  };
}

/** For each model channel, the index of the raster channel it reads. Throws for formats the
 * detector cannot take (16-bit, float). */
export function sourceChannels(raster: Raster, order: 'bgr' | 'rgb'): [number, number, number] {
  switch (raster.format) {
    case 'mono8':
      return [0, 0, 0];
    case 'bgr8':
    case 'bgra8':
      return order === 'bgr' ? [0, 1, 2] : [2, 1, 0];
    case 'rgb8':
    case 'rgba8':
      return order === 'rgb' ? [0, 1, 2] : [2, 1, 0];
    default:
      throw new Error(`preprocess: image format "${raster.format}" is not supported; expected mono8, rgb8, bgr8, rgba8 or bgra8`);
  }
}
