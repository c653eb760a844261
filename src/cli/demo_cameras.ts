// What each camera contributes over the whole demo run: obstacle-cloud points inside its
// horizontal field of view and the confirmed tracks that name it as a source. The report
// shows one line per camera, so a camera that adds nothing (no depth, no tracks) is visible.
import type { TrackedObject } from '../msgs/types';
import type { ReportFov } from '../report/birdseye';
import type { ReportRow } from '../report/html';

/** Half-width of the accumulation grid (m) and its cell (m): the cloud's range at most. */
const GRID_HALF_M = 12;
const GRID_CELL_M = 0.25;
const SIDE = Math.ceil((2 * GRID_HALF_M) / GRID_CELL_M);

export interface CameraSummary {
  camera: string;
  /** Mean obstacle-cloud points per completed frame set inside the camera's field of view. */
  pointsPerSet: number;
  /** Distinct confirmed (or coasting) track ids that listed the camera as a source. */
  tracks: number;
  /** Share of completed frame sets with at least one such track. */
  setsWithTrack: number;
  /** For the right camera of a stereo pair: the left camera whose depth (and so tracks) the pair's are. */
  pairedWith?: string;
}

export class CameraCoverage {
  /** Obstacle-cloud points per grid cell, summed over the completed frame sets. */
  readonly #grid = new Float64Array(SIDE * SIDE);
  readonly #trackIds = new Map<string, Set<number>>();
  readonly #setsWithTrack = new Map<string, number>();
  #sets = 0;

  /** One completed frame set: its obstacle cloud (x, y, z triples, base_link) and its tracks. */
  add(cloud: Float32Array, tracks: readonly TrackedObject[]): void {
    this.#sets++;
    for (let i = 0; i + 2 < cloud.length; i += 3) {
      const cx = Math.floor((cloud[i] + GRID_HALF_M) / GRID_CELL_M),
        cy = Math.floor((cloud[i + 1] + GRID_HALF_M) / GRID_CELL_M);
      if (cx >= 0 && cy >= 0 && cx < SIDE && cy < SIDE) this.#grid[cy * SIDE + cx]++;
    }
    const named = new Set<string>();
    for (const t of tracks) {
      if (t.state === 0) continue;
      for (const c of t.source_cameras) {
        named.add(c);
        const ids = this.#trackIds.get(c) ?? new Set<number>();
        ids.add(t.id);
        this.#trackIds.set(c, ids);
      }
    }
    for (const c of named) this.#setsWithTrack.set(c, (this.#setsWithTrack.get(c) ?? 0) + 1);
  }

  /** Per camera of `fovs` (bearings in base_link, as the bird's-eye view draws them); `pairs` maps a stereo right camera to its left. */
  summaries(fovs: readonly ReportFov[], pairs: ReadonlyMap<string, string> = new Map()): CameraSummary[] {
    return fovs.map((fov) => {
      let points = 0;
      for (let c = 0; c < this.#grid.length; c++) {
        if (this.#grid[c] === 0) continue;
        const cx = c % SIDE,
          cy = (c - cx) / SIDE;
        const x = (cx + 0.5) * GRID_CELL_M - GRID_HALF_M,
          y = (cy + 0.5) * GRID_CELL_M - GRID_HALF_M;
        if (inWedge(fov, x, y)) points += this.#grid[c];
      }
      const sets = Math.max(1, this.#sets);
      return {
        camera: fov.camera,
        pointsPerSet: points / sets,
        tracks: this.#trackIds.get(fov.camera)?.size ?? 0,
        setsWithTrack: (this.#setsWithTrack.get(fov.camera) ?? 0) / sets,
        pairedWith: pairs.get(fov.camera),
      };
    });
  }
}

/** Whether (x, y) lies between the field of view's edge bearings (left edge counter-clockwise of the right). */
function inWedge(fov: ReportFov, x: number, y: number): boolean {
  const wrap = (a: number) => ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  const bearing = Math.atan2(y - fov.y, x - fov.x);
  return wrap(bearing - fov.yawRight) <= wrap(fov.yawLeft - fov.yawRight);
}

/** The metrics table's rows: one per camera, obstacles and tracks side by side. */
export function cameraRows(summaries: readonly CameraSummary[]): ReportRow[] {
  return summaries.map((s) => ({
    metric: `camera ${s.camera}: obstacle points in view / tracks naming it`,
    value: `${Math.round(s.pointsPerSet)} per frame set / ${trackText(s)}`,
    target: '',
  }));
}

/** A stereo pair's depth is its left camera's, so the right camera's tracks are counted there. */
export function trackText(s: CameraSummary): string {
  if (s.pairedWith) return `tracks under ${s.pairedWith} (the stereo pair's depth is its left camera's)`;
  return `${s.tracks} tracks (in ${(100 * s.setsWithTrack).toFixed(0)} % of frame sets)`;
}
