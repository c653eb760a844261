// What the report draws over each camera image and in the bird's-eye view that the pipeline's
// outputs do not carry: ground-truth 2D boxes (scene bags record them), each track's 3D box
// projected into the cameras (so a detection can be labelled with its track id), and each
// camera's field of view in base_link. Camera models and mounts come from the bag itself
// (camera_info and /tf, /tf_static), as the pipeline built them.
import { mat4, vec3 } from 'gl-matrix';
import { openBag } from '../io/bag_reader';
import { Rig } from '../geometry';
import { inverseTransform } from '../geometry/rotation';
import { TfBuffer } from '../geometry/tf_buffer';
import type { Nanos } from '../msgs/time';
import type { CameraInfo, Detection2DArray, TFMessage, TrackedObject } from '../msgs/types';
import type { ReportFov } from './birdseye';
import type { ReportBox } from './html';

export interface Overlays {
  groundTruth: Map<string, ReportBox[]>;
  tracks: Map<string, ReportBox[]>;
  fovs: ReportFov[];
}

/** Ground truth and the rig of a scene bag are recorded within this of the frame set's stamp. */
const SAME_FRAME_NS = 5_000_000n;

/** Reads the rig and the ground truth near `stamp` from `bag`, and projects `tracks` (base frame). */
export async function reportOverlays(
  bag: string,
  cameras: readonly string[],
  stamp: Nanos,
  tracks: readonly TrackedObject[],
  baseFrame: string,
): Promise<Overlays> {
  const reader = await openBag(bag);
  const tf = new TfBuffer();
  const infos: Record<string, CameraInfo> = {};
  const groundTruth = new Map<string, ReportBox[]>();
  try {
    const names = new Set(reader.info.topics.map((t) => t.name));
    for await (const m of reader.messages({ topics: ['/tf_static'].filter((t) => names.has(t)) }))
      tf.setTransforms(m.decode<TFMessage>(), true);
    for (const cam of cameras) {
      for await (const m of reader.messages({ topics: [`/${cam}/camera_info`].filter((t) => names.has(t)), end: stamp + SAME_FRAME_NS }))
        infos[cam] = m.decode<CameraInfo>();
      const topic = `/${cam}/ground_truth/detections`;
      if (!names.has(topic)) continue;
      for await (const m of reader.messages({ topics: [topic], start: stamp - SAME_FRAME_NS, end: stamp + SAME_FRAME_NS })) {
        groundTruth.set(
          cam,
          m.decode<Detection2DArray>().detections.map((d) => ({
            x1: d.bbox.center.position.x - d.bbox.size_x / 2,
            y1: d.bbox.center.position.y - d.bbox.size_y / 2,
            x2: d.bbox.center.position.x + d.bbox.size_x / 2,
            y2: d.bbox.center.position.y + d.bbox.size_y / 2,
            label: `GT ${d.id}`,
            kind: 'ground_truth' as const,
          })),
        );
      }
    }
  } finally {
    await reader.close();
  }
  let rig: Rig;
  try {
    rig = Rig.fromTf(tf, infos, baseFrame);
  } catch {
    // A bag without a usable rig (no /tf_static): the report shows no projections, only the images.
    return { groundTruth, tracks: new Map(), fovs: [] };
  }
  const projected = new Map<string, ReportBox[]>();
  const fovs: ReportFov[] = [];
  for (const cam of rig.cameras) {
    const cameraFromBase = inverseTransform(cam.baseFromCamera);
    projected.set(
      cam.name,
      tracks.flatMap((t) => projectTrack(t, cam.model, cameraFromBase)),
    );
    fovs.push(fieldOfView(cam.name, cam.baseFromCamera, cam.model.width, cam.model.K));
  }
  return { groundTruth, tracks: projected, fovs };
}

/** The image box around a track's 3D box, when every corner is in front of the camera. */
function projectTrack(t: TrackedObject, model: Rig['cameras'][number]['model'], cameraFromBase: mat4): ReportBox[] {
  const p = t.pose.pose.position;
  const us: number[] = [];
  const vs: number[] = [];
  for (const dx of [-0.5, 0.5])
    for (const dy of [-0.5, 0.5])
      for (const dz of [-0.5, 0.5]) {
        const c = vec3.transformMat4(new Float64Array(3), [p.x + dx * t.size.x, p.y + dy * t.size.y, p.z + dz * t.size.z], cameraFromBase);
        if (!(c[2] > 0.1)) return [];
        const [u, v] = model.project(c);
        us.push(u);
        vs.push(v);
      }
  const box = {
    x1: Math.max(0, Math.min(...us)),
    y1: Math.max(0, Math.min(...vs)),
    x2: Math.min(model.width, Math.max(...us)),
    y2: Math.min(model.height, Math.max(...vs)),
  };
  if (!(box.x2 - box.x1 > 2 && box.y2 - box.y1 > 2)) return [];
  return [{ ...box, label: `#${t.id} ${t.class_id}`, kind: 'track' }];
}

/** Edge bearings of the image's left and right columns through the principal row, in the base frame. */
function fieldOfView(camera: string, baseFromCamera: mat4, width: number, K: Float64Array): ReportFov {
  const bearing = (u: number) => {
    const ray = vec3.transformMat4(new Float64Array(3), [(u - K[2]) / K[0], 0, 1], baseFromCamera);
    return Math.atan2(ray[1] - baseFromCamera[13], ray[0] - baseFromCamera[12]);
  };
  return { camera, x: baseFromCamera[12], y: baseFromCamera[13], yawLeft: bearing(0), yawRight: bearing(width) };
}

/** IoU of two image boxes. */
export function boxIou(a: ReportBox, b: ReportBox): number {
  const iw = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const ih = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = iw * ih;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}
