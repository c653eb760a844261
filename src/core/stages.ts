// The stages of one frame set, in the order they run: read this list top to bottom to know what
// the pipeline does. Each name is the one timings, budgets and the status topic use; the ROS
// node, a bag replay and the demo all feed the same stages (perception_runner.ts runs them,
// perception_pipeline.ts implements each one). test/core/stages.test.ts checks that the
// pipeline times its stages in this order and that the budgets use these names.

export const STAGES = [
  {
    name: 'sync',
    purpose: "pairs the cameras' images into one frame set by sensor stamp (message_filters policy, dropout, time jumps)",
  },
  {
    name: 'preprocess',
    purpose: "decodes each camera's image (raw or compressed) into a raster; in the DX-V3 budget, the detector's input scaling",
  },
  { name: 'detect', purpose: 'runs the ONNX detector on the cameras the plan picks (2D boxes with class and score)' },
  { name: 'stereo_depth', purpose: 'rectifies each stereo pair and matches it (semi-global, 5x5 Census): disparity and depth' },
  { name: 'learned_depth', purpose: 'runs the monocular depth model on cameras outside the pairs, made metric against the ground' },
  {
    name: 'fuse',
    purpose: 'lifts detections to 3D with the depth, merges views, tracks objects; obstacle cloud, clusters and virtual scan',
  },
  { name: 'publish', purpose: 'builds the output messages of the set (objects, tracks, obstacles, scan, markers, images)' },
] as const;

export type StageName = (typeof STAGES)[number]['name'];

/** Stage names in run order. */
export const STAGE_ORDER: readonly StageName[] = STAGES.map((s) => s.name);
