// A 2D detection in original image pixels, and its vision_msgs form.
import type { Detection2D, Detection2DArray, Header } from '../msgs/types';

export interface Detection {
  /** Corners in original image pixels, clipped to the image; x2 > x1, y2 > y1. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classId: number;
  className: string;
}

/** One camera's detections as vision_msgs/Detection2DArray. `results[0].hypothesis.class_id`
 * carries the class name (readable in RViz/Foxglove without a label lookup); the bbox centre is
 * also the hypothesis pose position (z = 0), as vision_msgs suggests for 2D results. */
export function toDetection2DArray(dets: readonly Detection[], header: Header): Detection2DArray {
  const detections: Detection2D[] = dets.map((d) => {
    const cx = (d.x1 + d.x2) / 2;
    const cy = (d.y1 + d.y2) / 2;
    return {
      header,
      results: [
        {
          hypothesis: { class_id: d.className, score: d.score },
          pose: {
            pose: { position: { x: cx, y: cy, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
            covariance: new Float64Array(36),
          },
        },
      ],
      bbox: { center: { position: { x: cx, y: cy }, theta: 0 }, size_x: d.x2 - d.x1, size_y: d.y2 - d.y1 },
      id: '',
    };
  });
  return { header, detections };
}
