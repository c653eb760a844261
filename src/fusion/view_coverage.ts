// What the depth cameras of a frame set can see: which cameras see a point (so an obstacle
// cluster names the cameras it came from), and which virtual-scan beams lie in some depth
// camera's view (so a beam nobody looked along reports "unknown", not "free": REP-117).
import type { ScanOptions } from './options';
import type { CameraView } from './types';

/** Range along a beam at which its visibility is judged (m): mid-range, past the rig's offsets. */
const BEAM_PROBE_M = 4;

/** Whether the base_link point projects into the view's image in front of the camera. */
function inView(v: CameraView, x: number, y: number, z: number): boolean {
  const m = v.baseFromCamera;
  const dx = x - m[12],
    dy = y - m[13],
    dz = z - m[14];
  // Rigid inverse: camera coordinates are R^T (p - t); R's columns are m[0..2], m[4..6], m[8..10].
  const zc = m[8] * dx + m[9] * dy + m[10] * dz;
  if (!(zc > 0)) return false;
  const xc = m[0] * dx + m[1] * dy + m[2] * dz;
  const yc = m[4] * dx + m[5] * dy + m[6] * dz;
  const k = v.intrinsics;
  const u = k.cx + (k.fx * xc) / zc,
    w = k.cy + (k.fy * yc) / zc;
  return u >= -0.5 && u < k.width - 0.5 && w >= -0.5 && w < k.height - 0.5;
}

/** Names of the views with depth that see the base_link point (x, y, z). */
export function depthCamerasSeeing(views: readonly CameraView[], x: number, y: number, z: number): string[] {
  return views.filter((v) => v.depth !== undefined && inView(v, x, y, z)).map((v) => v.camera);
}

/**
 * Per beam of the virtual scan, 1 when some view with depth looks along it (a point BEAM_PROBE_M
 * out along the beam, at that camera's height, is in its image), else 0.
 */
export function beamsInView(views: readonly CameraView[], o: ScanOptions, bins: number): Uint8Array {
  const seen = new Uint8Array(bins);
  const depthViews = views.filter((v) => v.depth !== undefined);
  for (let b = 0; b < bins; b++) {
    const a = o.angleMin + b * o.angleIncrement;
    const x = BEAM_PROBE_M * Math.cos(a),
      y = BEAM_PROBE_M * Math.sin(a);
    if (depthViews.some((v) => inView(v, x, y, v.baseFromCamera[14]))) seen[b] = 1;
  }
  return seen;
}
