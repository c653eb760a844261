// The units of work one SGM frame is split into, and the one function that runs a unit. The
// matcher plans the units and hands them to worker threads or runs them inline; either way this
// is the code that executes, so both modes give identical output.
import { filterSpeckles, matchStrip } from './sgm_kernels';
import { refineStrip } from './sgm_refine';
import type { SgmFrame } from './sgm_census';

/** Matching parameters every unit may read. */
export interface SgmParams {
  p1: number;
  p2: number;
  textureThreshold: number;
  uniquenessRatio: number;
  disp12MaxDiff: number;
  subpixel: boolean;
  speckleWindowSize: number;
  speckleRange: number;
  /** 3: left-right, right-left and top-down in one sweep; 4: adds bottom-up (a second sweep). */
  paths: 3 | 4;
}

export type SgmTask =
  /** Cost, aggregation and selection of one strip (index into the layout's strips). */
  | { kind: 'strip'; index: number }
  /** Speckle removal over the whole image, after every strip. */
  | { kind: 'speckle' }
  /** Coarse-to-fine: refinement of one full-resolution strip, after the speckle removal. */
  | { kind: 'refine'; index: number };

/** Runs units. */
export class SgmTaskRunner {
  /** Runs one unit on frame `f`. Strip units may run concurrently: they share no output. */
  run(f: SgmFrame, prm: SgmParams, task: SgmTask): void {
    if (task.kind === 'strip') matchStrip(f, f.l.stripLayouts[task.index], prm);
    else if (task.kind === 'refine') refineStrip(f, task.index, prm);
    else filterSpeckles(f, prm.speckleWindowSize, prm.speckleRange);
  }
}
