// Preprocessing strategy 2: the same resize/letterbox, reorder and normalisation expressed as
// an ONNX graph (built with buildOnnxModel) and run by an inference backend, so the work runs
// off the main thread and could run on an accelerator. One graph per source geometry; the batch
// dimension is symbolic so all cameras of a frame set go through in one run.
import type { Raster } from '../io/raster';
import type { BackendOptions, InferenceBackend } from './backend';
import { buildOnnxModel } from './onnx_graph_builder';
import { OnnxRuntimeBackend } from './onnxruntime_backend';
import { imageTransform, sourceChannels, type PreprocessOptions } from './preprocess_options';
import type { ImageTransform } from './image_transform';

/** The preprocessing graph for `channels`-channel uint8 images of srcWidth x srcHeight:
 * input "image" uint8 [batch, H, W, channels] -> output "tensor" float32 [batch, 3, h, w]. */
export function buildPreprocessGraph(
  opts: PreprocessOptions,
  srcWidth: number,
  srcHeight: number,
  channelIndex: readonly number[],
  channels: number,
): Uint8Array {
  const t = imageTransform(opts, srcWidth, srcHeight);
  const dw = Math.round(srcWidth * t.scaleX);
  const dh = Math.round(srcHeight * t.scaleY);
  const i64 = (v: number[]) => BigInt64Array.from(v.map(BigInt));
  return buildOnnxModel({
    name: 'dx_preprocess',
    opset: 19,
    inputs: [{ name: 'image', type: 'uint8', shape: ['batch', srcHeight, srcWidth, channels] }],
    outputs: [{ name: 'tensor', type: 'float32', shape: ['batch', 3, opts.height, opts.width] }],
    initializers: [
      { name: 'channel_index', dims: [3], data: i64([...channelIndex]) },
      { name: 'sizes', dims: [2], data: i64([dh, dw]) },
      { name: 'pads', dims: [8], data: i64([0, 0, t.padY, t.padX, 0, 0, opts.height - dh - t.padY, opts.width - dw - t.padX]) },
      { name: 'pad_value', dims: [], data: Float32Array.of(opts.padValue) },
      { name: 'mean', dims: [1, 3, 1, 1], data: Float32Array.from(opts.mean) },
      { name: 'inv_std', dims: [1, 3, 1, 1], data: Float32Array.from(opts.std, (s) => 1 / s) },
    ],
    nodes: [
      // Reorder and transpose while still uint8 (a quarter of the bytes), then go to float.
      { op: 'Gather', inputs: ['image', 'channel_index'], outputs: ['ordered'], attributes: { axis: 3 } },
      { op: 'Transpose', inputs: ['ordered'], outputs: ['chw'], attributes: { perm: [0, 3, 1, 2] } },
      { op: 'Cast', inputs: ['chw'], outputs: ['f'], attributes: { to: 1 } },
      {
        op: 'Resize',
        inputs: ['f', '', '', 'sizes'],
        outputs: ['resized'],
        attributes: { mode: 'linear', coordinate_transformation_mode: 'half_pixel', axes: [2, 3] },
      },
      { op: 'Pad', inputs: ['resized', 'pads', 'pad_value'], outputs: ['padded'], attributes: { mode: 'constant' } },
      { op: 'Sub', inputs: ['padded', 'mean'], outputs: ['centred'] },
      { op: 'Mul', inputs: ['centred', 'inv_std'], outputs: ['tensor'] },
    ],
  });
}

export class GraphPreprocessor {
  readonly #opts: PreprocessOptions;
  readonly #backendOptions: Partial<BackendOptions>;
  #backend: InferenceBackend | undefined;
  #key = '';

  constructor(opts: PreprocessOptions, backendOptions: Partial<BackendOptions> = {}) {
    this.#opts = opts;
    this.#backendOptions = backendOptions;
  }

  /** Preprocesses images that share one size and format into one float32 NCHW batch. */
  async run(images: readonly Raster[]): Promise<{ data: Float32Array; transforms: ImageTransform[] }> {
    const first = images[0];
    for (const im of images) {
      if (im.width !== first.width || im.height !== first.height || im.format !== first.format) {
        throw new Error(
          `GraphPreprocessor: images in one batch must share size and format; got ${first.width}x${first.height} ${first.format} and ${im.width}x${im.height} ${im.format}`,
        );
      }
    }
    const backend = await this.#backendFor(first);
    const plane = first.width * first.height * first.channels;
    const batch = new Uint8Array(plane * images.length);
    images.forEach((im, i) => batch.set(im.data as Uint8Array, i * plane));
    const out = await backend.run({
      image: { type: 'uint8', dims: [images.length, first.height, first.width, first.channels], data: batch },
    });
    const transform = imageTransform(this.#opts, first.width, first.height);
    return { data: out.tensor.data as Float32Array, transforms: images.map(() => transform) };
  }

  async dispose(): Promise<void> {
    await this.#backend?.dispose();
    this.#backend = undefined;
  }

  async #backendFor(raster: Raster): Promise<InferenceBackend> {
    const key = `${raster.width}x${raster.height}x${raster.format}`;
    if (this.#backend !== undefined && this.#key === key) return this.#backend;
    await this.dispose();
    const graph = buildPreprocessGraph(
      this.#opts,
      raster.width,
      raster.height,
      sourceChannels(raster, this.#opts.channelOrder),
      raster.channels,
    );
    const backend = new OnnxRuntimeBackend();
    await backend.load(graph, { ...this.#backendOptions, label: `preprocess graph ${key}` });
    this.#backend = backend;
    this.#key = key;
    return backend;
  }
}
