// Post-training static INT8 quantisation, end to end: plan which tensors to quantise, calibrate
// their ranges on model inputs, write the QDQ model. A detector's inputs are images fed through
// its own preprocessing (the detector is loaded once only to resolve its input name and
// preprocessing); any other model (a learned-depth network) takes feeds its caller prepared.
import { writeFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { Detector } from '../inference/detector';
import type { Raster } from '../io/raster';
import { calibrateRanges, type CalibrationOptions, type Feed } from './activation_ranges';
import { imageFeeds } from './calibration_images';
import { resolveFloatLayers } from './float_layers';
import { layerSensitivity } from './layer_sensitivity';
import { readModelProto } from './onnx_model_edit';
import { planQuantization, rewriteToQdq } from './qdq_rewrite';
import { sensitivityDrops, splitSensitive } from './sensitive_layers';

/** Calibration inputs the sensitivity pass of `sensitive:N` compares FP32 and INT8 on. */
const SENSITIVITY_INPUTS = 16;

export interface QuantizeSummary {
  quantizedWeights: number;
  quantizedActivations: number;
  calibrationInputs: number;
  /** MAC layers left FP32 (resolved from `keepFloat`). */
  keptFloat: string[];
  /** With `sensitive:N`: the layers it chose and each one's SQNR drop (dB) in the all-INT8 model. */
  sensitive: Array<{ node: string; dropDb: number }>;
}

/**
 * Writes the INT8 QDQ version of `modelPath` to `outPath`, calibrated on `feeds`. `keepFloat` as
 * resolveFloatLayers takes it, plus `sensitive:N`: quantise, rank the layers by SQNR drop on the
 * first calibration inputs, and keep the N that lose most in FP32 too (the ranges are reused).
 */
export async function quantizeModel(
  modelPath: string,
  outPath: string,
  feeds: Iterable<Feed> | AsyncIterable<Feed>,
  opts: CalibrationOptions,
  keepFloat: readonly string[] = [],
): Promise<QuantizeSummary> {
  const model = readModelProto(modelPath);
  const { count, named } = splitSensitive(keepFloat);
  const chosen = resolveFloatLayers(model, named);
  let plan = planQuantization(model, chosen);
  let calibrationInputs = 0;
  const firstFeeds: Feed[] = [];
  async function* counted(): AsyncGenerator<Feed> {
    for await (const f of feeds) {
      if (calibrationInputs++ < SENSITIVITY_INPUTS && count > 0) firstFeeds.push(f);
      yield f;
    }
  }
  const ranges = await calibrateRanges(model, plan.activations, counted(), opts);
  let qdq = rewriteToQdq(model, plan, ranges);
  let sensitive: QuantizeSummary['sensitive'] = [];
  if (count > 0) {
    sensitive = sensitivityDrops(model, await layerSensitivity(model, qdq, firstFeeds))
      .filter((d) => !chosen.has(d.node))
      .slice(0, count);
    plan = planQuantization(model, new Set([...chosen, ...sensitive.map((d) => d.node)]));
    qdq = rewriteToQdq(model, plan, ranges);
  }
  try {
    writeFileSync(outPath, onnx.ModelProto.encode(qdq).finish());
  } catch (err) {
    throw new Error(`--out "${outPath}" could not be written: ${(err as Error).message}`);
  }
  return {
    quantizedWeights: plan.weights.size,
    quantizedActivations: plan.activations.length,
    calibrationInputs,
    keptFloat: [...plan.keptFloat],
    sensitive,
  };
}

/** Writes the INT8 QDQ version of the detector `modelPath`, calibrated on `images` through its preprocessing. */
export async function quantizeDetector(
  modelPath: string,
  outPath: string,
  images: readonly Raster[],
  opts: CalibrationOptions,
  keepFloat: readonly string[] = [],
): Promise<QuantizeSummary> {
  const detector = await Detector.create({ modelPath, warmupRuns: 0 });
  const { inputName, preprocess } = detector.info;
  await detector.dispose();
  return quantizeModel(modelPath, outPath, imageFeeds(images, inputName, preprocess), opts, keepFloat);
}
