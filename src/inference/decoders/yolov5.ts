// YOLOv5-style output [batch, N, 5 + C]: rows [cx, cy, w, h, obj, class scores] in input pixels,
// already decoded by the export's Detect layer; N = 3 anchors x grid cells of strides 8/16/32.
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
  return `[batch, ${3 * gridCells(ctx.inputWidth, ctx.inputHeight)}, 5 + classes]`;
}

function fits(ctx: DecoderContext): boolean {
  if (ctx.outputs.length !== 1) return false;
  const t = ctx.outputs[0];
  return t.shape.length === 3 && dim(t, 1) === 3 * gridCells(ctx.inputWidth, ctx.inputHeight) && dim(t, 2) >= 6;
}

export const yolov5Decoder: DecoderFactory = {
  name: 'yolov5',
  layout: '[batch, N = 3 x grid cells of strides 8/16/32, 5 + classes] (cx, cy, w, h, obj, classes)',
  matches: fits,
  create(ctx: DecoderContext): DetectionDecoder {
    const out = singleOutput(ctx, 'yolov5', expected(ctx));
    if (!fits(ctx)) throw shapeError(ctx, 'yolov5', out, expected(ctx));
    const rows = dim(out, 1);
    const width = dim(out, 2);
    return {
      name: 'yolov5',
      numClasses: width - 5,
      needsNms: true,
      decode(outputs: TensorMap, batchIndex: number, threshold: number, cands: CandidateBuffer): void {
        const d = outputs[out.name].data as Float32Array;
        const base = batchIndex * rows * width;
        for (let r = 0; r < rows; r++) {
          const o = base + r * width;
          const obj = d[o + 4];
          if (obj < threshold) continue;
          const best = argmax(d, o + 5, width - 5);
          const score = obj * d[o + 5 + best];
          if (score >= threshold) cands.pushCenter(d[o], d[o + 1], d[o + 2], d[o + 3], score, best);
        }
      },
    };
  },
};
