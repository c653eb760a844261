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
    // REP-117: no depth camera looked along any beam, so every beam is unknown (NaN), not free (+inf).
    assert.ok((out.scan.ranges as Float32Array).every((r) => Number.isNaN(r)));
    assert.equal(out.markers.markers.length, 1, 'only the DELETEALL marker');
  });

  it('reports +inf (free) on the beams a depth camera sees without an obstacle, NaN (unknown) elsewhere', () => {
    const withDepth = { ...view('front_left'), depth: new Float32Array(INTRINSICS.width * INTRINSICS.height).fill(NaN) };
    const ranges = new FusionStage().update(1n, [withDepth], new Float32Array(0)).scan.ranges as Float32Array;
    const free = ranges.filter((r) => r === Infinity).length;
    const unknown = ranges.filter((r) => Number.isNaN(r)).length;
    assert.equal(free + unknown, ranges.length);
    // One forward camera: the beams straight ahead are free, those behind unknown.
    assert.equal(ranges[ranges.length >> 1], Infinity);
    assert.ok(Number.isNaN(ranges[0]));
    // The camera sits 0.2 m ahead of base_link: seen from there, beams probed 4 m out spread a
    // little wider, so slightly fewer beams than the field of view's width fall inside it.
    const half = Math.atan(INTRINSICS.width / 2 / INTRINSICS.fx);
    let expected = 0;
    for (let b = 0; b < ranges.length; b++) {
      const a = -Math.PI + (b * Math.PI) / 360;
      if (Math.abs(Math.atan2(4 * Math.sin(a), 4 * Math.cos(a) - 0.2)) <= half) expected++;
    }
    assert.ok(Math.abs(free - expected) <= 1, `${free} free beams, ${expected} expected`);
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
