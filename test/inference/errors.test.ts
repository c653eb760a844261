// Configuration and model errors: each names the model (or key), the tensor and what was expected.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Detector } from '../../src/inference/detector';
import { buildOnnxModel } from '../../src/inference/onnx_graph_builder';
import { requireData } from '../support/data_dir';
import { MODELS_DIR } from './photos';
import { constantDetectorModel } from './synthetic_models';

const YOLOX = join(MODELS_DIR, 'yolox_nano_416.onnx');

describe('detector errors', function () {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'dx-errors-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function save(name: string, bytes: Uint8Array | Buffer): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  it('names a missing model file', async () => {
    const path = join(dir, 'nope.onnx');
    await assert.rejects(Detector.create({ modelPath: path }), (e: Error) => e.message === `model file not found: "${path}"`);
  });

  it('names an unreadable model (garbage bytes)', async () => {
    const path = save('garbage.onnx', Buffer.from('this is not a protobuf model \x00\xff\x13 at all'));
    await assert.rejects(Detector.create({ modelPath: path }), (e: Error) => e.message.startsWith(`cannot load model "${path}": `));
  });

  it('names model, tensor and expected shape when a forced decoder does not fit the outputs', async function () {
    requireData(this, 'models/yolox_nano_416.onnx', 'models/nanodet_m_320.onnx');
    await assert.rejects(Detector.create({ modelPath: YOLOX, decoder: 'yolov8' }), (e: Error) => {
      assert.equal(
        e.message,
        `model "${YOLOX}": decoder yolov8 expects output tensor "output" of shape [batch, 4 + classes, 3549]; got [1, 3549, 85]`,
      );
      return true;
    });
    await assert.rejects(
      Detector.create({ modelPath: YOLOX, decoder: 'fastestdet' }),
      /decoder fastestdet expects output tensor "output" of shape \[batch, 5 \+ classes, 26, 26\]; got \[1, 3549, 85\]/,
    );
    await assert.rejects(
      Detector.create({ modelPath: YOLOX, decoder: 'nanodet' }),
      /decoder nanodet does not fit the outputs "output" \[1, 3549, 85\]: expected 6 outputs, found 1/,
    );
    await assert.rejects(
      Detector.create({ modelPath: join(MODELS_DIR, 'nanodet_m_320.onnx'), decoder: 'yolox' }),
      /decoder yolox expects one output tensor of shape \[batch, 2100, 5 \+ classes\]; the model has "cls_pred_stride_8" \[1, 1600, 80\]/,
    );
  });

  it('lists the candidates when auto-detection is ambiguous, and every layout when none fits', async () => {
    // 64x64 has 84 grid cells: [1, 84, 6] is both a one-class YOLOX grid and an end-to-end list.
    const ambiguous = save('ambiguous.onnx', constantDetectorModel('amb', { width: 64, height: 64 }, [84, 6], new Float32Array(84 * 6)));
    await assert.rejects(
      Detector.create({ modelPath: ambiguous }),
      /outputs "output" \[batch, 84, 6\] fit several decoders \(yolox, end2end\); set "decoder"/,
    );
    const odd = save('odd.onnx', constantDetectorModel('odd', { width: 64, height: 64 }, [10, 10], new Float32Array(100)));
    await assert.rejects(Detector.create({ modelPath: odd }), (e: Error) => {
      assert.match(e.message, /cannot detect the decoder for input 64x64 and outputs "output" \[batch, 10, 10\]/);
      for (const name of ['yolox', 'nanodet', 'fastestdet', 'yolov5', 'yolov8', 'end2end'])
        assert.match(e.message, new RegExp(`\\n  ${name}: `));
      return true;
    });
  });

  it('rejects a model whose input is not an image tensor', async () => {
    const path = save(
      'vector.onnx',
      buildOnnxModel({
        name: 'vector',
        inputs: [{ name: 'x', type: 'float32', shape: [1, 10] }],
        outputs: [{ name: 'y', type: 'float32', shape: [1, 10] }],
        nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
      }),
    );
    await assert.rejects(
      Detector.create({ modelPath: path }),
      /expected one image input \[batch, 3, height, width\] float32; the model has "x" float32 \[1, 10\]/,
    );
  });

  it('rejects an inputSize that contradicts the model, and requires one for a symbolic size', async function () {
    requireData(this, 'models/yolox_nano_416.onnx', 'models/nanodet_m_320.onnx');
    await assert.rejects(
      Detector.create({ modelPath: YOLOX, inputSize: { width: 320, height: 320 } }),
      /inputSize 320x320 does not match input "images" \[1, 3, 416, 416\]/,
    );
    const path = save(
      'symbolic.onnx',
      buildOnnxModel({
        name: 'symbolic',
        inputs: [{ name: 'images', type: 'float32', shape: ['batch', 3, 'h', 'w'] }],
        outputs: [{ name: 'output', type: 'float32', shape: ['batch', 3, 'h', 'w'] }],
        nodes: [{ op: 'Identity', inputs: ['images'], outputs: ['output'] }],
      }),
    );
    await assert.rejects(Detector.create({ modelPath: path }), /input "images" \[batch, 3, h, w\] has a symbolic size; set inputSize/);
  });

  it('names each bad option with its value and the expectation', async function () {
    requireData(this, 'models/yolox_nano_416.onnx', 'models/nanodet_m_320.onnx');
    await assert.rejects(
      Detector.create({ modelPath: YOLOX, scoreThreshold: 2, channelOrder: 'bgra' as 'bgr', std: [1, 0, 1] }),
      (e: Error) => {
        assert.match(e.message, /^detector options are invalid:\n/);
        assert.match(e.message, /\n {2}scoreThreshold = 2: Too big: expected number to be <=1/);
        assert.match(e.message, /\n {2}channelOrder = "bgra": Invalid option: expected one of "bgr"\|"rgb"/);
        assert.match(e.message, /\n {2}std = \[1,0,1\]: every std value must be > 0/);
        return true;
      },
    );
    await assert.rejects(
      Detector.create({ modelPath: YOLOX, labelsPath: join(dir, 'none.names') }),
      /labels file not found: ".*none.names"/,
    );
  });
});
