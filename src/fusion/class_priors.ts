// Typical 3D sizes of detector classes. A camera sees one or two faces of an object, so the
// extent along the viewing ray and (without depth) the range itself come from these priors.
// Values are rough adult/vehicle averages in metres; unknown classes get GENERIC_PRIOR.

/** Footprint length >= width, and height, in metres. */
export interface SizePrior {
  length: number;
  width: number;
  height: number;
}

export const GENERIC_PRIOR: Readonly<SizePrior> = Object.freeze({ length: 0.6, width: 0.6, height: 1.0 });

const PRIORS: ReadonlyMap<string, SizePrior> = new Map<string, SizePrior>([
  ['person', { length: 0.5, width: 0.45, height: 1.7 }],
  ['bicycle', { length: 1.7, width: 0.6, height: 1.1 }],
  ['motorcycle', { length: 2.0, width: 0.8, height: 1.2 }],
  ['car', { length: 4.5, width: 1.8, height: 1.5 }],
  ['bus', { length: 11.0, width: 2.5, height: 3.2 }],
  ['truck', { length: 7.0, width: 2.4, height: 3.0 }],
  ['dog', { length: 0.8, width: 0.3, height: 0.6 }],
  ['cat', { length: 0.45, width: 0.2, height: 0.3 }],
  ['chair', { length: 0.55, width: 0.5, height: 0.9 }],
  ['couch', { length: 2.0, width: 0.9, height: 0.85 }],
  ['bench', { length: 1.5, width: 0.5, height: 0.8 }],
  ['bed', { length: 2.0, width: 1.5, height: 0.6 }],
  ['dining table', { length: 1.6, width: 0.9, height: 0.75 }],
  ['potted plant', { length: 0.4, width: 0.4, height: 0.6 }],
  ['suitcase', { length: 0.45, width: 0.25, height: 0.65 }],
  ['backpack', { length: 0.35, width: 0.2, height: 0.5 }],
  ['fire hydrant', { length: 0.35, width: 0.35, height: 0.8 }],
  ['stop sign', { length: 0.1, width: 0.75, height: 2.2 }],
  ['traffic light', { length: 0.3, width: 0.3, height: 3.0 }],
  ['tv', { length: 1.0, width: 0.1, height: 0.6 }],
  ['refrigerator', { length: 0.8, width: 0.7, height: 1.8 }],
]);

/** The size prior of a class name (case-insensitive); GENERIC_PRIOR for names not in the table. */
export function sizePriorFor(className: string): Readonly<SizePrior> {
  return PRIORS.get(className.toLowerCase()) ?? GENERIC_PRIOR;
}
