// Adapter for learned monocular depth models run through an InferenceBackend (onnxruntime
// today). It owns the layout, not the network: resize and normalise the image to the model's
// input, accept the common output layouts ([1,H,W], [1,1,H,W] or [H,W]), and resize the map back
// to the image. Three output meanings are supported: relative inverse depth (MiDaS,
// Depth-Anything; metric only after scale_recovery.ts fits scale and shift), inverse depth in 1/m
// for the mount the model was trained for (the bundled model; scale_recovery.ts fits the scale)
// and metric depth in metres.
import { resolve } from 'node:path';
import { z } from 'zod';
import type { InferenceBackend } from '../inference/backend';
import { OnnxRuntimeBackend } from '../inference/onnxruntime_backend';
import { checkDepthOutput, validateDepthModel } from '../inference/depth_model_validation';
import { createPreprocessor } from '../inference/preprocess';
import type { Preprocessor } from '../inference/preprocess';
import type { PreprocessOptions } from '../inference/preprocess_options';
import { formatShape } from '../inference/tensor';
import type { Raster } from '../io/raster';

export const MONO_DEPTH_OUTPUTS = ['relative_inverse', 'metric_inverse', 'metric'] as const;
export type MonoDepthOutput = (typeof MONO_DEPTH_OUTPUTS)[number];

export const monoDepthOptionsSchema = z.object({
  /**
   * What the model outputs: inverse depth up to scale and shift (MiDaS, Depth-Anything), inverse
   * depth in 1/m for the mount it was trained for, up to a scale (the bundled model), or depth in
   * metres.
   */
  output: z.enum(MONO_DEPTH_OUTPUTS),
  /** Model input size; defaults to the model's declared input shape when it is fixed. */
  inputWidth: z.number().int().positive().optional(),
  inputHeight: z.number().int().positive().optional(),
  channelOrder: z.enum(['rgb', 'bgr']).default('rgb'),
  /** Per channel on the 0-255 scale, x' = (x - mean) / std; defaults are ImageNet's (MiDaS, DA). */
  mean: z.tuple([z.number(), z.number(), z.number()]).default([123.675, 116.28, 103.53]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([58.395, 57.12, 57.375]),
});
export type MonoDepthOptionsInput = z.input<typeof monoDepthOptionsSchema>;

/** Prefix of a model path inside this package (as ROS resolves package:// URLs). */
const PACKAGE_URL = 'package://dx_perception/';
/**
 * The project's own side-camera depth model (training/README.md): the default of
 * depth.learned_model_path, so a fresh install gives cameras without a stereo partner depth.
 */
export const BUNDLED_MONO_DEPTH_MODEL = `${PACKAGE_URL}models/mono_depth_side.onnx`;

/** A model path as configured, with package://dx_perception/ resolved against this package's root. */
export function resolveModelPath(path: string): string {
  return path.startsWith(PACKAGE_URL) ? resolve(__dirname, '..', '..', path.slice(PACKAGE_URL.length)) : path;
}

export interface MonoDepthMap {
  output: MonoDepthOutput;
  width: number;
  height: number;
  /** Row-major, image size: inverse depth (relative, or 1/m up to a scale) or depth in metres. */
  values: Float32Array;
}

/** Bilinear resize of a single-channel float map (pixel centres aligned, edges clamped). */
export function resizeBilinear(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const out = new Float32Array(dw * dh);
  const fx = sw / dw;
  const fy = sh / dh;
  for (let y = 0; y < dh; y++) {
    const syf = Math.min(sh - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const y0 = Math.floor(syf);
    const y1 = Math.min(sh - 1, y0 + 1);
    const wy = syf - y0;
    for (let x = 0; x < dw; x++) {
      const sxf = Math.min(sw - 1, Math.max(0, (x + 0.5) * fx - 0.5));
      const x0 = Math.floor(sxf);
      const x1 = Math.min(sw - 1, x0 + 1);
      const wx = sxf - x0;
      const top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
      const bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
      out[y * dw + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

export class MonoDepthAdapter {
  readonly output: MonoDepthOutput;
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** How an image becomes the model's input tensor (INT8 calibration feeds it the same way). */
  readonly preprocess: PreprocessOptions;
  readonly inputName: string;
  #what: string;
  #ownsBackend = false;
  #backend: InferenceBackend;
  #pre: Preprocessor;
  #outputName: string;

  /**
   * Wraps a loaded backend whose model has one float32 NCHW image input (3 channels) and one
   * depth output. `what` names the model in errors the way the user configured it (default: its
   * backend label). Throws when the model's inputs/outputs are not a depth model's
   * (validateDepthModel: a detector is refused), or when the input size is symbolic and not
   * given in the options.
   */
  constructor(backend: InferenceBackend, opts: MonoDepthOptionsInput, what = `model "${backend.label}"`) {
    const o = monoDepthOptionsSchema.parse(opts);
    const layout = validateDepthModel(backend.inputs(), backend.outputs(), what);
    const w = o.inputWidth ?? layout.inputWidth;
    const h = o.inputHeight ?? layout.inputHeight;
    if (w === undefined || h === undefined) {
      throw new Error(
        `${what}: input "${layout.inputName}" has shape ${formatShape(backend.inputs()[0].shape)}, symbolic in height or width; set inputWidth and inputHeight`,
      );
    }
    this.output = o.output;
    this.inputWidth = w;
    this.inputHeight = h;
    this.#what = what;
    this.#backend = backend;
    this.#outputName = layout.outputName;
    this.preprocess = {
      width: w,
      height: h,
      mode: 'resize',
      letterboxAlign: 'topleft',
      padValue: 0,
      channelOrder: o.channelOrder,
      mean: o.mean,
      std: o.std,
    };
    this.inputName = layout.inputName;
    this.#pre = createPreprocessor('js', this.preprocess);
  }

  /**
   * Loads the model at `path` (package://dx_perception/ resolved) on its own onnxruntime session,
   * which dispose() releases. `key` is the configuration key that named it, for errors.
   */
  static async load(path: string, opts: MonoDepthOptionsInput, key: string, intraOpThreads: number): Promise<MonoDepthAdapter> {
    const what = `${key} = "${path}"`;
    const backend = new OnnxRuntimeBackend();
    try {
      await backend.load(resolveModelPath(path), { intraOpThreads, label: what });
      const adapter = new MonoDepthAdapter(backend, opts, what);
      adapter.#ownsBackend = true;
      return adapter;
    } catch (err) {
      await backend.dispose();
      const message = (err as Error).message.replace(`model "${what}": `, '');
      throw new Error(message.startsWith(what) ? message : `${what}: ${message}`);
    }
  }

  /** Runs the model on one image and returns its map at the image's size. */
  async predict(image: Raster): Promise<MonoDepthMap> {
    const { tensor } = await this.#pre.run([image]);
    const outputs = await this.#backend.run({ [this.inputName]: tensor });
    const out = outputs[this.#outputName];
    const dims = out.dims;
    if (!(out.data instanceof Float32Array))
      throw new Error(`${this.#what}: output "${this.#outputName}" is ${out.type}; expected float32`);
    checkDepthOutput(dims, this.inputWidth, this.inputHeight, this.#what, this.#outputName);
    const [oh, ow] = dims.slice(-2);
    const values =
      ow === image.width && oh === image.height ? out.data.slice() : resizeBilinear(out.data, ow, oh, image.width, image.height);
    return { output: this.output, width: image.width, height: image.height, values };
  }

  /** Releases the preprocessor, and the backend when load() made it (else it stays the caller's). */
  async dispose(): Promise<void> {
    await this.#pre.dispose();
    if (this.#ownsBackend) await this.#backend.dispose();
  }
}
