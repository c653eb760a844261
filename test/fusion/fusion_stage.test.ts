import { strict as assert } from 'node:assert';
import { mat4 } from 'gl-matrix';
import { FusionStage } from '../../src/fusion/fusion_stage';
import { INTRINSICS, cameraPose } from './support/synthetic_scene';
import type { CameraView } from '../../src/fusion/types';

const view = (camera: string): CameraView => ({ camera, intrinsics: INTRINSICS, baseFromCamera: cameraPose(0.2, 0, 1, 0), detections: [] });

describe('fusion/fusion_stage', () => {
  it('runs on an empty frame set and produces empty but valid outputs', () => {
    const out = new FusionStage().update(1n, [view('front_left')], new Float32Array(0));
    assert.equal(out.tracks.length, 0);
    assert.equal(out.cloud.width, 0);
    assert.ok((out.scan.ranges as Float32Array).every((r) => r === Infinity));
    assert.equal(out.markers.markers.length, 1, 'only the DELETEALL marker');
  });

  it('names the problem for duplicate cameras, a switching tracking frame, bad transforms and ground', () => {
    const stage = new FusionStage();
    assert.throws(() => stage.update(1n, [view('left'), view('left')], new Float32Array(0)), /camera "left" appears twice/);
    stage.update(2n, [view('left')], new Float32Array(0));
    assert.throws(
      () => stage.update(3n, [view('left')], new Float32Array(0), undefined, mat4.create()),
      /tracking frame changed from "base_link" to "odom".*call reset\(\)/,
    );
    stage.reset();
    const skew = mat4.create();
    skew[0] = 2;
    assert.throws(() => stage.update(4n, [], new Float32Array(0), undefined, skew), /odomFromBase: rotation part is not orthonormal/);
    assert.throws(
      () => stage.update(5n, [], new Float32Array(0), { normal: [0, 0, 2], d: 0 }),
      /ground plane \{normal: \[0, 0, 2\], d: 0\}; expected a unit normal/,
    );
    assert.throws(() => new FusionStage({ obstacles: { cellSize: -1 } }), /fusion\.obstacles\.cellSize/);
  });
});
