// DetectorOptions: the one schema (zod) for configuring a detector, with every default here (the
// configuration's detection.* keys are these fields).
// Fields left unset that have a per-model preset (pre-processing, score threshold) take the
// preset of the chosen decoder, so `{ modelPath }` alone is a working configuration.
import { z } from 'zod';
import { DECODER_NAMES } from './decoders';
import { describeIssues } from './validation_errors';

const triple = z.tuple([z.number(), z.number(), z.number()]);

export const detectorOptionsSchema = z
  .object({
    /** Path of the .onnx model. */
    modelPath: z.string().min(1),
    /** Output layout; 'auto' detects it from the output shapes. */
    decoder: z.enum(['auto', ...DECODER_NAMES]).default('auto'),
    /** coco.names-style labels file; COCO-80 names when unset. */
    labelsPath: z.string().min(1).optional(),
    /** Minimum score kept (preset per decoder when unset). */
    scoreThreshold: z.number().min(0).max(1).optional(),
    /** IoU above which a lower-scored box of the same class is suppressed. */
    nmsIouThreshold: z.number().min(0).max(1).default(0.45),
    /** Most detections returned per image. */
    maxDetections: z.number().int().min(1).max(10000).default(100),
    /** Model input size; required only when the model's input has symbolic height/width. */
    inputSize: z
      .object({ width: z.number().int().min(1), height: z.number().int().min(1) })
      .strict()
      .optional(),
    /** Pre-processing overrides (preset per decoder when unset). */
    resizeMode: z.enum(['letterbox', 'resize']).optional(),
    letterboxAlign: z.enum(['topleft', 'center']).optional(),
    padValue: z.number().min(0).max(255).optional(),
    channelOrder: z.enum(['bgr', 'rgb']).optional(),
    mean: triple.optional(),
    std: triple.refine((s) => s.every((v) => v > 0), 'every std value must be > 0').optional(),
    /** end2end: boxes are normalised to [0, 1] (preset: false). */
    normalizedCoords: z.boolean().optional(),
    /** nanodet: cell-centre offset in strides (preset: 0.5). */
    centerOffset: z.number().min(0).max(1).optional(),
    /** Preprocessing strategy: 'js' typed-array loops (fastest measured), 'onnx' graph. */
    preprocess: z.enum(['js', 'onnx']).default('js'),
    /** 'auto': one run per frame set when the model has a batch dimension; 'sequential': one run per image. */
    batch: z.enum(['auto', 'sequential']).default('auto'),
    /** onnxruntime intra-op threads; 0 = runtime default (every core, which starves the stereo workers). */
    intraOpThreads: z.number().int().min(0).max(256).default(2),
    graphOptimizationLevel: z.enum(['disabled', 'basic', 'extended', 'all']).default('all'),
    /** Ordered preference; unavailable providers are skipped with a warning. */
    executionProviders: z.array(z.string().min(1)).min(1).default(['cpu']),
    /** Warm-up inferences run by Detector.create. */
    warmupRuns: z.number().int().min(0).max(100).default(1),
  })
  .strict();

export type DetectorOptionsInput = z.input<typeof detectorOptionsSchema>;
export type DetectorOptions = z.output<typeof detectorOptionsSchema>;

/** Validates options, throwing one error that names each bad key, its value and what was expected. */
export function parseDetectorOptions(input: unknown): DetectorOptions {
  const result = detectorOptionsSchema.safeParse(input);
  if (result.success) return result.data;
  throw new Error(`detector options are invalid:\n${describeIssues(result.error, input)}`);
}
