// The two depth stages of a frame set: stereo (each rectified pair matched, depth on the left
// camera's rectified grid) and learned (the monocular model on cameras without a stereo partner,
// made metric against the ground and the stereo views). Each returns per-camera depth; the
// messages made from it are built with the rest of the set's (frame_messages.ts).
import type { mat4 } from 'gl-matrix';
import { disparityToDepth, type StereoGeometry } from '../depth/disparity_outputs';
import type { MonoDepthAdapter } from '../depth/mono_depth';
import { metricDepthFromMap } from '../depth/scale_recovery';
import type { DisparityResult, StereoMatcher } from '../depth/sgm_stereo';
import type { Pinhole } from '../geometry/pinhole';
import { rawPinhole, rectifyPixel, undistorter } from '../geometry/pixel_maps';
import type { RigCamera } from '../geometry/rig';
import { toMono8 } from '../io/image_convert';
import type { Raster } from '../io/raster';
import type { CameraView } from '../fusion/types';
import { remapUnlessIdentity } from './identity_remap';
import type { StereoPairGeometry } from './rig_state';

/** Sub-pixel disparity noise of the matcher, 1 sigma (px): sets the stereo depth covariance. */
const DISPARITY_STD_PX = 0.25;

/** One camera's depth, in the image it was computed for. */
export interface CameraDepth {
  depth: Float32Array;
  intrinsics: Pinhole;
  baseFromCamera: mat4;
  /** Maps a raw pixel of the camera into the depth image. */
  toDepthPixel: (u: number, v: number) => [number, number];
  noise: CameraView['depthNoise'];
  /** Stamp of the frame set it was computed for (older than the current set when reused). */
  stamp: bigint;
  /** Frame id of the depth image (the camera's optical frame, or the rectified left frame). */
  frameId: string;
  /** Stereo only: the pair's disparity, for its DisparityImage. */
  disparity?: { pair: string; map: DisparityResult; geometry: StereoGeometry };
}

/** Right cameras of the stereo pairs whose left image is present: they share their partner's view. */
export function activeRightCameras(pairs: readonly StereoPairGeometry[], images: Map<string, Raster>): Set<string> {
  return new Set(pairs.filter((p) => images.has(p.left.name)).map((p) => p.right.name));
}

/** Stereo depth of each pair whose images are both present, keyed by the left camera. */
export async function stereoDepth(
  matcher: StereoMatcher,
  pairs: readonly StereoPairGeometry[],
  images: Map<string, Raster>,
  stamp: bigint,
  warnings: string[],
): Promise<Map<string, CameraDepth>> {
  const out = new Map<string, CameraDepth>();
  for (const pair of pairs) {
    const l = images.get(pair.left.name);
    const r = images.get(pair.right.name);
    if (!l || !r) continue;
    const { rect } = pair;
    let disparity;
    try {
      disparity = await matcher.compute(remapUnlessIdentity(toMono8(l), rect.leftMaps), remapUnlessIdentity(toMono8(r), rect.rightMaps));
    } catch (err) {
      warnings.push(`stereo pair ${pair.name}: ${(err as Error).message}`);
      continue;
    }
    const geometry = { fx: rect.pinhole.fx, baseline: rect.baseline };
    const leftModel = pair.left.model;
    out.set(pair.left.name, {
      depth: disparityToDepth(disparity, geometry),
      intrinsics: rect.pinhole,
      baseFromCamera: pair.baseFromRectified,
      toDepthPixel: (u, v) => rectifyPixel(leftModel, rect.R1, rect.P1, u, v),
      noise: { kind: 'stereo', focalBaseline: geometry.fx * geometry.baseline, disparityStd: DISPARITY_STD_PX },
      stamp,
      frameId: pair.left.frameId,
      disparity: { pair: pair.name, map: disparity, geometry },
    });
  }
  return out;
}

export interface LearnedDepthInputs {
  mono: MonoDepthAdapter;
  images: Map<string, Raster>;
  cameras: Map<string, RigCamera>;
  pairs: readonly StereoPairGeometry[];
  /** Depth already computed for this set (stereo): those cameras are skipped, and scale is checked against it. */
  stereo: Map<string, CameraDepth>;
  maxRangeM: number;
  stamp: bigint;
}

/**
 * Learned depth for cameras without stereo (right cameras of active pairs excepted: their left
 * partner has the view's depth), scaled so the ground lies at the camera's height from TF and
 * the stereo depth agrees where the views overlap.
 */
export async function learnedDepth(i: LearnedDepthInputs, warnings: string[]): Promise<Map<string, CameraDepth>> {
  const out = new Map<string, CameraDepth>();
  const rights = activeRightCameras(i.pairs, i.images);
  const stereoViews = [...i.stereo.values()].filter((d) => d.noise?.kind === 'stereo');
  for (const [name, image] of i.images) {
    if (i.stereo.has(name) || rights.has(name)) continue;
    const cam = i.cameras.get(name)!;
    const k = rawPinhole(cam);
    try {
      const map = await i.mono.predict(image);
      out.set(name, {
        depth: metricDepthFromMap(map, k, cam.baseFromCamera, i.maxRangeM, stereoViews),
        intrinsics: k,
        baseFromCamera: cam.baseFromCamera,
        toDepthPixel: undistorter(cam),
        noise: { kind: 'relative', fraction: 0.1 },
        stamp: i.stamp,
        frameId: cam.frameId,
      });
    } catch (err) {
      warnings.push(`learned depth for camera "${name}": ${(err as Error).message}`);
    }
  }
  return out;
}

/** The oldest stamp among the depths used (the set's own when all were computed for it). */
export function oldestStamp(depth: Map<string, CameraDepth>): bigint | undefined {
  let oldest: bigint | undefined;
  for (const d of depth.values()) if (oldest === undefined || d.stamp < oldest) oldest = d.stamp;
  return oldest;
}
