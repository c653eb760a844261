// How far a class-agnostic cluster's centre can be off along the viewing ray. The cluster's own
// spread says little about it when the depth came from a learned model: its error is a scale
// error shared by every point (about the noise model's fraction of the range), so the centre
// moves as a whole. Without this, a track started by a side camera's learned depth gates out
// the front stereo pair's accurate measurement of the same person and the id is lost.
import type { CameraView, FusedObject } from './types';

/**
 * Adds (fraction * range)^2 along the base_link bearing of `ob` to its covariance when every
 * camera that sees it has relative (learned) depth noise; stereo-seen clusters are unchanged.
 */
export function addLearnedRangeNoise(ob: FusedObject, views: readonly CameraView[]): void {
  let fraction = 0;
  for (const name of ob.cameras) {
    const n = views.find((v) => v.camera === name)?.depthNoise;
    if (!n || n.kind !== 'relative') return;
    fraction = Math.max(fraction, n.fraction);
  }
  const [x, y] = ob.position;
  const range = Math.hypot(x, y);
  if (fraction === 0 || range === 0) return;
  const ux = x / range,
    uy = y / range,
    v = (fraction * range) ** 2;
  const c = Float64Array.from(ob.covariance);
  c[0] += v * ux * ux;
  c[1] += v * ux * uy;
  c[3] += v * ux * uy;
  c[4] += v * uy * uy;
  ob.covariance = c;
}
