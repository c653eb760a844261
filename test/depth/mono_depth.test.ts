// Learned-depth adapter: layouts and scale recovery, with tiny ONNX models built here whose
// output is a known function of the input pixels. The image encodes a known inverse-depth map
// (affinely, as a relative model would), so the recovered scale/shift and metric depth can be
// checked against the scene's truth.
import { strict as assert } from 'node:assert';
import { mat4 } from 'gl-matrix';
import { buildOnnxModel } from '../../src/inference/onnx_graph_builder';
import { OnnxRuntimeBackend } from '../../src/inference/onnxruntime_backend';
import type { Raster } from '../../src/io/raster';
import { MonoDepthAdapter, resizeBilinear } from '../../src/depth/mono_depth';
import { applyScaleShift, fitScaleShift, inverseDepthFromGround, inverseDepthFromStereo } from '../../src/depth/scale_recovery';
import type { Pinhole } from '../../src/geometry/pinhole';

const W = 160;
const H = 120;
const K: Pinhole = { fx: 115, fy: 115, cx: 79.5, cy: 59.5, width: W, height: H };
const CAMERA_HEIGHT = 0.8;
const PITCH = (10 * Math.PI) / 180;

/** base_link <- optical frame of a camera CAMERA_HEIGHT up, looking along +x, pitched down. */
function mount(): mat4 {
  const s = Math.sin(PITCH),
    c = Math.cos(PITCH);
  return mat4.fromValues(0, -1, 0, 0, -s, 0, -c, 0, c, 0, -s, 0, 0, 0, CAMERA_HEIGHT, 1);
}

/** True optical depth of the flat ground for the mounted camera (NaN above the horizon). */
function groundDepth(): Float32Array {
  const s = Math.sin(PITCH),
    c = Math.cos(PITCH);
  const out = new Float32Array(W * H);
  for (let v = 0; v < H; v++) {
    for (let u = 0; u < W; u++) {
      // base_link z of the ray with optical depth 1: the mount's y and z columns have z = -c, -s.
      const rz = -c * ((v - K.cy) / K.fy) - s;
      out[v * W + u] = rz < 0 ? CAMERA_HEIGHT / -rz : NaN;
    }
  }
  return out;
}

/** An rgb8 image whose grey level is a·(1/z) + b (sky: a fixed low value), i.e. a relative map. */
function encode(depth: Float32Array, a: number, b: number): Raster<Uint8Array> {
  const data = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) {
    const g = Number.isNaN(depth[i]) ? b : Math.min(255, a / depth[i] + b);
    data.fill(Math.round(g), 3 * i, 3 * i + 3);
  }
  return { width: W, height: H, channels: 3, format: 'rgb8', data };
}

/** A model computing the channel mean of its [1,3,h,w] input; `squeeze` drops the channel axis. */
function meanModel(h: number, w: number, squeeze: boolean, times?: number): Uint8Array {
  const mean = {
    op: 'ReduceMean',
    inputs: ['image'],
    outputs: [times ? 'm' : 'depth'],
    attributes: { axes: [1], keepdims: squeeze ? 0 : 1 },
  };
  const nodes = times ? [mean, { op: 'Mul', inputs: ['m', 'k'], outputs: ['depth'] }] : [mean];
  return buildOnnxModel({
    name: 'mean_depth',
    inputs: [{ name: 'image', type: 'float32', shape: [1, 3, h, w] }],
    outputs: [{ name: 'depth', type: 'float32', shape: squeeze ? [1, h, w] : [1, 1, h, w] }],
    initializers: times ? [{ name: 'k', dims: [1], data: new Float32Array([times]) }] : [],
    nodes,
  });
}

async function adapterFor(
  model: Uint8Array,
  output: 'relative_inverse' | 'metric',
): Promise<{ adapter: MonoDepthAdapter; backend: OnnxRuntimeBackend }> {
  const backend = new OnnxRuntimeBackend();
  await backend.load(model, { label: `test ${output}` });
  // mean 0, std 1: the model sees raw 0-255 grey levels, so its output is the encoded map.
  return { adapter: new MonoDepthAdapter(backend, { output, mean: [0, 0, 0], std: [1, 1, 1] }), backend };
}

describe('depth/mono_depth adapter and scale recovery', function () {
  this.timeout(20000);
  const truth = groundDepth();

  for (const squeeze of [false, true]) {
    it(`relative inverse depth, output ${squeeze ? '[1,H,W]' : '[1,1,H,W]'}: recovers metric ground depth from the camera height`, async () => {
      const { adapter, backend } = await adapterFor(meanModel(60, 80, squeeze), 'relative_inverse');
      try {
        const a = 90,
          b = 20;
        const map = await adapter.predict(encode(truth, a, b));
        assert.equal(map.width, W);
        assert.equal(map.height, H);
        const reference = inverseDepthFromGround(K, mount());
        const fit = fitScaleShift(map.values, reference);
        // reference = 1/z = (g - b) / a  =>  scale = 1/a, shift = -b/a (8-bit rounding and resizing aside)
        assert.ok(Math.abs(fit.scale * a - 1) < 0.03, `scale ${fit.scale} vs ${1 / a}`);
        assert.ok(Math.abs(fit.shift + b / a) < 0.03, `shift ${fit.shift} vs ${-b / a}`);
        const metric = applyScaleShift(map.values, fit);
        const errs: number[] = [];
        for (let i = 0; i < truth.length; i++)
          if (truth[i] < 10 && Number.isFinite(metric[i])) errs.push(Math.abs(metric[i] - truth[i]) / truth[i]);
        errs.sort((x, y) => x - y);
        assert.ok(errs.length > W * H * 0.4, `too few ground pixels compared: ${errs.length}`);
        assert.ok(errs[errs.length >> 1] < 0.03, `median relative error ${errs[errs.length >> 1]}`);
      } finally {
        await adapter.dispose();
        await backend.dispose();
      }
    });
  }

  it('metric output is returned in metres at the image size', async () => {
    const { adapter, backend } = await adapterFor(meanModel(H, W, true, 0.05), 'metric');
    try {
      const img = encode(truth, 90, 20);
      const map = await adapter.predict(img);
      assert.equal(map.output, 'metric');
      for (const i of [0, 5000, W * H - 1]) assert.ok(Math.abs(map.values[i] - img.data[3 * i] * 0.05) < 1e-4, `pixel ${i}`);
    } finally {
      await adapter.dispose();
      await backend.dispose();
    }
  });

  it('scale from stereo: robust to wrong stereo pixels', () => {
    // Relative map r = (1/z - t) / s with s = 0.02, t = 0.05; stereo disparity d = fB/z, 30% corrupted.
    const fx = 115,
      baseline = 0.12;
    const n = W * H;
    const relative = new Float32Array(n);
    const disparity = new Float32Array(n);
    const valid = new Uint8Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const z = truth[i];
      if (Number.isNaN(z)) {
        relative[i] = 0;
        disparity[i] = NaN;
        continue;
      }
      relative[i] = (1 / z - 0.05) / 0.02;
      disparity[i] = ((fx * baseline) / z) * (k++ % 10 < 3 ? 1.7 : 1);
      valid[i] = 1;
    }
    const ref = inverseDepthFromStereo({ disparity, valid, width: W, height: H, minDisparity: 0, numDisparities: 16 }, { fx, baseline });
    const fit = fitScaleShift(relative, ref);
    assert.ok(Math.abs(fit.scale - 0.02) < 1e-4, `scale ${fit.scale}`);
    assert.ok(Math.abs(fit.shift - 0.05) < 1e-3, `shift ${fit.shift}`);
    assert.ok(fit.inliers / fit.samples > 0.6 && fit.inliers / fit.samples < 0.8, `inlier share ${fit.inliers / fit.samples}`);
  });

  it('scale-only fit (metric_inverse): recovers the scale with no shift, robust to pixels off the reference', () => {
    const n = 4000;
    const truth = Float32Array.from({ length: n }, (_, i) => 0.1 + (i % 100) / 50);
    const relative = truth.map((t, i) => (i % 4 === 0 ? t * 3 : t / 1.3));
    const fit = fitScaleShift(relative, truth, { fitShift: false });
    assert.equal(fit.shift, 0);
    assert.ok(Math.abs(fit.scale - 1.3) < 1e-4, `scale ${fit.scale}`);
    assert.ok(Math.abs(fit.inliers / fit.samples - 0.75) < 0.01, `inlier share ${fit.inliers / fit.samples}`);
  });

  it('rejects unusable inputs with clear errors', async () => {
    assert.throws(() => fitScaleShift(new Float32Array(10), new Float32Array(10).fill(NaN)), /0 pixels have both/);
    assert.throws(() => fitScaleShift(new Float32Array(10), new Float32Array(11)), /10 pixels but the reference has 11/);
    const below = mat4.clone(mount());
    below[14] = -0.25;
    assert.throws(() => inverseDepthFromGround(K, below), /camera height from TF is -0.25 m/);
    const backend = new OnnxRuntimeBackend();
    await backend.load(
      buildOnnxModel({
        name: 'vec',
        inputs: [{ name: 'x', type: 'float32', shape: [1, 4] }],
        outputs: [{ name: 'y', type: 'float32', shape: [1, 4] }],
        nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
      }),
      { label: 'vector model' },
    );
    try {
      assert.throws(
        () => new MonoDepthAdapter(backend, { output: 'metric' }),
        /model "vector model": input "x" is float32 \[1, 4\]; expected a float32 image \[1, 3, H, W\]/,
      );
    } finally {
      await backend.dispose();
    }
  });

  it('resizeBilinear keeps a linear ramp linear', () => {
    const src = Float32Array.from({ length: 8 * 4 }, (_, i) => i % 8);
    const out = resizeBilinear(src, 8, 4, 16, 8);
    // Interior output pixel x maps to source (x + 0.5) / 2 - 0.5.
    for (const x of [3, 8, 12]) assert.ok(Math.abs(out[2 * 16 + x] - ((x + 0.5) / 2 - 0.5)) < 1e-6);
  });
});
