// Multi-camera 2D object detector: preprocessing -> backend -> decoder -> class-aware NMS ->
// boxes in original pixels. One Detector serves all cameras of a rig; the images of one frame
// set go through in one batched run when the model has a batch dimension.
import type { Header, Detection2DArray } from '../msgs/types';
import type { Raster } from '../io/raster';
import type { InferenceBackend, InferenceJob } from './backend';
import { CandidateBuffer } from './candidates';
import { toDetection2DArray, type Detection } from './detection';
import { parseDetectorOptions, type DetectorOptions, type DetectorOptionsInput } from './detector_options';
import { boxToSource, type ImageTransform } from './image_transform';
import { DECODERS, detectDecoder, type DecoderContext, type DecoderName, type DetectionDecoder } from './decoders';
import { className, loadLabels } from './labels';
import { MODEL_PRESETS } from './model_presets';
import { nmsClassAware } from './nms';
import { OnnxRuntimeBackend } from './onnxruntime_backend';
import { createPreprocessor, type Preprocessor } from './preprocess';
import type { PreprocessOptions } from './preprocess_options';
import { formatShape, type TensorInfo } from './tensor';

export type { Detection } from './detection';

/** What Detector.create resolved from the options and the model. */
export interface DetectorInfo {
  decoder: DecoderName;
  inputName: string;
  preprocess: PreprocessOptions;
  scoreThreshold: number;
  /** Images per run: the model's fixed batch, or Infinity for a symbolic batch dimension. */
  batchSize: number;
  numClasses: number;
}

/** The single image input [batch, 3, H, W]; throws naming the model and what was expected. */
function imageInput(model: string, inputs: readonly TensorInfo[]): TensorInfo {
  const expected = '[batch, 3, height, width] float32';
  const fit =
    inputs.length === 1 &&
    inputs[0].shape.length === 4 &&
    inputs[0].type === 'float32' &&
    (inputs[0].shape[1] === 3 || typeof inputs[0].shape[1] === 'string');
  if (!fit) {
    throw new Error(
      `model "${model}": expected one image input ${expected}; the model has ` +
        inputs.map((i) => `"${i.name}" ${i.type} ${formatShape(i.shape)}`).join(', '),
    );
  }
  return inputs[0];
}

/** Input size from the model, the override, or both (which must then agree). */
function resolveInputSize(model: string, input: TensorInfo, override: DetectorOptions['inputSize']): { width: number; height: number } {
  const h = input.shape[2];
  const w = input.shape[3];
  if (typeof h === 'number' && typeof w === 'number' && h > 0 && w > 0) {
    if (override !== undefined && (override.width !== w || override.height !== h)) {
      throw new Error(
        `model "${model}": inputSize ${override.width}x${override.height} does not match input "${input.name}" ${formatShape(input.shape)}`,
      );
    }
    return { width: w, height: h };
  }
  if (override === undefined) {
    throw new Error(`model "${model}": input "${input.name}" ${formatShape(input.shape)} has a symbolic size; set inputSize`);
  }
  return override;
}

export class Detector {
  readonly #backend: InferenceBackend;
  readonly #preprocessor: Preprocessor;
  readonly #decoder: DetectionDecoder;
  readonly #labels: readonly string[];
  #opts: DetectorOptions;
  #info: DetectorInfo;
  readonly #candidates = new CandidateBuffer();
  readonly #corner = new Float64Array(4);

  private constructor(
    backend: InferenceBackend,
    preprocessor: Preprocessor,
    decoder: DetectionDecoder,
    labels: readonly string[],
    opts: DetectorOptions,
    info: DetectorInfo,
  ) {
    this.#backend = backend;
    this.#preprocessor = preprocessor;
    this.#decoder = decoder;
    this.#labels = labels;
    this.#opts = opts;
    this.#info = info;
  }

  /** Validates options, loads the model and labels, picks the decoder and warms up. Rejects
   * with an error naming the model and the problem (missing file, unreadable model, input or
   * output shapes that do not fit). */
  static async create(options: DetectorOptionsInput): Promise<Detector> {
    const opts = parseDetectorOptions(options);
    const labels = loadLabels(opts.labelsPath);
    const backend = new OnnxRuntimeBackend();
    await backend.load(opts.modelPath, {
      intraOpThreads: opts.intraOpThreads,
      graphOptimizationLevel: opts.graphOptimizationLevel,
      executionProviders: opts.executionProviders,
    });
    try {
      const model = opts.modelPath;
      const input = imageInput(model, backend.inputs());
      const size = resolveInputSize(model, input, opts.inputSize);
      const baseCtx: DecoderContext = {
        model,
        outputs: backend.outputs(),
        inputWidth: size.width,
        inputHeight: size.height,
        normalizedCoords: false,
        centerOffset: 0,
      };
      const name = opts.decoder === 'auto' ? detectDecoder(baseCtx) : opts.decoder;
      const preset = MODEL_PRESETS[name];
      const decoder = DECODERS[name].create({
        ...baseCtx,
        normalizedCoords: opts.normalizedCoords ?? preset.normalizedCoords,
        centerOffset: opts.centerOffset ?? preset.centerOffset,
      });
      const preprocess: PreprocessOptions = {
        width: size.width,
        height: size.height,
        mode: opts.resizeMode ?? preset.mode,
        letterboxAlign: opts.letterboxAlign ?? preset.letterboxAlign,
        padValue: opts.padValue ?? preset.padValue,
        channelOrder: opts.channelOrder ?? preset.channelOrder,
        mean: opts.mean ?? preset.mean,
        std: opts.std ?? preset.std,
      };
      const batchDim = input.shape[0];
      const info: DetectorInfo = {
        decoder: name,
        inputName: input.name,
        preprocess,
        scoreThreshold: opts.scoreThreshold ?? preset.scoreThreshold,
        batchSize: opts.batch === 'sequential' ? 1 : typeof batchDim === 'number' && batchDim > 0 ? batchDim : Number.POSITIVE_INFINITY,
        numClasses: decoder.numClasses,
      };
      if (decoder.numClasses > 0 && decoder.numClasses > labels.length) {
        process.emitWarning(
          `model "${model}" scores ${decoder.numClasses} classes but the labels name ${labels.length}; the rest are reported as class_<id>`,
          'DetectorWarning',
        );
      }
      // Warm up at the resolved size: backend.warmup would feed 1 for symbolic height/width.
      const warmBatch = typeof batchDim === 'number' && batchDim > 0 ? batchDim : 1;
      const warmData = new Float32Array(warmBatch * 3 * size.width * size.height);
      for (let i = 0; i < opts.warmupRuns; i++) {
        await backend.run({ [input.name]: { type: 'float32', dims: [warmBatch, 3, size.height, size.width], data: warmData } });
      }
      const preprocessor = createPreprocessor(opts.preprocess, preprocess, { intraOpThreads: opts.intraOpThreads });
      return new Detector(backend, preprocessor, decoder, labels, opts, info);
    } catch (err) {
      await backend.dispose();
      throw err;
    }
  }

  /** The decoder, input geometry, thresholds and batching this detector resolved. */
  /**
   * New thresholds for the images to come (a live configuration change): the model session
   * carries over. Throws, naming the key, on a value outside its range.
   */
  retune(thresholds: Pick<DetectorOptionsInput, 'scoreThreshold' | 'nmsIouThreshold' | 'maxDetections'>): void {
    const opts = parseDetectorOptions({ ...this.#opts, ...thresholds });
    this.#opts = opts;
    this.#info = { ...this.#info, scoreThreshold: opts.scoreThreshold ?? this.#info.scoreThreshold };
  }

  get info(): Readonly<DetectorInfo> {
    return this.#info;
  }

  /** Detects objects in each image (any mix of sizes; mono8/rgb8/bgr8/rgba8/bgra8). Returns one
   * list per image, best score first, boxes in that image's pixels. Images are batched per the
   * model's batch dimension; while one batch runs on the backend the next is preprocessed. */
  async detect(images: readonly Raster[]): Promise<Detection[][]> {
    const size = Number.isFinite(this.#info.batchSize) ? this.#info.batchSize : Math.max(images.length, 1);
    const jobs: Array<{ job: InferenceJob; transforms: ImageTransform[] }> = [];
    for (let start = 0; start < images.length; start += size) {
      const chunk = images.slice(start, start + size);
      const { tensor, transforms } = await this.#preprocessor.run(chunk);
      const feed =
        Number.isFinite(this.#info.batchSize) && chunk.length < size ? padBatch(tensor.data as Float32Array, tensor.dims, size) : tensor;
      jobs.push({ job: this.#backend.submit({ [this.#info.inputName]: feed }), transforms });
    }
    const results: Detection[][] = [];
    for (const { job, transforms } of jobs) {
      const outputs = await job.wait();
      transforms.forEach((t, i) => {
        const cands = this.#candidates;
        cands.clear();
        this.#decoder.decode(outputs, i, this.#info.scoreThreshold, cands);
        results.push(this.#finish(cands, t));
      });
    }
    return results;
  }

  /** One camera's detections as vision_msgs/Detection2DArray with the given header. */
  toDetection2DArray(dets: readonly Detection[], header: Header): Detection2DArray {
    return toDetection2DArray(dets, header);
  }

  /** Releases the model and any preprocessing runtime. The detector must not be used after. */
  async dispose(): Promise<void> {
    await this.#preprocessor.dispose();
    await this.#backend.dispose();
  }

  #finish(cands: CandidateBuffer, t: ImageTransform): Detection[] {
    // End-to-end outputs are already suppressed: an IoU threshold of 1 keeps every box.
    const iou = this.#decoder.needsNms ? this.#opts.nmsIouThreshold : 1;
    const keep = nmsClassAware(cands, iou, this.#opts.maxDetections);
    const dets: Detection[] = [];
    const c = this.#corner;
    for (const k of keep) {
      boxToSource(t, cands.boxes[4 * k], cands.boxes[4 * k + 1], cands.boxes[4 * k + 2], cands.boxes[4 * k + 3], c);
      if (c[2] <= c[0] || c[3] <= c[1]) continue; // entirely outside the image
      const classId = cands.classes[k];
      dets.push({ x1: c[0], y1: c[1], x2: c[2], y2: c[3], score: cands.scores[k], classId, className: className(this.#labels, classId) });
    }
    return dets;
  }
}

/** A fixed-batch model given fewer images: zero-fill the missing batch items. */
function padBatch(data: Float32Array, dims: readonly number[], batch: number): { type: 'float32'; dims: number[]; data: Float32Array } {
  const padded = new Float32Array((data.length / dims[0]) * batch);
  padded.set(data);
  return { type: 'float32', dims: [batch, ...dims.slice(1)], data: padded };
}
