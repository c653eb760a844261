import { strict as assert } from 'node:assert';
import { ObstacleScorer, type ScoredObject } from '../../src/fusion/obstacle_metrics';
import { boxDistance, obstacleDistance, trueRange, wallDistance, type ObstacleTruth } from '../../src/fusion/obstacle_truth';

// A 10 m x 10 m room centred on the robot, one 1 m box 4 m ahead, one camera looking ahead (±35°).
const box = { id: 1, center: [4.5, 0, 0.5] as const, yaw: 0, size: [1, 1, 1] as const };
const truth: ObstacleTruth = {
  boxes: [box],
  room: [
    [-5, -5],
    [5, -5],
    [5, 5],
    [-5, 5],
  ],
  roomHeight: 3,
  cameras: [{ name: 'front', position: [0, 0], yaw: 0, halfFov: (35 * Math.PI) / 180 }],
};
const object: ScoredObject = { id: 1, box, visible: true, trackable: true, position: [4.5, 0], velocity: [0, 0] };

/** The exact scan of `truth`: 1° beams over ±180°. */
function exactScan(): { angleMin: number; angleIncrement: number; ranges: Float32Array; minHeight: number; maxHeight: number } {
  const inc = Math.PI / 180;
  const ranges = new Float32Array(360);
  for (let b = 0; b < 360; b++) ranges[b] = trueRange(truth, -Math.PI + b * inc, 0.1, 1.8);
  return { angleMin: -Math.PI, angleIncrement: inc, ranges, minHeight: 0.1, maxHeight: 1.8 };
}

describe('fusion/obstacle_truth', () => {
  it('casts rays against boxes and walls', () => {
    assert.ok(Math.abs(trueRange(truth, 0, 0.1, 1.8) - 4) < 1e-9);
    assert.ok(Math.abs(trueRange(truth, Math.PI / 2, 0.1, 1.8) - 5) < 1e-9);
    // A box lower than the band is passed over.
    const low = { ...truth, boxes: [{ ...box, size: [1, 1, 0.05] as const }] };
    assert.ok(Math.abs(trueRange(low, 0, 0.1, 1.8) - 5) < 1e-9);
  });

  it('measures distances to the box solid and the walls', () => {
    assert.equal(boxDistance(box, 4.5, 0, 0.5), 0);
    assert.ok(Math.abs(boxDistance(box, 3.0, 0, 0.5) - 1) < 1e-9);
    assert.ok(Math.abs(boxDistance(box, 4.5, 0, 1.5) - 0.5) < 1e-9);
    assert.ok(Math.abs(wallDistance(truth, 0, 4) - 1) < 1e-9);
    // Above the ceiling the walls end; planar distance ignores height.
    assert.ok(Math.abs(obstacleDistance(truth, 4.5, 0, 3.5) - 2.5) < 1e-9);
    assert.equal(obstacleDistance(truth, 4.5, 0, 3.5, true), 0);
    assert.ok(Math.abs(obstacleDistance(truth, 0, 0, 1) - 4) < 1e-9);
  });
});

describe('fusion/obstacle_metrics', () => {
  it('scores an exact scan as error-free, fully covering and without false hits', () => {
    const s = new ObstacleScorer(['front']);
    s.add(truth, [object], exactScan(), undefined, []);
    const m = s.summary();
    assert.ok(m.scanMedianErrorPct < 1e-4 && m.scanP90ErrorPct < 1e-4);
    assert.equal(m.scanCoverage, 1);
    assert.equal(m.scanFalseHits, 0);
  });

  it('counts a phantom return as a false hit and a missing beam against coverage', () => {
    const scan = exactScan();
    scan.ranges[180] = 2; // straight ahead, 2 m short of the box
    scan.ranges[181] = Infinity; // nothing reported where the box is
    const s = new ObstacleScorer(['front']);
    s.add(truth, [object], scan, undefined, []);
    const m = s.summary();
    assert.ok(m.scanFalseHits > 0 && m.scanFalseHits < 0.01, `false hits ${m.scanFalseHits}`);
    assert.ok(m.scanCoverage < 1);
    assert.ok(m.scanP90ErrorPct < 1e-4, 'a single bad beam is beyond the p90');
    // By camera: the one camera sees every beam scored; its view holds the phantom among its
    // own returns only (the 69-71 beams within ±35°, one without a return).
    assert.deepEqual(Object.keys(m.scanByCamera), ['front']);
    assert.equal(m.scanByCamera.front.coverage, m.scanCoverage);
    const f = m.scanByCamera.front.falseHits;
    assert.ok(f >= 1 / 70 - 1e-9 && f <= 1 / 68 + 1e-9, `false hits ${f}`);
  });

  it('scores cloud precision, recall by point count, and the causes of far points', () => {
    const pts: number[] = [];
    for (let i = 0; i < 25; i++) pts.push(4.0, -0.4 + i * 0.03, 0.5); // on the box's near face
    pts.push(2, 0, 0.15); // floor noise in the front camera's view
    pts.push(0, 3, 1.0); // beside the robot: only a non-stereo camera would see it
    const s = new ObstacleScorer(['front']);
    s.add(truth, [object], undefined, new Float32Array(pts), []);
    const m = s.summary();
    assert.ok(Math.abs(m.cloudPrecision - 25 / 27) < 1e-9);
    assert.equal(m.cloudRecall, 1);
    assert.ok(Math.abs(m.falseCloudCauses.ground - 1 / 27) < 1e-9);
    assert.ok(Math.abs(m.falseCloudCauses.learned - 1 / 27) < 1e-9);
    const few = new ObstacleScorer(['front']);
    few.add(truth, [object], undefined, new Float32Array(pts.slice(0, 30)), []);
    assert.equal(few.summary().cloudRecall, 0, '10 points do not find the object');
  });

  it('scores tracks: position error in % of range, velocity error, recall and precision', () => {
    const s = new ObstacleScorer(['front']);
    const moving = { ...object, velocity: [1, 0] as const };
    for (let f = 0; f < 4; f++) {
      s.add(truth, [moving], undefined, undefined, [
        { id: 7, range: 4.6, position: [4.59, 0], velocity: [1.05, 0] },
        { id: 8, range: 3, position: [0, 3], velocity: [0, 0] },
      ]);
    }
    const m = s.summary();
    assert.ok(Math.abs(m.trackPositionErrorPct - 2) < 1e-6, `${m.trackPositionErrorPct}`);
    assert.ok(Math.abs(m.trackVelocityErrorMps - 0.05) < 1e-9);
    assert.equal(m.trackRecall, 1);
    assert.equal(m.trackPrecision, 0.5);
    assert.equal(m.idSwitches, 0);
  });
});
