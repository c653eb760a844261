// Double-precision gl-matrix values. gl-matrix allocates Float32Array by default, whose 1e-7
// relative error shows up as 1e-5 px in ground-truth boxes; its functions work on any array,
// so the simulator hands them Float64Arrays instead of changing gl-matrix's global setting.
import { mat4, quat } from 'gl-matrix';

/** A new identity mat4 backed by a Float64Array. */
export function mat4d(): mat4 {
  return mat4.identity(new Float64Array(16));
}

/** A new identity quat backed by a Float64Array. */
export function quatd(): quat {
  return quat.identity(new Float64Array(4));
}
