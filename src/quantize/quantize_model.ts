// Post-training static INT8 quantisation of a detector, end to end: plan which tensors to
// quantise, calibrate their ranges on images fed through the detector's preprocessing, write
// the QDQ model. The detector is loaded once only to resolve its input name and preprocessing.
import { writeFileSync } from 'node:fs';
import { onnx } from 'onnx-proto';
import { Detector } from '../inference/detector';
import type { Raster } from '../io/raster';
import { calibrateRanges, type CalibrationOptions } from './activation_ranges';
import { imageFeeds } from './calibration_images';
import { resolveFloatLayers } from './float_layers';
import { readModelProto } from './onnx_model_edit';
import { planQuantization, rewriteToQdq } from './qdq_rewrite';

export interface QuantizeSummary {
  quantizedWeights: number;
  quantizedActivations: number;
  calibrationImages: number;
  /** MAC layers left FP32 (resolved from `keepFloat`). */
  keptFloat: string[];
}

/** Writes the INT8 QDQ version of the detector `modelPath` to `outPath`; `keepFloat` as resolveFloatLayers takes it. */
export async function quantizeDetector(
  modelPath: string, outPath: string, images: readonly Raster[], opts: CalibrationOptions, keepFloat: readonly string[] = [],
): Promise<QuantizeSummary> {
  const model = readModelProto(modelPath);
  const plan = planQuantization(model, resolveFloatLayers(model, keepFloat));
  const detector = await Detector.create({ modelPath, warmupRuns: 0 });
  const { inputName, preprocess } = detector.info;
  await detector.dispose();
  const ranges = await calibrateRanges(model, plan.activations, imageFeeds(images, inputName, preprocess), opts);
  const qdq = rewriteToQdq(model, plan, ranges);
  try {
    writeFileSync(outPath, onnx.ModelProto.encode(qdq).finish());
  } catch (err) {
    throw new Error(`--out "${outPath}" could not be written: ${(err as Error).message}`);
  }
  return { quantizedWeights: plan.weights.size, quantizedActivations: plan.activations.length, calibrationImages: images.length, keptFloat: [...plan.keptFloat] };
}
