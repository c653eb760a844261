// FastestDet output [batch, 5 + C, H/16, W/16]: per cell [obj, tx, ty, tw, th, class probs];
// score = obj^0.6 * best_class^0.4; centre (g + tanh(t)) / grid and size sigmoid(t), both
// normalised to the input, so they are scaled to input pixels here.
import type { TensorMap } from '../backend';
import type { CandidateBuffer } from '../candidates';
import { argmax, dim, shapeError, singleOutput, type DecoderContext, type DecoderFactory, type DetectionDecoder } from './decoder';

const STRIDE = 16;

function expected(ctx: DecoderContext): string {
  return `[batch, 5 + classes, ${Math.ceil(ctx.inputHeight / STRIDE)}, ${Math.ceil(ctx.inputWidth / STRIDE)}]`;
}

function fits(ctx: DecoderContext): boolean {
  if (ctx.outputs.length !== 1) return false;
  const t = ctx.outputs[0];
  return (
    t.shape.length === 4 &&
    dim(t, 1) >= 6 &&
    dim(t, 2) === Math.ceil(ctx.inputHeight / STRIDE) &&
    dim(t, 3) === Math.ceil(ctx.inputWidth / STRIDE)
  );
}

export const fastestdetDecoder: DecoderFactory = {
  name: 'fastestdet',
  layout: '[batch, 5 + classes, H/16, W/16] (obj, tx, ty, tw, th, classes per cell)',
  matches: fits,
  create(ctx: DecoderContext): DetectionDecoder {
    const out = singleOutput(ctx, 'fastestdet', expected(ctx));
    if (!fits(ctx)) throw shapeError(ctx, 'fastestdet', out, expected(ctx));
    const channels = dim(out, 1);
    const gh = dim(out, 2),
      gw = dim(out, 3);
    const plane = gh * gw;
    return {
      name: 'fastestdet',
      numClasses: channels - 5,
      needsNms: true,
      decode(outputs: TensorMap, batchIndex: number, threshold: number, cands: CandidateBuffer): void {
        const d = outputs[out.name].data as Float32Array;
        const base = batchIndex * channels * plane;
        for (let i = 0; i < plane; i++) {
          const obj = d[base + i];
          if (obj <= 0) continue;
          const best = argmax(d, base + 5 * plane + i, channels - 5, plane);
          const bestP = d[base + (5 + best) * plane + i];
          const score = Math.pow(obj, 0.6) * Math.pow(Math.max(bestP, 0), 0.4);
          if (score < threshold) continue;
          const gx = i % gw,
            gy = Math.floor(i / gw);
          const cx = ((gx + Math.tanh(d[base + plane + i])) / gw) * ctx.inputWidth;
          const cy = ((gy + Math.tanh(d[base + 2 * plane + i])) / gh) * ctx.inputHeight;
          const w = sigmoid(d[base + 3 * plane + i]) * ctx.inputWidth;
          const h = sigmoid(d[base + 4 * plane + i]) * ctx.inputHeight;
          cands.pushCenter(cx, cy, w, h, score, best);
        }
      },
    };
  },
};

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
