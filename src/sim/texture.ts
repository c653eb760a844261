// Procedural surface texture shared by every surface of a scene: one tileable tile of
// multi-octave value noise plus a faint checker. Surfaces sample it at different offsets, so
// ground, walls and each object look different while the tile is built once per seed. The fine
// octaves (1-2 texels of 1 cm) are what lets stereo block matching find correspondences.
import { hashUnit } from './random';

/** Side of the square tile in texels; a power of two so lookups wrap with a mask. */
export const TEXTURE_SIZE = 512;
export const TEXTURE_MASK = TEXTURE_SIZE - 1;

/** Octaves as [lattice cell in texels, weight]; the small cells carry the matching detail. */
const OCTAVES: ReadonlyArray<readonly [number, number]> = [
  [1, 0.22],
  [2, 0.26],
  [4, 0.2],
  [16, 0.17],
  [64, 0.15],
];
/** Checker period in texels (0.64 m at 1 cm texels) and its contrast. */
const CHECKER_CELL = 64;
const CHECKER_WEIGHT = 0.12;

/**
 * Builds the TEXTURE_SIZE² tile for `seed`: values in [0, 1], row-major, tileable in both
 * directions (the noise lattice wraps), identical for identical seeds.
 */
export function buildTextureTile(seed: number): Float32Array {
  const n = TEXTURE_SIZE;
  const tile = new Float32Array(n * n);
  OCTAVES.forEach(([cell, weight], octave) => {
    const cells = n / cell;
    const lattice = new Float32Array(cells * cells);
    for (let i = 0; i < lattice.length; i++) lattice[i] = hashUnit(seed, 101 + octave, i);
    for (let y = 0; y < n; y++) {
      const gy = y / cell;
      const y0 = Math.floor(gy);
      const fy = smooth(gy - y0);
      const r0 = (y0 % cells) * cells;
      const r1 = ((y0 + 1) % cells) * cells;
      for (let x = 0; x < n; x++) {
        const gx = x / cell;
        const x0 = Math.floor(gx);
        const fx = smooth(gx - x0);
        const c0 = x0 % cells;
        const c1 = (x0 + 1) % cells;
        const top = lattice[r0 + c0] + (lattice[r0 + c1] - lattice[r0 + c0]) * fx;
        const bottom = lattice[r1 + c0] + (lattice[r1 + c1] - lattice[r1 + c0]) * fx;
        tile[y * n + x] += weight * (top + (bottom - top) * fy);
      }
    }
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const k = y * n + x;
      const checker = ((Math.floor(x / CHECKER_CELL) + Math.floor(y / CHECKER_CELL)) & 1) * CHECKER_WEIGHT;
      tile[k] += checker;
      lo = Math.min(lo, tile[k]);
      hi = Math.max(hi, tile[k]);
    }
  }
  // Stretch to the full [0, 1] range so every surface gets the same contrast.
  const scale = 1 / (hi - lo);
  for (let k = 0; k < tile.length; k++) tile[k] = (tile[k] - lo) * scale;
  return tile;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}
