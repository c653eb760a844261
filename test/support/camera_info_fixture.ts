// Builds sensor_msgs/CameraInfo values for geometry tests, with random but realistic intrinsics.
import type { CameraInfo } from '../../src/msgs/types';
import type { DistortionModel } from '../../src/geometry/distortion';
import type { Random } from './seeded_random';

export interface CameraInfoParts {
  model: string;
  K: number[];
  D: number[];
  width: number;
  height: number;
  R?: number[];
  P?: number[];
  binning?: [number, number];
  roi?: { x_offset: number; y_offset: number; width: number; height: number };
  frameId?: string;
}

export function cameraInfo(p: CameraInfoParts): CameraInfo {
  return {
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: p.frameId ?? 'cam_optical' },
    width: p.width,
    height: p.height,
    distortion_model: p.model,
    d: p.D,
    k: p.K,
    r: p.R ?? [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: p.P ?? [p.K[0], 0, p.K[2], 0, 0, p.K[4], p.K[5], 0, 0, 0, 1, 0],
    binning_x: p.binning?.[0] ?? 0,
    binning_y: p.binning?.[1] ?? 0,
    roi: { x_offset: 0, y_offset: 0, width: 0, height: 0, do_rectify: false, ...p.roi },
  };
}

const span = (rand: Random, lo: number, hi: number): number => lo + (hi - lo) * rand();

/** Random intrinsics and distortion of the given model for a width x height image. */
export function randomCamera(rand: Random, model: DistortionModel, width = 640, height = 480): CameraInfoParts {
  const fisheye = model === 'equidistant';
  const fx = fisheye ? span(rand, 220, 320) : span(rand, 420, 700);
  const fy = fx * span(rand, 0.98, 1.02);
  const K = [fx, 0, width / 2 + span(rand, -20, 20), 0, fy, height / 2 + span(rand, -15, 15), 0, 0, 1];
  let D: number[];
  if (model === 'plumb_bob') {
    D = [span(rand, -0.3, 0.1), span(rand, -0.08, 0.08), span(rand, -2e-3, 2e-3), span(rand, -2e-3, 2e-3), span(rand, -0.02, 0.02)];
  } else if (model === 'rational_polynomial') {
    D = [
      span(rand, -0.3, 0.3),
      span(rand, -0.1, 0.1),
      span(rand, -2e-3, 2e-3),
      span(rand, -2e-3, 2e-3),
      span(rand, -0.02, 0.02),
      span(rand, -0.3, 0.3),
      span(rand, -0.1, 0.1),
      span(rand, -0.02, 0.02),
    ];
  } else {
    D = [span(rand, -0.05, 0.05), span(rand, -0.02, 0.02), span(rand, -0.01, 0.01), span(rand, -0.005, 0.005)];
  }
  return { model, K, D, width, height };
}
