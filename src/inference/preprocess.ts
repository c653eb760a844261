// Preprocessing front door: turns the camera images of one frame set into one float32 NCHW
// tensor plus the per-image transforms that map boxes back. Strategies (measured in
// bench/inference.bench.ts): 'js' typed-array loops (default: fastest here) and 'onnx', a
// preprocessing graph run by onnxruntime on a worker thread.
import type { Raster } from '../io/raster';
import type { BackendOptions } from './backend';
import type { ImageTransform } from './image_transform';
import { GraphPreprocessor } from './preprocess_graph';
import { JsPreprocessor } from './preprocess_js';
import type { PreprocessOptions } from './preprocess_options';
import type { TensorLike } from './tensor';

export type PreprocessStrategy = 'js' | 'onnx';

export interface PreprocessResult {
  /** float32 [images.length, 3, height, width]. */
  tensor: TensorLike;
  /** transforms[i] maps model-input pixels of image i back to its original pixels. */
  transforms: ImageTransform[];
}

export interface Preprocessor {
  /** Preprocesses 1..n images into one batch tensor. The tensor's buffer may be reused by the
   * next call: consume it first (InferenceBackend.submit copies its feeds, so submitting is
   * enough). Reuse saves a multi-megabyte allocation and its zeroing per frame set. */
  run(images: readonly Raster[]): Promise<PreprocessResult>;
  dispose(): Promise<void>;
}

/** A preprocessor using `strategy`; 'onnx' honours `backendOptions` (threads, providers). */
export function createPreprocessor(
  strategy: PreprocessStrategy,
  opts: PreprocessOptions,
  backendOptions: Partial<BackendOptions> = {},
): Preprocessor {
  const dims = (n: number) => [n, 3, opts.height, opts.width];
  if (strategy === 'js') {
    const js = new JsPreprocessor(opts);
    let buffer = new Float32Array(0);
    return {
      run: async (images) => {
        const length = images.length * 3 * opts.width * opts.height;
        // Exactly sized (not a view of a larger one) so that what is posted to a worker is
        // just this batch; the camera count per frame set rarely changes.
        if (buffer.length !== length) buffer = new Float32Array(length);
        const data = buffer;
        const transforms = images.map((im, i) => js.writeInto(im, data, i));
        return { tensor: { type: 'float32', dims: dims(images.length), data }, transforms };
      },
      dispose: async () => undefined,
    };
  }
  const graph = new GraphPreprocessor(opts, backendOptions);
  return {
    run: async (images) => {
      const { data, transforms } = await graph.run(images);
      return { tensor: { type: 'float32', dims: dims(images.length), data }, transforms };
    },
    dispose: () => graph.dispose(),
  };
}
