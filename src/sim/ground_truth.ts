// Ground-truth records of a frame: objects in base_link and odom, and per-camera 2D boxes.
import type { ObstacleTruth } from '../fusion/obstacle_truth';
import { wrapAngle } from '../geometry/rotation';
import type { PlanarState } from './trajectory';
import type { CameraRender } from './renderer';
import type { Scene } from './scene_schema';
import type { SceneWorld, Vec3, WorldObject } from './world';

/** One scene object at a frame's nominal time. */
export interface GroundTruthObject {
  /** Stable id (1-based): static objects first, then moving ones, in scene-file order. */
  id: number;
  className: string;
  isStatic: boolean;
  /** Box extent along its own x (heading), y, z, metres. */
  size: Vec3;
  /** Box centre in base_link, metres. */
  center: Vec3;
  /** Heading about base_link z, radians. */
  yaw: number;
  /**
   * Velocity relative to base_link, in base_link axes (what a tracker running in base_link
   * measures): R_base^T (v_object - v_base). The base never rotates between waypoints.
   */
  velocity: Vec3;
  /** The same in odom: centre, heading and absolute velocity. */
  centerOdom: Vec3;
  yawOdom: number;
  velocityOdom: Vec3;
}

/** One object as one camera sees it, in that camera's pixel coordinates (pixel centres at integers). */
export interface GroundTruthBox {
  id: number;
  className: string;
  /** The whole 3D box projected and clipped to the image extent [-0.5, w - 0.5] × [-0.5, h - 0.5]. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Inclusive pixel-index box of the visible pixels; undefined when fully occluded. */
  visibleBox: [number, number, number, number] | undefined;
  /** Visible pixels / projected pixels (0..1): 1 = unoccluded, 0 = fully hidden. */
  visibility: number;
  visiblePixels: number;
  projectedPixels: number;
}

/** Expresses odom-frame objects in base_link for a base at `base`. */
export function objectsInBase(objects: readonly WorldObject[], base: PlanarState): GroundTruthObject[] {
  const c = Math.cos(base.yaw);
  const s = Math.sin(base.yaw);
  // R_base^T applied to a planar vector.
  const toBase = (x: number, y: number): [number, number] => [c * x + s * y, -s * x + c * y];
  return objects.map((o) => {
    const [px, py] = toBase(o.center[0] - base.x, o.center[1] - base.y);
    const [vx, vy] = toBase(o.velocity[0] - base.vx, o.velocity[1] - base.vy);
    return {
      id: o.id,
      className: o.className,
      isStatic: o.isStatic,
      size: [...o.size],
      center: [px, py, o.center[2]],
      yaw: wrapAngle(o.yaw - base.yaw),
      velocity: [vx, vy, o.velocity[2]],
      centerOdom: [...o.center],
      yawOdom: o.yaw,
      velocityOdom: [...o.velocity],
    };
  });
}

/** The 2D boxes of one camera's render: every object whose projection reaches the image. */
export function boxesFromRender(objects: readonly WorldObject[], render: CameraRender): GroundTruthBox[] {
  const out: GroundTruthBox[] = [];
  objects.forEach((o, i) => {
    const b = render.projectedBoxes.subarray(i * 4, i * 4 + 4);
    if (Number.isNaN(b[0])) return;
    const projected = render.projectedPixels[i];
    const visible = render.visiblePixels[i];
    const vb = render.visibleBoxes.subarray(i * 4, i * 4 + 4);
    out.push({
      id: o.id,
      className: o.className,
      x0: b[0],
      y0: b[1],
      x1: b[2],
      y1: b[3],
      visibleBox: vb[0] < 0 ? undefined : [vb[0], vb[1], vb[2], vb[3]],
      visibility: projected > 0 ? visible / projected : 0,
      visiblePixels: visible,
      projectedPixels: projected,
    });
  });
  return out;
}

/**
 * The scene's obstacles at scene time `t` in base_link, for scoring the obstacle cloud and the
 * virtual scan: every object's box, the room's walls and the rig's horizontal fields of view.
 */
export function obstacleTruthAt(scene: Scene, world: SceneWorld, t: number): { truth: ObstacleTruth; objects: GroundTruthObject[] } {
  const base = world.baseAt(t);
  const objects = objectsInBase(world.objectsAt(t), base);
  const c = Math.cos(base.yaw),
    s = Math.sin(base.yaw);
  const toBase = (x: number, y: number): [number, number] => [c * (x - base.x) + s * (y - base.y), -s * (x - base.x) + c * (y - base.y)];
  const { room_min: lo, room_max: hi, room_height } = scene.world;
  return {
    objects,
    truth: {
      boxes: objects.map((o) => ({ id: o.id, center: o.center, yaw: o.yaw, size: o.size })),
      room: [toBase(lo[0], lo[1]), toBase(hi[0], lo[1]), toBase(hi[0], hi[1]), toBase(lo[0], hi[1])],
      roomHeight: room_height,
      cameras: scene.rig.cameras.map((cam) => ({
        name: cam.name,
        position: [cam.position[0], cam.position[1]],
        yaw: (cam.rpy_deg[2] * Math.PI) / 180,
        halfFov: Math.atan(Math.max(cam.cx + 0.5, cam.width - cam.cx - 0.5) / cam.fx),
      })),
    },
  };
}
