// Obstacle points: what stands on the ground and could hit the robot - above the ground plane
// by a margin (so ground noise is not an obstacle) and below a height the robot passes under.
import { z } from 'zod';
import { heightAbove } from './ground_plane';
import type { GroundPlane } from './ground_plane';

export const obstacleOptionsSchema = z
  .object({
    /** Points less than this far above the ground are ground, metres (fusion's cloud.minHeight, depth.obstacle_min_height_m). */
    minHeight: z.number().min(0).default(0.12),
    /** Points higher than this above the ground are overhead (the robot passes under), metres. */
    maxHeight: z.number().positive().default(1.8),
  })
  .refine((o) => o.maxHeight > o.minHeight, { message: 'maxHeight must exceed minHeight', path: ['maxHeight'] });
export type ObstacleOptionsInput = z.input<typeof obstacleOptionsSchema>;

/**
 * The points (packed xyz, base_link) whose height above `ground` lies in (minHeight, maxHeight],
 * packed xyz. Without a ground plane, heights are taken above z = 0 of base_link.
 */
export function obstaclePoints(points: Float32Array, ground: GroundPlane | undefined, opts: ObstacleOptionsInput = {}): Float32Array {
  const o = obstacleOptionsSchema.parse(opts);
  const n = Math.floor(points.length / 3);
  const out = new Float32Array(points.length);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const x = points[3 * i],
      y = points[3 * i + 1],
      zz = points[3 * i + 2];
    const h = ground === undefined ? zz : heightAbove(ground, x, y, zz);
    if (h > o.minHeight && h <= o.maxHeight) {
      out[3 * k] = x;
      out[3 * k + 1] = y;
      out[3 * k + 2] = zz;
      k++;
    }
  }
  return out.slice(0, 3 * k);
}
