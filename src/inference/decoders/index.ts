// Decoder registry and auto-detection from the model's output layout.
import { formatShape } from '../tensor';
import type { DecoderContext, DecoderFactory, DecoderName, DetectionDecoder } from './decoder';
import { end2endDecoder } from './end2end';
import { fastestdetDecoder } from './fastestdet';
import { nanodetDecoder } from './nanodet';
import { yolov5Decoder } from './yolov5';
import { yolov8Decoder } from './yolov8';
import { yoloxDecoder } from './yolox';

export { DECODER_NAMES, type DecoderContext, type DecoderName, type DetectionDecoder } from './decoder';

export const DECODERS: Readonly<Record<DecoderName, DecoderFactory>> = {
  yolox: yoloxDecoder,
  nanodet: nanodetDecoder,
  fastestdet: fastestdetDecoder,
  yolov5: yolov5Decoder,
  yolov8: yolov8Decoder,
  end2end: end2endDecoder,
};

/** The decoder whose layout the outputs fit. Throws when none fits (listing every layout) or
 * when several do (listing the candidates, so the user can set `decoder` explicitly). */
export function detectDecoder(ctx: DecoderContext): DecoderName {
  const fitting = Object.values(DECODERS).filter((f) => f.matches(ctx));
  if (fitting.length === 1) return fitting[0].name;
  const outputs = ctx.outputs.map((o) => `"${o.name}" ${formatShape(o.shape)}`).join(', ');
  if (fitting.length === 0) {
    const layouts = Object.values(DECODERS)
      .map((f) => `  ${f.name}: ${f.layout}`)
      .join('\n');
    throw new Error(
      `model "${ctx.model}": cannot detect the decoder for input ${ctx.inputWidth}x${ctx.inputHeight} and outputs ${outputs}; ` +
        `known layouts:\n${layouts}`,
    );
  }
  throw new Error(
    `model "${ctx.model}": outputs ${outputs} fit several decoders (${fitting.map((f) => f.name).join(', ')}); set "decoder" to one of them`,
  );
}

/** Builds the named decoder, or the auto-detected one for 'auto'. */
export function createDecoder(name: DecoderName | 'auto', ctx: DecoderContext): DetectionDecoder {
  return DECODERS[name === 'auto' ? detectDecoder(ctx) : name].create(ctx);
}
