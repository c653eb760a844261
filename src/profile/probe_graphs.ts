// The probes that are small networks rather than single operators, and the one-input model shape
// every probe shares. Split from host_probes.ts, which times them.
import { buildOnnxModel, type OnnxInitializer, type OnnxNode } from '../inference/onnx_graph_builder';

/**
 * A one-input model of `nodes` from x (shape `input`) to the tensor `full`, whose output y is
 * full's first element: handing a whole tensor back to JavaScript would time a copy the probe is
 * not about.
 */
export function opModel(name: string, input: number[], nodes: OnnxNode[], initializers: OnnxInitializer[] = []): Uint8Array {
  // Flattened first: onnxruntime's transpose optimiser would move a Slice ahead of a Transpose
  // and transpose one element.
  return buildOnnxModel({
    name,
    inputs: [{ name: 'x', type: 'float32', shape: input }],
    outputs: [{ name: 'y', type: 'float32', shape: [1, 1] }],
    initializers: [
      ...initializers,
      { name: 'flat', dims: [2], data: BigInt64Array.of(1n, -1n) },
      { name: 'first', dims: [2], data: BigInt64Array.of(0n, 0n) },
      { name: 'one', dims: [2], data: BigInt64Array.of(1n, 1n) },
    ],
    nodes: [
      ...nodes,
      { op: 'Reshape', inputs: ['full', 'flat'], outputs: ['flattened'] },
      { op: 'Slice', inputs: ['flattened', 'first', 'one'], outputs: ['y'] },
    ],
  });
}

/** Channels and size of the network probe: YOLOX-nano's stage 2 (32 channels at 52x52). */
const NETWORK_CHANNELS = 32;
export const NETWORK_SHAPE = [1, NETWORK_CHANNELS, 52, 52];
const NETWORK_BLOCKS = 4;

/**
 * A small network in the detectors' pattern, timed whole: per block a 1x1 Conv, SiLU, a 3x3
 * depthwise Conv, SiLU, a Concat with the block's input and a 1x1 Conv back to 32 channels. What
 * it takes beyond the sum of its layers' probe-rate times is what a runtime spends between nodes
 * of a real graph (thread-pool hand-offs, buffer reuse), which a chain of tiny nodes misses.
 */
export function networkProbeModel(): Uint8Array {
  const c = NETWORK_CHANNELS;
  const w = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => (((i * k) % 7) - 3) / 50);
  const conv = (x: string, wName: string, out: string, k: number, group = 1): OnnxNode => ({
    op: 'Conv',
    inputs: [x, wName],
    outputs: [out],
    attributes: { kernel_shape: [k, k], pads: new Array<number>(4).fill((k - 1) / 2), group },
  });
  const silu = (x: string, out: string): OnnxNode[] => [
    { op: 'Sigmoid', inputs: [x], outputs: [`${out}_s`] },
    { op: 'Mul', inputs: [x, `${out}_s`], outputs: [out] },
  ];
  const nodes: OnnxNode[] = [];
  let prev = 'x';
  for (let b = 0; b < NETWORK_BLOCKS; b++) {
    const out = b === NETWORK_BLOCKS - 1 ? 'full' : `b${b}`;
    nodes.push(conv(prev, 'w_pw', `b${b}_pw`, 1), ...silu(`b${b}_pw`, `b${b}_a`));
    nodes.push(conv(`b${b}_a`, 'w_dw', `b${b}_dw`, 3, c), ...silu(`b${b}_dw`, `b${b}_d`));
    nodes.push({ op: 'Concat', inputs: [`b${b}_d`, prev], outputs: [`b${b}_cat`], attributes: { axis: 1 } });
    nodes.push(conv(`b${b}_cat`, 'w_red', out, 1));
    prev = out;
  }
  return opModel('host_network_probe', NETWORK_SHAPE, nodes, [
    { name: 'w_pw', dims: [c, c, 1, 1], data: w(c * c, 1) },
    { name: 'w_dw', dims: [c, 1, 3, 3], data: w(c * 9, 2) },
    { name: 'w_red', dims: [c, 2 * c, 1, 1], data: w(2 * c * c, 3) },
  ]);
}

/** Channels and size of the serial-node probe: off the channel block, so no layout reorders. */
const SERIAL_CHANNELS = 24;
export const SERIAL_SHAPE = [1, SERIAL_CHANNELS, 40, 40];
const SERIAL_BLOCKS = 6;

/**
 * A network in the pattern of NanoDet's heads, timed whole: per block a 1x1 Conv (which the
 * runtime splits over its threads) and four nodes it runs on the calling thread alone (Reshape,
 * a Slice of half the channels, Reshape back, a Concat of the half with itself). Its time beyond
 * its layers and their dispatch is what a serial node costs while the pool spins.
 */
export function serialProbeModel(): Uint8Array {
  const c = SERIAL_CHANNELS;
  const [, , h, w] = SERIAL_SHAPE;
  const nodes: OnnxNode[] = [];
  let prev = 'x';
  for (let b = 0; b < SERIAL_BLOCKS; b++) {
    nodes.push(
      { op: 'Conv', inputs: [prev, 'w'], outputs: [`s${b}_c`], attributes: { kernel_shape: [1, 1] } },
      { op: 'Reshape', inputs: [`s${b}_c`, 'rows'], outputs: [`s${b}_r`] },
      { op: 'Slice', inputs: [`s${b}_r`, 'from', 'half', 'axis'], outputs: [`s${b}_s`] },
      { op: 'Reshape', inputs: [`s${b}_s`, 'image'], outputs: [`s${b}_q`] },
      {
        op: 'Concat',
        inputs: [`s${b}_q`, `s${b}_q`],
        outputs: [b === SERIAL_BLOCKS - 1 ? 'full' : `s${b}`],
        attributes: { axis: 1 },
      },
    );
    prev = b === SERIAL_BLOCKS - 1 ? 'full' : `s${b}`;
  }
  return opModel('host_serial_probe', SERIAL_SHAPE, nodes, [
    { name: 'w', dims: [c, c, 1, 1], data: Float32Array.from({ length: c * c }, (_, i) => ((i % 5) - 2) / 40) },
    { name: 'rows', dims: [3], data: BigInt64Array.of(1n, BigInt(c), BigInt(h * w)) },
    { name: 'from', dims: [1], data: BigInt64Array.of(0n) },
    { name: 'half', dims: [1], data: BigInt64Array.of(BigInt(c / 2)) },
    { name: 'axis', dims: [1], data: BigInt64Array.of(1n) },
    { name: 'image', dims: [4], data: BigInt64Array.of(1n, BigInt(c / 2), BigInt(h), BigInt(w)) },
  ]);
}
