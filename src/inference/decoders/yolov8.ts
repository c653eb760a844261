// YOLOv8 / YOLO11-style output [batch, 4 + C, N]: channel-major, rows cx, cy, w, h in input
// pixels then one score row per class; N = grid cells of strides 8/16/32. No objectness.
import type { TensorMap } from '../backend';
import type { CandidateBuffer } from '../candidates';
import {
  argmax,
  dim,
  gridCells,
  shapeError,
  singleOutput,
  type DecoderContext,
  type DecoderFactory,
  type DetectionDecoder,
} from './decoder';

function expected(ctx: DecoderContext): string {
  return `[batch, 4 + classes, ${gridCells(ctx.inputWidth, ctx.inputHeight)}]`;
}

function fits(ctx: DecoderContext): boolean {
  if (ctx.outputs.length !== 1) return false;
  const t = ctx.outputs[0];
  return t.shape.length === 3 && dim(t, 2) === gridCells(ctx.inputWidth, ctx.inputHeight) && dim(t, 1) >= 5;
}

export const yolov8Decoder: DecoderFactory = {
  name: 'yolov8',
  layout: '[batch, 4 + classes, N = grid cells of strides 8/16/32] (channel-major)',
  matches: fits,
  create(ctx: DecoderContext): DetectionDecoder {
    const out = singleOutput(ctx, 'yolov8', expected(ctx));
    if (!fits(ctx)) throw shapeError(ctx, 'yolov8', out, expected(ctx));
    const channels = dim(out, 1);
    const n = dim(out, 2);
    return {
      name: 'yolov8',
      numClasses: channels - 4,
      needsNms: true,
      decode(outputs: TensorMap, batchIndex: number, threshold: number, cands: CandidateBuffer): void {
        const d = outputs[out.name].data as Float32Array;
        const base = batchIndex * channels * n;
        for (let i = 0; i < n; i++) {
          const best = argmax(d, base + 4 * n + i, channels - 4, n);
          const bestScore = d[base + (4 + best) * n + i];
          if (bestScore < threshold) continue;
          cands.pushCenter(d[base + i], d[base + n + i], d[base + 2 * n + i], d[base + 3 * n + i], bestScore, best);
        }
      },
    };
  },
};
