import { strict as assert } from 'node:assert';
import { ObstacleClusterer } from '../../src/fusion/obstacle_clusters';
import { resolveFusionOptions } from '../../src/fusion/options';
import { block } from './support/point_blocks';

const options = resolveFusionOptions();

const centres = (objects: ReadonlyArray<{ position: readonly number[] }>) =>
  objects.map((o) => [+o.position[0].toFixed(1), +o.position[1].toFixed(1)]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

describe('fusion/obstacle_clusters: static structure', () => {
  it('drops the pieces of a wall that occluders cut shorter than maxTrackedExtent, and keeps the people and a lone shelf', () => {
    const c = new ObstacleClusterer(options.obstacles);
    // A wall at x = 8 whose points two people in front of it cut into three pieces of 2.0-2.2 m.
    const wall = [...block(8, 8.1, -4, -1.8), ...block(8, 8.1, -0.8, 1.0), ...block(8, 8.1, 2.0, 4.2)];
    const people = [...block(5, 5.4, -1.5, -1.1), ...block(5.5, 5.9, 1.3, 1.7)];
    const shelf = block(2.8, 3.2, 2.5, 4.5); // line-shaped too, but nothing continues it
    const out = c.cluster(Float32Array.from([...wall, ...people, ...shelf]), []);
    assert.deepEqual(centres(out), [
      [3, 3.5],
      [5.2, -1.3],
      [5.7, 1.5],
    ]);
  });

  it('does not let stray specks tie a chair to the wall behind it', () => {
    const c = new ObstacleClusterer(options.obstacles);
    const wall = block(8, 8.1, -4, 4);
    const chair = block(6, 6.4, -0.2, 0.2);
    // Two specks of four points each between chair and wall, 0.6 m apart: too few points to be
    // anything, close enough to chain chair and wall within structureMargin.
    const speck = (x: number) => [x, 0, 0.5, x + 0.02, 0.02, 0.6, x + 0.04, 0, 0.7, x, 0.04, 0.8];
    const out = c.cluster(Float32Array.from([...wall, ...chair, ...speck(6.95), ...speck(7.5)]), []);
    assert.deepEqual(centres(out), [[6.2, 0]]);
  });

  it("places a cluster's centre behind the face the camera sees, not on it", () => {
    const c = new ObstacleClusterer(options.obstacles);
    // The front face of a 0.5 m wide person 5 m ahead (only the near 5 cm have points).
    const [person] = c.cluster(Float32Array.from(block(5, 5.05, -0.25, 0.25, 0.04)), []);
    assert.ok(Math.abs(person.position[0] - 5.25) < 0.03, `centre at x = ${person.position[0]}; expected 5.25 (face + half its width)`);
    assert.ok(Math.abs(person.position[1]) < 0.03);
  });
});
