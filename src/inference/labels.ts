// Class names: a coco.names-style file (one name per line, in class-index order) or COCO-80.
import { existsSync, readFileSync } from 'node:fs';

export const COCO80: readonly string[] = [
  'person',
  'bicycle',
  'car',
  'motorbike',
  'aeroplane',
  'bus',
  'train',
  'truck',
  'boat',
  'traffic light',
  'fire hydrant',
  'stop sign',
  'parking meter',
  'bench',
  'bird',
  'cat',
  'dog',
  'horse',
  'sheep',
  'cow',
  'elephant',
  'bear',
  'zebra',
  'giraffe',
  'backpack',
  'umbrella',
  'handbag',
  'tie',
  'suitcase',
  'frisbee',
  'skis',
  'snowboard',
  'sports ball',
  'kite',
  'baseball bat',
  'baseball glove',
  'skateboard',
  'surfboard',
  'tennis racket',
  'bottle',
  'wine glass',
  'cup',
  'fork',
  'knife',
  'spoon',
  'bowl',
  'banana',
  'apple',
  'sandwich',
  'orange',
  'broccoli',
  'carrot',
  'hot dog',
  'pizza',
  'donut',
  'cake',
  'chair',
  'sofa',
  'pottedplant',
  'bed',
  'diningtable',
  'toilet',
  'tvmonitor',
  'laptop',
  'mouse',
  'remote',
  'keyboard',
  'cell phone',
  'microwave',
  'oven',
  'toaster',
  'sink',
  'refrigerator',
  'book',
  'clock',
  'vase',
  'scissors',
  'teddy bear',
  'hair drier',
  'toothbrush',
];

/** Reads class names from `path` (blank lines ignored), or returns COCO-80 when path is absent. */
export function loadLabels(path?: string): readonly string[] {
  if (path === undefined) return COCO80;
  if (!existsSync(path)) throw new Error(`labels file not found: "${path}"`);
  const names = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (names.length === 0) throw new Error(`labels file "${path}" holds no class names; expected one name per line`);
  return names;
}

/** The name for a class index, or "class_<id>" when the labels do not cover it. */
export function className(labels: readonly string[], classId: number): string {
  return labels[classId] ?? `class_${classId}`;
}
