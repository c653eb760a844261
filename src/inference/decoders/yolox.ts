// YOLOX raw grid output [batch, N, 5 + C]: rows are grid cells of strides 8, 16, 32 in order,
// row-major, holding [x, y, log w, log h, obj, class scores] with obj/class already sigmoid.
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

const STRIDES = [8, 16, 32];

function expected(ctx: DecoderContext): string {
  return `[batch, ${gridCells(ctx.inputWidth, ctx.inputHeight, STRIDES)}, 5 + classes]`;
}

function fits(ctx: DecoderContext): boolean {
  if (ctx.outputs.length !== 1) return false;
  const t = ctx.outputs[0];
  return t.shape.length === 3 && dim(t, 1) === gridCells(ctx.inputWidth, ctx.inputHeight, STRIDES) && dim(t, 2) >= 6;
}

/** Per row: grid x, grid y and stride, in the export's row order. */
function gridTables(width: number, height: number): { gx: Float32Array; gy: Float32Array; stride: Float32Array } {
  const n = gridCells(width, height, STRIDES);
  const gx = new Float32Array(n),
    gy = new Float32Array(n),
    stride = new Float32Array(n);
  let i = 0;
  for (const s of STRIDES) {
    const gw = Math.ceil(width / s),
      gh = Math.ceil(height / s);
    for (let y = 0; y < gh; y++) {
      for (let x = 0; x < gw; x++, i++) {
        gx[i] = x;
        gy[i] = y;
        stride[i] = s;
      }
    }
  }
  return { gx, gy, stride };
}

export const yoloxDecoder: DecoderFactory = {
  name: 'yolox',
  layout: '[batch, N = grid cells of strides 8/16/32, 5 + classes] (raw grid)',
  matches: fits,
  create(ctx: DecoderContext): DetectionDecoder {
    const out = singleOutput(ctx, 'yolox', expected(ctx));
    if (!fits(ctx)) throw shapeError(ctx, 'yolox', out, expected(ctx));
    const rows = dim(out, 1);
    const width = dim(out, 2);
    const { gx, gy, stride } = gridTables(ctx.inputWidth, ctx.inputHeight);
    return {
      name: 'yolox',
      numClasses: width - 5,
      needsNms: true,
      decode(outputs: TensorMap, batchIndex: number, threshold: number, cands: CandidateBuffer): void {
        const d = outputs[out.name].data as Float32Array;
        const base = batchIndex * rows * width;
        for (let r = 0; r < rows; r++) {
          const o = base + r * width;
          const obj = d[o + 4];
          if (obj < threshold) continue; // score = obj * class <= obj
          const best = argmax(d, o + 5, width - 5);
          const score = obj * d[o + 5 + best];
          if (score < threshold) continue;
          const s = stride[r];
          cands.pushCenter((d[o] + gx[r]) * s, (d[o + 1] + gy[r]) * s, Math.exp(d[o + 2]) * s, Math.exp(d[o + 3]) * s, score, best);
        }
      },
    };
  },
};
