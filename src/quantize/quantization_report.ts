// What quantisation did to a detector: FP32-vs-INT8 detection agreement over a set of images
// (both models run through the same Detector the pipeline uses) and per-layer output SQNR.
import { Detector } from '../inference/detector';
import type { Raster } from '../io/raster';
import type { Feed } from './activation_ranges';
import { imageFeeds } from './calibration_images';
import { detectionAgreement, type Agreement } from './detection_agreement';
import { layerSensitivity, type LayerSensitivity } from './layer_sensitivity';
import { readModelProto } from './onnx_model_edit';

export interface QuantizationReport {
  images: number;
  agreement: Agreement;
  layers: LayerSensitivity[];
}

async function detectAll(
  modelPath: string,
  images: readonly Raster[],
): Promise<{ dets: Awaited<ReturnType<Detector['detect']>>; info: Detector['info'] }> {
  const det = await Detector.create({ modelPath, batch: 'sequential', warmupRuns: 0 });
  try {
    const dets = [];
    for (const image of images) dets.push(...(await det.detect([image])));
    return { dets, info: det.info };
  } finally {
    await det.dispose();
  }
}

/** Compares `int8Path` with its FP32 original `fp32Path` on `images`. */
export async function compareQuantized(fp32Path: string, int8Path: string, images: readonly Raster[]): Promise<QuantizationReport> {
  const ref = await detectAll(fp32Path, images);
  const q = await detectAll(int8Path, images);
  const feeds: Feed[] = [];
  for await (const f of imageFeeds(images, ref.info.inputName, ref.info.preprocess)) feeds.push(f);
  const layers = await layerSensitivity(readModelProto(fp32Path), readModelProto(int8Path), feeds);
  return { images: images.length, agreement: detectionAgreement(ref.dets, q.dets), layers };
}
