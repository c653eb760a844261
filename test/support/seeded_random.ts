// Deterministic pseudo-random numbers for tests, so a failing randomized case can be replayed
// from its seed. The generator itself is the one src/depth uses for RANSAC (mulberry32).
import { seededRandom } from '../../src/depth/seeded_random';

export { seededRandom };

export type Random = () => number;

/** Uniform integer in [lo, hi]. */
export function randomInt(rand: Random, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}
