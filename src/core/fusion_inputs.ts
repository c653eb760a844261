// What fusion is given for a frame set: one view per camera (its depth, when it has some, and its
// detections mapped into the depth image's pixels), and the obstacle points of all depth
// together above the ground plane fitted to them.
import { groundContactDepth } from '../depth/ground_contact';
import { estimateGroundPlane } from '../depth/ground_plane';
import { obstaclePoints } from '../depth/obstacles';
import { depthToPoints } from '../depth/points';
import { voxelDownsample } from '../depth/voxel';
import { rawPinhole, undistorter } from '../geometry/pixel_maps';
import type { RigCamera } from '../geometry/rig';
import type { Detection } from '../inference/detection';
import type { Raster } from '../io/raster';
import type { CameraView, Detection2DBox, GroundPlane } from '../fusion/types';
import type { PerceptionConfig } from '../config/config_schema';
import type { CameraDepth } from './depth_stages';
import { groundObstacleOptions, pointsOptions, voxelOptions } from '../config/stage_options';

/**
 * Disparity step (px, to a neighbouring pixel) that marks an outline in stereo depth: four times
 * the matcher's sub-pixel noise, so far surfaces keep their points while outlines lose theirs.
 * Two pixels either side cost open_hall a tenth of its objects' cloud points for no precision.
 */
const STEREO_EDGE_DISPARITY_PX = 1;

export interface FusionInputs {
  views: CameraView[];
  obstacles: Float32Array;
  ground: GroundPlane | undefined;
}

export function fusionInputs(
  config: PerceptionConfig,
  images: Map<string, Raster>,
  cameras: Map<string, RigCamera>,
  detections: Map<string, Detection[]>,
  depth: Map<string, CameraDepth>,
): FusionInputs {
  const views: CameraView[] = [];
  const clouds: Float32Array[] = [];
  for (const name of images.keys()) {
    const cam = cameras.get(name)!;
    const d = depth.get(name);
    const toPixel = d?.toDepthPixel ?? undistorter(cam);
    const boxes = (detections.get(name) ?? []).map((det) => mapBox(det, toPixel));
    if (d) {
      views.push({
        camera: name,
        intrinsics: d.intrinsics,
        baseFromCamera: d.baseFromCamera,
        depth: d.depth,
        depthNoise: d.noise,
        detections: boxes,
      });
      // Learned depth is coarse in range: its obstacles are ranged from their ground contact instead.
      const pointDepth =
        d.noise?.kind === 'relative'
          ? groundContactDepth(
              d.depth,
              images.get(name)!,
              d.intrinsics,
              d.baseFromCamera,
              undefined,
              config.depth.max_range_m,
              config.depth.point_stride,
            )
          : d.depth;
      // Stereo smears depth across outlines: its pixels at depth edges give no points.
      const edges = d.noise?.kind === 'stereo' ? { maxInverseDepthStep: STEREO_EDGE_DISPARITY_PX / d.noise.focalBaseline } : {};
      clouds.push(depthToPoints(pointDepth, d.intrinsics, d.baseFromCamera, { ...pointsOptions(config), ...edges }).points);
    } else if (boxes.length > 0) {
      views.push({ camera: name, intrinsics: rawPinhole(cam), baseFromCamera: cam.baseFromCamera, detections: boxes });
    }
  }
  const all = voxelDownsample(concat(clouds), voxelOptions(config));
  const ground = estimateGroundPlane(all);
  const obstacles = obstaclePoints(all, ground, groundObstacleOptions(config));
  return { views, obstacles, ground: ground ? { normal: ground.normal, d: ground.d } : undefined };
}

/** A raw-pixel box mapped through `toPixel`: the bounding box of its corners and edge midpoints. */
function mapBox(d: Detection, toPixel: (u: number, v: number) => [number, number]): Detection2DBox {
  const xs: number[] = [];
  const ys: number[] = [];
  const mx = (d.x1 + d.x2) / 2;
  const my = (d.y1 + d.y2) / 2;
  for (const [u, v] of [
    [d.x1, d.y1],
    [d.x2, d.y1],
    [d.x1, d.y2],
    [d.x2, d.y2],
    [mx, d.y1],
    [mx, d.y2],
    [d.x1, my],
    [d.x2, my],
  ]) {
    const [x, y] = toPixel(u, v);
    xs.push(x);
    ys.push(y);
  }
  return {
    x1: Math.min(...xs),
    y1: Math.min(...ys),
    x2: Math.max(...xs),
    y2: Math.max(...ys),
    score: d.score,
    classId: d.classId,
    className: d.className,
  };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
