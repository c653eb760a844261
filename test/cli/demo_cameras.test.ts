import { strict as assert } from 'node:assert';
import { CameraCoverage, cameraRows } from '../../src/cli/demo_cameras';
import type { TrackedObject } from '../../src/msgs/types';
import type { ReportFov } from '../../src/report/birdseye';

/** A track as the pipeline publishes it, only the fields the coverage reads filled in meaningfully. */
function track(id: number, state: number, cameras: string[]): TrackedObject {
  return { id, state, source_cameras: cameras } as Partial<TrackedObject> as TrackedObject;
}

// Front camera looking along +x (90 degree view), left along +y, right along -y; a stereo right camera beside front.
const quarter = Math.PI / 4;
const fovs: ReportFov[] = [
  { camera: 'front_left', x: 0, y: 0, yawLeft: quarter, yawRight: -quarter },
  { camera: 'front_right', x: 0, y: -0.1, yawLeft: quarter, yawRight: -quarter },
  { camera: 'left', x: 0, y: 0, yawLeft: Math.PI / 2 + quarter, yawRight: Math.PI / 2 - quarter },
  { camera: 'right', x: 0, y: 0, yawLeft: -Math.PI / 2 + quarter, yawRight: -Math.PI / 2 - quarter },
];

describe('demo per-camera coverage', () => {
  it('counts the cloud points in each camera view and the confirmed tracks naming each camera', () => {
    const cov = new CameraCoverage();
    // Frame 1: three points ahead, one to the left, none to the right; a confirmed front track and a tentative left one.
    cov.add(Float32Array.from([3, 0, 0.5, 4, 0.5, 0.5, 5, -1, 0.5, 0, 3, 0.5]), [track(1, 1, ['front_left']), track(2, 0, ['left'])]);
    // Frame 2: one point ahead, two to the right; the front track again and a coasting right one.
    cov.add(Float32Array.from([3, 0, 0.5, 0.5, -4, 0.5, -0.5, -3, 0.5]), [track(1, 1, ['front_left']), track(3, 2, ['right'])]);
    const s = cov.summaries(fovs, new Map([['front_right', 'front_left']]));
    assert.deepEqual(
      s.map((c) => [c.camera, c.pointsPerSet, c.tracks, c.setsWithTrack]),
      [
        ['front_left', 2, 1, 1],
        ['front_right', 2, 0, 0],
        ['left', 0.5, 0, 0],
        ['right', 1, 1, 0.5],
      ],
    );
    const rows = cameraRows(s);
    assert.equal(rows.length, 4);
    assert.match(rows[1].value, /tracks under front_left/);
    assert.match(rows[3].value, /^1 per frame set \/ 1 tracks \(in 50 % of frame sets\)$/);
  });
});
