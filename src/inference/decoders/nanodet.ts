// NanoDet (GFL head) per-stride outputs: for each stride s, a class output [batch, N_s, C] of
// sigmoid scores and a distribution output [batch, N_s, 4 x (reg_max + 1)]; each side's
// distance is the expectation of the softmax over its bins, times s. N_s = cells at stride s.
import type { TensorMap } from '../backend';
import type { CandidateBuffer } from '../candidates';
import { formatShape, type TensorInfo } from '../tensor';
import { argmax, dim, type DecoderContext, type DecoderFactory, type DetectionDecoder } from './decoder';

const STRIDES = [8, 16, 32];

interface Level {
  stride: number;
  cls: TensorInfo;
  dis: TensorInfo;
  cols: number;
  rows: number;
}

function cells(ctx: DecoderContext, s: number): number {
  return Math.ceil(ctx.inputWidth / s) * Math.ceil(ctx.inputHeight / s);
}

/** Pairs outputs into levels, or returns the reason they do not fit. */
function levels(ctx: DecoderContext): Level[] | string {
  if (ctx.outputs.length !== 2 * STRIDES.length) return `expected ${2 * STRIDES.length} outputs, found ${ctx.outputs.length}`;
  const result: Level[] = [];
  for (const s of STRIDES) {
    const n = cells(ctx, s);
    const pair = ctx.outputs.filter((o) => o.shape.length === 3 && dim(o, 1) === n);
    const cls = pair.find((o) => /cls|score/i.test(o.name));
    const dis = pair.find((o) => /dis|reg|box/i.test(o.name));
    if (pair.length !== 2 || cls === undefined || dis === undefined) {
      return `stride ${s} needs "cls_pred_stride_${s}" [batch, ${n}, classes] and "dis_pred_stride_${s}" [batch, ${n}, 4 x bins]`;
    }
    if (dim(dis, 2) % 4 !== 0) return `output "${dis.name}" ${formatShape(dis.shape)} needs a last dimension of 4 x bins`;
    result.push({ stride: s, cls, dis, cols: Math.ceil(ctx.inputWidth / s), rows: Math.ceil(ctx.inputHeight / s) });
  }
  return result;
}

export const nanodetDecoder: DecoderFactory = {
  name: 'nanodet',
  layout: 'per stride 8/16/32: cls [batch, N_s, classes] + dis [batch, N_s, 4 x (reg_max + 1)]',
  matches: (ctx) => typeof levels(ctx) !== 'string',
  create(ctx: DecoderContext): DetectionDecoder {
    const lv = levels(ctx);
    if (typeof lv === 'string') {
      throw new Error(
        `model "${ctx.model}": decoder nanodet does not fit the outputs ` +
          `${ctx.outputs.map((o) => `"${o.name}" ${formatShape(o.shape)}`).join(', ')}: ${lv}`,
      );
    }
    const numClasses = dim(lv[0].cls, 2);
    const bins = dim(lv[0].dis, 2) / 4;
    const dist = new Float32Array(4);
    const prob = new Float32Array(bins);
    return {
      name: 'nanodet',
      numClasses,
      needsNms: true,
      decode(outputs: TensorMap, batchIndex: number, threshold: number, cands: CandidateBuffer): void {
        for (const level of lv) {
          const n = level.cols * level.rows;
          const cls = outputs[level.cls.name].data as Float32Array;
          const dis = outputs[level.dis.name].data as Float32Array;
          const cBase = batchIndex * n * numClasses;
          const dBase = batchIndex * n * 4 * bins;
          const s = level.stride;
          for (let i = 0; i < n; i++) {
            const o = cBase + i * numClasses;
            const best = argmax(cls, o, numClasses);
            const score = cls[o + best];
            if (score < threshold) continue;
            for (let side = 0; side < 4; side++) {
              const p = dBase + (i * 4 + side) * bins;
              let max = dis[p];
              for (let k = 1; k < bins; k++) if (dis[p + k] > max) max = dis[p + k];
              let sum = 0;
              for (let k = 0; k < bins; k++) sum += prob[k] = Math.exp(dis[p + k] - max);
              let e = 0;
              for (let k = 0; k < bins; k++) e += k * prob[k];
              dist[side] = (e / sum) * s;
            }
            const cx = ((i % level.cols) + ctx.centerOffset) * s;
            const cy = (Math.floor(i / level.cols) + ctx.centerOffset) * s;
            cands.push(cx - dist[0], cy - dist[1], cx + dist[2], cy + dist[3], score, best);
          }
        }
      },
    };
  },
};
