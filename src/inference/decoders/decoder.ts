// The decoder contract: turn one image's slice of raw model outputs into candidate boxes in
// model-input pixels. Layout checks happen once, when the decoder is created from the model's
// output metadata, so a wrong model/decoder pairing fails at start-up, not per frame.
import type { TensorMap } from '../backend';
import type { CandidateBuffer } from '../candidates';
import { formatShape, type TensorInfo } from '../tensor';

export const DECODER_NAMES = ['yolox', 'nanodet', 'fastestdet', 'yolov5', 'yolov8', 'end2end'] as const;

export type DecoderName = (typeof DECODER_NAMES)[number];

/** What a decoder factory knows about the model. */
export interface DecoderContext {
  /** Model label for error messages. */
  model: string;
  outputs: readonly TensorInfo[];
  inputWidth: number;
  inputHeight: number;
  /** end2end only: whether boxes are normalised to [0, 1] rather than input pixels. */
  normalizedCoords: boolean;
  /** nanodet only: offset of the cell centre, in strides (0 or 0.5). */
  centerOffset: number;
}

export interface DetectionDecoder {
  readonly name: DecoderName;
  /** Number of classes the model scores. */
  readonly numClasses: number;
  /** False for end-to-end models whose output is already suppressed. */
  readonly needsNms: boolean;
  /** Appends the candidates of batch item `batchIndex` scoring >= scoreThreshold to `out`. */
  decode(outputs: TensorMap, batchIndex: number, scoreThreshold: number, out: CandidateBuffer): void;
}

export interface DecoderFactory {
  readonly name: DecoderName;
  /** The layout this decoder expects, as shown in error messages. */
  readonly layout: string;
  /** Whether the model's outputs fit this layout (used by auto-detection). */
  matches(ctx: DecoderContext): boolean;
  /** Builds the decoder; throws naming the model, tensor and expected shape if outputs do not fit. */
  create(ctx: DecoderContext): DetectionDecoder;
}

/** Grid cells summed over strides 8, 16, 32 for an input size (the anchor-free detectors' N). */
export function gridCells(width: number, height: number, strides: readonly number[] = [8, 16, 32]): number {
  return strides.reduce((n, s) => n + Math.ceil(width / s) * Math.ceil(height / s), 0);
}

/** The single output of a one-output layout, or an error naming what was expected. */
export function singleOutput(ctx: DecoderContext, decoder: DecoderName, expected: string): TensorInfo {
  if (ctx.outputs.length !== 1) {
    throw new Error(
      `model "${ctx.model}": decoder ${decoder} expects one output tensor of shape ${expected}; the model has ` +
        ctx.outputs.map((o) => `"${o.name}" ${formatShape(o.shape)}`).join(', '),
    );
  }
  return ctx.outputs[0];
}

/** The error for an output whose shape does not fit a decoder. */
export function shapeError(ctx: DecoderContext, decoder: DecoderName, tensor: TensorInfo, expected: string): Error {
  return new Error(
    `model "${ctx.model}": decoder ${decoder} expects output tensor "${tensor.name}" of shape ${expected}; got ${formatShape(tensor.shape)}`,
  );
}

/** A dimension as a number (symbolic dims give NaN, which fails every equality check). */
export function dim(t: TensorInfo, i: number): number {
  const d = t.shape[i];
  return typeof d === 'number' ? d : Number.NaN;
}

/**
 * The class with the highest score among `count` scores at d[start], d[start + step], ...
 * (step = 1 for a row of class scores, the plane size for channel-major layouts): its index
 * from 0, the first one on ties. Its score is d[start + best * step].
 */
export function argmax(d: Float32Array, start: number, count: number, step = 1): number {
  let best = 0;
  let bestScore = d[start];
  for (let c = 1, p = start + step; c < count; c++, p += step) {
    if (d[p] > bestScore) {
      bestScore = d[p];
      best = c;
    }
  }
  return best;
}
