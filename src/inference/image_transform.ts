// The geometric map between an original camera image and the model input it was resized or
// letterboxed into. Decoders work in model-input pixels; this maps their boxes back.

/** model_x = src_x * scaleX + padX (and likewise for y). */
export interface ImageTransform {
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
  srcWidth: number;
  srcHeight: number;
}

/** Maps a model-input box to original pixels, clipped to the image. Writes into `out[0..3]`. */
export function boxToSource(t: ImageTransform, x1: number, y1: number, x2: number, y2: number, out: Float64Array): void {
  out[0] = clamp((x1 - t.padX) / t.scaleX, 0, t.srcWidth);
  out[1] = clamp((y1 - t.padY) / t.scaleY, 0, t.srcHeight);
  out[2] = clamp((x2 - t.padX) / t.scaleX, 0, t.srcWidth);
  out[3] = clamp((y2 - t.padY) / t.scaleY, 0, t.srcHeight);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
