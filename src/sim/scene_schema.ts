// The scene file format (YAML), as one zod schema: what the world holds, how things move, the
// camera rig and the stamp realism. Every default lives here, so a scene file only states what
// differs from them. Units: metres, seconds, degrees (angles are easier to read in a file).
import { z } from 'zod';
import { describeIssues } from '../inference/validation_errors';
import { cameraSchema, finite, positive } from './camera_spec';
import { defaultRig } from './rig';

const vec2 = z.tuple([finite, finite]);
const size3 = z.tuple([positive, positive, positive]);
const rgb = z.tuple([z.number().int().min(0).max(255), z.number().int().min(0).max(255), z.number().int().min(0).max(255)]);

export const trajectorySchema = z
  .strictObject({
    waypoints: z.array(vec2).min(2),
    speed: positive,
    start_time: finite.min(0).default(0),
    mode: z.enum(['once', 'loop', 'pingpong']).default('once'),
  })
  .superRefine((t, ctx) => {
    t.waypoints.forEach((p, i) => {
      const q = t.waypoints[i - 1];
      if (q && p[0] === q[0] && p[1] === q[1]) {
        ctx.addIssue({
          code: 'custom',
          path: ['waypoints', i],
          message: `repeats waypoint ${i - 1}; expected distinct consecutive waypoints`,
        });
      }
    });
  });

const pixel = z.number().int().min(0);
export const photoSchema = z.strictObject({
  /**
   * JPEG or PNG file. loadScene resolves a relative path against the scene file's folder;
   * parseScene keeps it as given (relative to the working directory).
   */
  image: z.string().min(1),
  /** Region of the image to show, [x, y, width, height] in source pixels (origin top-left). */
  crop: z.tuple([pixel, pixel, pixel.min(1), pixel.min(1)]),
});

export const staticObjectSchema = z.strictObject({
  class: z.string().min(1),
  /** Box extent along its own x, y, z, metres. */
  size: size3,
  /** Centre of the box footprint on the ground, [x, y] in odom. */
  position: vec2,
  yaw_deg: finite.default(0),
  color: rgb.optional(),
  /** Photo texture on the vertical faces, so a detector sees the thing; top and bottom stay procedural. */
  photo: photoSchema.optional(),
});

/** Default sizes for moving classes, so a scene can just say `class: person`. */
export const CLASS_SIZES: Readonly<Record<string, readonly [number, number, number]>> = {
  person: [0.5, 0.5, 1.7],
  cart: [1.0, 0.6, 1.0],
  robot: [0.6, 0.5, 0.5],
};

export const movingObjectSchema = z.strictObject({
  class: z.string().min(1),
  /** Extent along the direction of travel, across it, and height; defaults from CLASS_SIZES. */
  size: size3.optional(),
  trajectory: trajectorySchema,
  color: rgb.optional(),
  /** As for static objects. */
  photo: photoSchema.optional(),
});

export const worldSchema = z.strictObject({
  /** Room floor extents in odom, [x, y] of two opposite corners; walls stand on its border. */
  room_min: vec2.default([-4, -6]),
  room_max: vec2.default([20, 6]),
  room_height: positive.default(3),
  ground_color: rgb.default([120, 110, 95]),
  wall_color: rgb.default([150, 160, 170]),
  ceiling_color: rgb.default([200, 200, 195]),
});

export const stampsSchema = z.strictObject({
  /** Epoch seconds of scene time 0, so stamps look like a real recording. */
  start: positive.default(1_700_000_000),
  /** Each camera's stamp is offset from the nominal frame time by a uniform value in ±jitter_ms. */
  jitter_ms: finite.min(0).max(10).default(2),
  /** Frames that one camera loses (frame index from 0). */
  drops: z.array(z.strictObject({ camera: z.string(), frame: z.number().int().min(0) })).default([]),
  /** A camera that stops publishing from scene time `at` (s) on. */
  stops: z.array(z.strictObject({ camera: z.string(), at: finite.min(0) })).default([]),
});

export const robotSchema = z.strictObject({
  /** The base's path in odom; base_link heads along it. Without it the robot stands still at start. */
  path: trajectorySchema.optional(),
  /** Pose used when there is no path: [x, y] in odom and heading in degrees. */
  position: vec2.default([0, 0]),
  yaw_deg: finite.default(0),
});

export const sceneSchema = z
  .strictObject({
    name: z.string().min(1),
    seed: z.number().int().min(0).max(0xffffffff),
    duration: positive.max(600),
    rate_hz: positive.max(240).default(30),
    world: worldSchema.default(() => worldSchema.parse({})),
    static_objects: z.array(staticObjectSchema).default([]),
    moving_objects: z.array(movingObjectSchema).default([]),
    rig: z.strictObject({ cameras: z.array(cameraSchema).min(1) }).default(() => ({ cameras: defaultRig() })),
    stamps: stampsSchema.default(() => stampsSchema.parse({})),
    robot: robotSchema.default(() => robotSchema.parse({})),
  })
  .superRefine((scene, ctx) => {
    const names = scene.rig.cameras.map((c) => c.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i)
        ctx.addIssue({ code: 'custom', path: ['rig', 'cameras', i, 'name'], message: `duplicate camera name "${n}"` });
    });
    const frames = Math.round(scene.duration * scene.rate_hz);
    scene.stamps.drops.forEach((d, i) => {
      if (!names.includes(d.camera))
        ctx.addIssue({
          code: 'custom',
          path: ['stamps', 'drops', i, 'camera'],
          message: `unknown camera "${d.camera}"; expected one of ${names.join(', ')}`,
        });
      if (d.frame >= frames)
        ctx.addIssue({
          code: 'custom',
          path: ['stamps', 'drops', i, 'frame'],
          message: `frame ${d.frame} is past the scene's last frame ${frames - 1}`,
        });
    });
    scene.stamps.stops.forEach((s, i) => {
      if (!names.includes(s.camera))
        ctx.addIssue({
          code: 'custom',
          path: ['stamps', 'stops', i, 'camera'],
          message: `unknown camera "${s.camera}"; expected one of ${names.join(', ')}`,
        });
    });
    const { room_min: lo, room_max: hi } = scene.world;
    if (!(lo[0] < hi[0] && lo[1] < hi[1])) {
      ctx.addIssue({ code: 'custom', path: ['world', 'room_max'], message: `room_max [${hi}] must exceed room_min [${lo}] in x and y` });
    }
    const inside = (p: readonly [number, number]) => p[0] > lo[0] && p[0] < hi[0] && p[1] > lo[1] && p[1] < hi[1];
    const robotPoints = scene.robot.path ? scene.robot.path.waypoints : [scene.robot.position];
    robotPoints.forEach((p, i) => {
      if (!inside(p)) {
        ctx.addIssue({
          code: 'custom',
          path: scene.robot.path ? ['robot', 'path', 'waypoints', i] : ['robot', 'position'],
          message: `robot point [${p}] is outside the room [${lo}]..[${hi}]; cameras must stay inside it`,
        });
      }
    });
  });

/** A validated scene with every default filled in. */
export type Scene = z.output<typeof sceneSchema>;
export type { CameraSpec, CameraSpecInput } from './camera_spec';
export type StaticObjectSpec = z.output<typeof staticObjectSchema>;
export type MovingObjectSpec = z.output<typeof movingObjectSchema>;
export type PhotoSpec = z.output<typeof photoSchema>;

/**
 * Validates a parsed YAML/JSON value as a scene. Throws one Error listing every problem as
 * `<source>: <key path> = <value>: <what was expected>`.
 */
export function parseScene(raw: unknown, source: string): Scene {
  const result = sceneSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new Error(`scene ${source} is invalid:\n${describeIssues(result.error, raw)}`);
}
