// What makes an ONNX model usable as a monocular depth model: one float32 image input
// [1, 3, H, W] and a first output that is a single-channel map of the image, [1, 1, h, w],
// [1, h, w] or [h, w], with the input's aspect ratio. A detector's output ([1, 3549, 85] for
// YOLOX, [1, 85, 22, 22] for FastestDet) is a list of candidates, not a map; read as one it would
// turn into depth that is silently garbage, so it is refused here, naming the model as the user
// configured it.
import { formatShape, type TensorInfo } from './tensor';

/** How far (relative) a map's aspect ratio may differ from the input's: rounding of odd sizes. */
const ASPECT_TOLERANCE = 0.1;
/** A map coarser than 1/16 of the input per axis is not a depth map any pipeline stage can use. */
const MAX_REDUCTION = 16;

export interface DepthModelLayout {
  inputName: string;
  outputName: string;
  /** Input size; undefined where the model's input dimension is symbolic. */
  inputWidth: number | undefined;
  inputHeight: number | undefined;
}

const EXPECTED_OUTPUT = "a float32 depth map [1, 1, H, W], [1, H, W] or [H, W] with the input's aspect ratio";

/**
 * Checks the declared inputs and outputs of a would-be depth model. `what` names the model in
 * the user's words (e.g. `depth.learned_model_path = "m.onnx"`). Throws an Error saying what was
 * found and what was expected; dimensions the model leaves symbolic are checked on the first
 * result instead (checkDepthOutput).
 */
export function validateDepthModel(inputs: readonly TensorInfo[], outputs: readonly TensorInfo[], what: string): DepthModelLayout {
  if (inputs.length !== 1 || outputs.length < 1) {
    throw new Error(
      `${what}: the model has ${inputs.length} inputs and ${outputs.length} outputs; expected 1 image input [1, 3, H, W] and a depth output`,
    );
  }
  const input = inputs[0];
  const shape = input.shape;
  if (shape.length !== 4 || (typeof shape[1] === 'number' && shape[1] !== 3) || input.type !== 'float32') {
    throw new Error(`${what}: input "${input.name}" is ${input.type} ${formatShape(shape)}; expected a float32 image [1, 3, H, W]`);
  }
  const fixed = (d: number | string) => (typeof d === 'number' && d > 0 ? d : undefined);
  const layout = { inputName: input.name, outputName: outputs[0].name, inputWidth: fixed(shape[3]), inputHeight: fixed(shape[2]) };
  const out = outputs[0];
  if (out.type !== 'float32')
    throw new Error(`${what}: output "${out.name}" is ${out.type} ${formatShape(out.shape)}; expected ${EXPECTED_OUTPUT}`);
  checkMapShape(out.shape, layout, what, out.name);
  return layout;
}

/** Checks an actual output tensor's dimensions against the input size it was computed for. */
export function checkDepthOutput(dims: readonly number[], inputWidth: number, inputHeight: number, what: string, outputName: string): void {
  checkMapShape(dims, { inputWidth, inputHeight }, what, outputName);
}

function checkMapShape(
  shape: ReadonlyArray<number | string>,
  input: { inputWidth: number | undefined; inputHeight: number | undefined },
  what: string,
  name: string,
): void {
  const refuse = (why: string): never => {
    const hint = looksLikeDetections(shape) ? " It looks like a detector's candidate list: set it as detection.model_path instead." : '';
    throw new Error(`${what}: output "${name}" has shape ${formatShape(shape)}; expected ${EXPECTED_OUTPUT} (${why}).${hint}`);
  };
  if (shape.length < 2 || shape.length > 4) refuse(`it has ${shape.length} dimensions`);
  const leading = shape.slice(0, -2);
  // A symbolic leading dimension is the batch; any fixed one other than 1 is channels or anchors.
  if (leading.some((d) => typeof d === 'number' && d !== 1))
    refuse(`a map has one channel, this has ${formatShape(leading)} before its rows and columns`);
  const [h, w] = shape.slice(-2);
  if (typeof h !== 'number' || typeof w !== 'number' || input.inputWidth === undefined || input.inputHeight === undefined) return;
  const inAspect = input.inputWidth / input.inputHeight;
  if (Math.abs(w / h / inAspect - 1) > ASPECT_TOLERANCE)
    refuse(`${h} x ${w} is not the shape of a ${input.inputHeight} x ${input.inputWidth} input`);
  if (w * MAX_REDUCTION < input.inputWidth || h * MAX_REDUCTION < input.inputHeight) {
    refuse(`${h} x ${w} is coarser than 1/${MAX_REDUCTION} of the ${input.inputHeight} x ${input.inputWidth} input`);
  }
}

/** [N, K] or [1, N, K] with many rows of a few values (boxes, scores, classes). */
function looksLikeDetections(shape: ReadonlyArray<number | string>): boolean {
  const [a, b] = shape.slice(-2);
  return typeof a === 'number' && typeof b === 'number' && Math.max(a, b) >= 8 * Math.min(a, b);
}
