// Adapter for learned monocular depth models run through an InferenceBackend (onnxruntime
// today). It owns the layout, not the network: resize and normalise the image to the model's
// input, accept the common output layouts ([1,H,W], [1,1,H,W] or [H,W]), and resize the map back
// to the image. Two output meanings are supported: relative inverse depth (MiDaS,
// Depth-Anything; metric only after scale_recovery.ts) and metric depth in metres.
import { z } from 'zod';
import type { InferenceBackend } from '../inference/backend';
import { createPreprocessor } from '../inference/preprocess';
import type { Preprocessor } from '../inference/preprocess';
import { formatShape } from '../inference/tensor';
import type { Raster } from '../io/raster';

export const monoDepthOptionsSchema = z.object({
  /** What the model outputs: inverse depth up to scale and shift, or depth in metres. */
  output: z.enum(['relative_inverse', 'metric']),
  /** Model input size; defaults to the model's declared input shape when it is fixed. */
  inputWidth: z.number().int().positive().optional(),
  inputHeight: z.number().int().positive().optional(),
  channelOrder: z.enum(['rgb', 'bgr']).default('rgb'),
  /** Per channel on the 0-255 scale, x' = (x - mean) / std; defaults are ImageNet's (MiDaS, DA). */
  mean: z.tuple([z.number(), z.number(), z.number()]).default([123.675, 116.28, 103.53]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]).default([58.395, 57.12, 57.375]),
});
export type MonoDepthOptionsInput = z.input<typeof monoDepthOptionsSchema>;

export interface MonoDepthMap {
  output: 'relative_inverse' | 'metric';
  width: number;
  height: number;
  /** Row-major, image size: relative inverse depth (unitless) or depth in metres. */
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
  readonly output: 'relative_inverse' | 'metric';
  readonly inputWidth: number;
  readonly inputHeight: number;
  #backend: InferenceBackend;
  #pre: Preprocessor;
  #inputName: string;
  #outputName: string;

  /**
   * Wraps a loaded backend whose model has one float32 NCHW image input (3 channels) and one
   * depth output. Throws when the model's inputs/outputs do not look like that, or when the
   * input size is symbolic and not given in the options.
   */
  constructor(backend: InferenceBackend, opts: MonoDepthOptionsInput) {
    const o = monoDepthOptionsSchema.parse(opts);
    const inputs = backend.inputs();
    const outputs = backend.outputs();
    if (inputs.length !== 1 || outputs.length < 1) {
      throw new Error(`MonoDepthAdapter: model "${backend.label}" has ${inputs.length} inputs and ${outputs.length} outputs; expected 1 image input and a depth output`);
    }
    const shape = inputs[0].shape;
    if (shape.length !== 4 || (typeof shape[1] === 'number' && shape[1] !== 3)) {
      throw new Error(`MonoDepthAdapter: model "${backend.label}" input "${inputs[0].name}" has shape ${formatShape(shape)}; expected [1, 3, H, W]`);
    }
    const fixed = (d: number | string) => (typeof d === 'number' && d > 0 ? d : undefined);
    const w = o.inputWidth ?? fixed(shape[3]);
    const h = o.inputHeight ?? fixed(shape[2]);
    if (w === undefined || h === undefined) {
      throw new Error(`MonoDepthAdapter: model "${backend.label}" input shape ${formatShape(shape)} is symbolic; set inputWidth and inputHeight`);
    }
    this.output = o.output;
    this.inputWidth = w;
    this.inputHeight = h;
    this.#backend = backend;
    this.#inputName = inputs[0].name;
    this.#outputName = outputs[0].name;
    this.#pre = createPreprocessor('js', {
      width: w, height: h, mode: 'resize', letterboxAlign: 'topleft', padValue: 0,
      channelOrder: o.channelOrder, mean: o.mean, std: o.std,
    });
  }

  /** Runs the model on one image and returns its map at the image's size. */
  async predict(image: Raster): Promise<MonoDepthMap> {
    const { tensor } = await this.#pre.run([image]);
    const outputs = await this.#backend.run({ [this.#inputName]: tensor });
    const out = outputs[this.#outputName];
    const dims = out.dims;
    const [oh, ow] = dims.slice(-2);
    const leading = dims.slice(0, -2);
    if (dims.length < 2 || dims.length > 4 || leading.some((d) => d !== 1) || !(out.data instanceof Float32Array)) {
      throw new Error(
        `MonoDepthAdapter: model "${this.#backend.label}" output "${this.#outputName}" is ${out.type} ${formatShape(dims)}; ` +
          'expected float32 [1, H, W], [1, 1, H, W] or [H, W]',
      );
    }
    const values = ow === image.width && oh === image.height ? out.data.slice() : resizeBilinear(out.data, ow, oh, image.width, image.height);
    return { output: this.output, width: image.width, height: image.height, values };
  }

  /** Releases the preprocessor; the backend stays the caller's. */
  async dispose(): Promise<void> {
    await this.#pre.dispose();
  }
}
