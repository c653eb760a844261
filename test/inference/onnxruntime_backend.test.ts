// The onnxruntime backend: metadata, feed validation, submit/wait/callback, warm-up, provider
// fallback, and inference off the main thread.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { buildOnnxModel } from '../../src/inference/onnx_graph_builder';
import { OnnxRuntimeBackend } from '../../src/inference/onnxruntime_backend';
import type { TensorMap } from '../../src/inference/backend';
import { MODELS_DIR } from './photos';
import { requireData } from '../support/data_dir';

/** y = 2x + 1 over a [batch, 4] input. */
const AFFINE = buildOnnxModel({
  name: 'affine',
  inputs: [{ name: 'x', type: 'float32', shape: ['batch', 4] }],
  outputs: [{ name: 'y', type: 'float32', shape: ['batch', 4] }],
  initializers: [
    { name: 'two', dims: [], data: Float32Array.of(2) },
    { name: 'one', dims: [], data: Float32Array.of(1) },
  ],
  nodes: [
    { op: 'Mul', inputs: ['x', 'two'], outputs: ['t'] },
    { op: 'Add', inputs: ['t', 'one'], outputs: ['y'] },
  ],
});

describe('OnnxRuntimeBackend', () => {
  let backend: OnnxRuntimeBackend;
  beforeEach(async () => {
    backend = new OnnxRuntimeBackend();
    await backend.load(AFFINE, { label: 'affine' });
  });
  afterEach(() => backend.dispose());

  it('reports input/output metadata with symbolic dimensions', () => {
    assert.deepEqual(backend.inputs(), [{ name: 'x', type: 'float32', shape: ['batch', 4] }]);
    assert.deepEqual(backend.outputs(), [{ name: 'y', type: 'float32', shape: ['batch', 4] }]);
    assert.equal(backend.label, 'affine');
  });

  it('runs, and lets the caller reuse its feed buffer as soon as submit returns', async () => {
    const x = Float32Array.of(0, 1, 2, 3, 4, 5, 6, 7);
    const job = backend.submit({ x: { type: 'float32', dims: [2, 4], data: x } });
    x.fill(100);
    const out = await job.wait();
    assert.deepEqual(out.y.dims, [2, 4]);
    assert.deepEqual(Array.from(out.y.data as Float32Array), [1, 3, 5, 7, 9, 11, 13, 15]);
  });

  it('completes jobs through callbacks as well as promises', async () => {
    const job = backend.submit({ x: { type: 'float32', dims: [1, 4], data: Float32Array.of(1, 1, 1, 1) } });
    const viaCallback = await new Promise<TensorMap>((resolve, reject) => job.onDone((err, out) => (err ? reject(err) : resolve(out!))));
    assert.deepEqual(Array.from(viaCallback.y.data as Float32Array), [3, 3, 3, 3]);
  });

  it('rejects feeds that do not fit, naming model, tensor and expected shape', () => {
    assert.throws(() => backend.submit({ x: { type: 'float32', dims: [1, 5], data: new Float32Array(5) } }), {
      message: 'model "affine": input tensor "x" has shape [1, 5]; expected [batch, 4]',
    });
    assert.throws(() => backend.submit({}), { message: 'model "affine": missing input tensor "x" (expected float32 [batch, 4])' });
    assert.throws(
      () => backend.submit({ x: { type: 'uint8', dims: [1, 4], data: new Uint8Array(4) } }),
      /input tensor "x" has type uint8; expected float32/,
    );
  });

  it('warms up with zero inputs', async () => {
    await backend.warmup(2);
  });

  it('skips an unavailable execution provider with a warning and runs on CPU', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const b = new OnnxRuntimeBackend();
    try {
      await b.load(AFFINE, { executionProviders: ['no-such-npu', 'cpu'] });
      const out = await b.run({ x: { type: 'float32', dims: [1, 4], data: new Float32Array(4) } });
      assert.deepEqual(Array.from(out.y.data as Float32Array), [1, 1, 1, 1]);
      await new Promise((r) => setImmediate(r));
      assert.ok(
        warnings.some((w) => w.includes('"no-such-npu" is not available')),
        warnings.join('\n'),
      );
    } finally {
      process.off('warning', onWarning);
      await b.dispose();
    }
  });

  it('keeps the event loop free while a real model runs', async function () {
    requireData(this, 'models/yolox_nano_416.onnx');
    const yolox = new OnnxRuntimeBackend();
    await yolox.load(join(MODELS_DIR, 'yolox_nano_416.onnx'), { intraOpThreads: 1 });
    try {
      const feed = { images: { type: 'float32' as const, dims: [1, 3, 416, 416], data: new Float32Array(3 * 416 * 416) } };
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const t0 = Date.now();
      await Promise.all([yolox.run(feed), yolox.run(feed), yolox.run(feed)]);
      const elapsed = Date.now() - t0;
      clearInterval(timer);
      // A synchronous run would starve the 1 ms timer for the whole ~3 x 20 ms.
      assert.ok(ticks >= Math.min(10, elapsed / 4), `${ticks} timer ticks in ${elapsed} ms of inference`);
    } finally {
      await yolox.dispose();
    }
  });

  it('rejects submit after dispose', async () => {
    await backend.dispose();
    assert.throws(() => backend.submit({}), /submit before load \(or after dispose\) for "affine"/);
  });
});
