// Per-camera lookup tables that let one renderer serve pinhole and distorted cameras alike:
// the exact ray of every output pixel, and the pixel of a pinhole "raster grid" nearest to it.
// Surfaces are rasterised on the pinhole grid (straight edges stay straight there), and each
// output pixel then takes its surface from the grid and its depth from its own exact ray.
import type { Pinhole } from '../geometry/pinhole';
import { distort, undistort, type PlumbBob } from './lens';
import type { CameraSpec } from './scene_schema';

export interface CameraRays {
  /** A distortion-free pinhole raster covering every ray of the camera's image. */
  grid: Pinhole;
  /** Normalised ray (x/z, y/z) of each output pixel centre, row-major. */
  rayX: Float32Array;
  rayY: Float32Array;
  /** Index into the grid of the grid pixel nearest to each output pixel's ray. */
  gridIndex: Int32Array;
  /** 1 for grid pixels whose ray lands inside the image (all of them without distortion). */
  gridInImage: Uint8Array;
  /** Normalised-coordinate rectangle the grid covers (pixel edges, not centres). */
  bounds: { xMin: number; xMax: number; yMin: number; yMax: number };
}

/**
 * Builds the tables for `cam`. Without distortion the grid is the image itself and the mapping
 * is the identity. With plumb_bob distortion the grid keeps fx, fy and is enlarged to cover the
 * undistorted rays of all output pixels.
 */
export function buildCameraRays(cam: CameraSpec): CameraRays {
  const { width: w, height: h, fx, fy, cx, cy } = cam;
  const n = w * h;
  const rayX = new Float32Array(n);
  const rayY = new Float32Array(n);
  const gridIndex = new Int32Array(n);
  const d = cam.distortion?.d as PlumbBob | undefined;
  if (!d) {
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < w; i++) {
        const k = j * w + i;
        rayX[k] = (i - cx) / fx;
        rayY[k] = (j - cy) / fy;
        gridIndex[k] = k;
      }
    }
    const grid = { width: w, height: h, fx, fy, cx, cy };
    return { grid, rayX, rayY, gridIndex, gridInImage: new Uint8Array(n).fill(1), bounds: gridBounds(grid) };
  }
  const xy = [0, 0];
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      undistort(d, (i - cx) / fx, (j - cy) / fy, xy);
      const k = j * w + i;
      rayX[k] = xy[0];
      rayY[k] = xy[1];
      xMin = Math.min(xMin, xy[0]);
      xMax = Math.max(xMax, xy[0]);
      yMin = Math.min(yMin, xy[1]);
      yMax = Math.max(yMax, xy[1]);
    }
  }
  // One pixel of margin on every side so rounding never leaves the grid.
  const gcx = -xMin * fx + 1;
  const gcy = -yMin * fy + 1;
  const grid = {
    width: Math.ceil((xMax - xMin) * fx) + 3,
    height: Math.ceil((yMax - yMin) * fy) + 3,
    fx,
    fy,
    cx: gcx,
    cy: gcy,
  };
  for (let k = 0; k < n; k++) {
    gridIndex[k] = Math.round(rayY[k] * fy + gcy) * grid.width + Math.round(rayX[k] * fx + gcx);
  }
  const gridInImage = new Uint8Array(grid.width * grid.height);
  for (let gj = 0, g = 0; gj < grid.height; gj++) {
    for (let gi = 0; gi < grid.width; gi++, g++) {
      distort(d, (gi - gcx) / fx, (gj - gcy) / fy, xy);
      const u = fx * xy[0] + cx;
      const v = fy * xy[1] + cy;
      gridInImage[g] = u >= -0.5 && u < w - 0.5 && v >= -0.5 && v < h - 0.5 ? 1 : 0;
    }
  }
  return { grid, rayX, rayY, gridIndex, gridInImage, bounds: gridBounds(grid) };
}

function gridBounds(g: Pinhole): CameraRays['bounds'] {
  return {
    xMin: (-0.5 - g.cx) / g.fx,
    xMax: (g.width - 0.5 - g.cx) / g.fx,
    yMin: (-0.5 - g.cy) / g.fy,
    yMax: (g.height - 0.5 - g.cy) / g.fy,
  };
}
