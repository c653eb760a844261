// One camera of a scene's rig, as the scene file states it. Its own module so that the default
// rig (rig.ts) and the scene schema can both use it without importing each other.
import { z } from 'zod';

export const finite = z.number().finite();
export const positive = finite.positive();
const vec3 = z.tuple([finite, finite, finite]);

export const cameraSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case ROS name such as "front_left"'),
    width: z.number().int().min(16).max(4096).default(640),
    height: z.number().int().min(16).max(4096).default(480),
    fx: positive.default(460),
    fy: positive.default(460),
    /** Principal point; defaults to the image centre ((width - 1) / 2, pixel centres at integers). */
    cx: finite.optional(),
    cy: finite.optional(),
    distortion: z.strictObject({ model: z.literal('plumb_bob'), d: z.array(finite).length(5) }).optional(),
    /** Camera body position in base_link (x forward, y left, z up), metres. */
    position: vec3,
    /** Camera body roll, pitch, yaw in base_link, degrees; [0, 0, 0] looks along +x. */
    rpy_deg: vec3.default([0, 0, 0]),
  })
  .transform((c) => ({ ...c, cx: c.cx ?? (c.width - 1) / 2, cy: c.cy ?? (c.height - 1) / 2 }));

export type CameraSpec = z.output<typeof cameraSchema>;
export type CameraSpecInput = z.input<typeof cameraSchema>;
