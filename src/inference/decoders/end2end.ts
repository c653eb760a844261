// End-to-end output [batch, N, 6]: rows [x1, y1, x2, y2, score, class] after the model's own
// suppression (YOLOv10 and RT-DETR-style exports). Coordinates in input pixels, or normalised
// to [0, 1] when the context says so.
import type { TensorMap } from '../backend';
import type { CandidateBuffer } from '../candidates';
import { dim, shapeError, singleOutput, type DecoderContext, type DecoderFactory, type DetectionDecoder } from './decoder';

const EXPECTED = '[batch, N, 6] (x1, y1, x2, y2, score, class)';

function fits(ctx: DecoderContext): boolean {
  if (ctx.outputs.length !== 1) return false;
  const t = ctx.outputs[0];
  return t.shape.length === 3 && dim(t, 2) === 6;
}

export const end2endDecoder: DecoderFactory = {
  name: 'end2end',
  layout: EXPECTED,
  matches: fits,
  create(ctx: DecoderContext): DetectionDecoder {
    const out = singleOutput(ctx, 'end2end', EXPECTED);
    if (!fits(ctx)) throw shapeError(ctx, 'end2end', out, EXPECTED);
    const sx = ctx.normalizedCoords ? ctx.inputWidth : 1;
    const sy = ctx.normalizedCoords ? ctx.inputHeight : 1;
    return {
      name: 'end2end',
      // Class count is not in the layout; labels decide the names.
      numClasses: 0,
      needsNms: false,
      decode(outputs: TensorMap, batchIndex: number, threshold: number, cands: CandidateBuffer): void {
        const t = outputs[out.name];
        const d = t.data as Float32Array;
        const rows = t.dims[1];
        const base = batchIndex * rows * 6;
        for (let r = 0; r < rows; r++) {
          const o = base + r * 6;
          const score = d[o + 4];
          if (score < threshold) continue;
          cands.push(d[o] * sx, d[o + 1] * sy, d[o + 2] * sx, d[o + 3] * sy, score, Math.round(d[o + 5]));
        }
      },
    };
  },
};
