// What the camera roster knows of one camera, and the words it tells the user about it with:
// every message names the camera, what was dropped and why, and whether it is said again.
import type { Nanos } from '../msgs/time';
import type { CompressedImage, Image } from '../msgs/types';

export type AnyImage = Image | CompressedImage;

/** An image held back, with the caller-clock time it came. */
export interface HeldImage {
  camera: string;
  stamp: Nanos;
  image: AnyImage;
  arrival: Nanos;
}

export interface Standing {
  lastStamp: Nanos | undefined;
  /** Caller-clock time of the last usable image; undefined until the first one or the first tick. */
  lastArrival: Nanos | undefined;
  /** Gap between its last two usable stamps: how far ahead of the others its next image may be. */
  period: Nanos;
  silent: boolean;
  /** Its clock disagrees with the other cameras': left out until its stamps agree again. */
  isolated: boolean;
  /** Images held while it is undecided whether this camera's clock or the rig's time is off. */
  offHeld: HeldImage[];
  /** One image stamped far ahead of the others, held until they catch up or it proves an outlier. */
  early: HeldImage | undefined;
  /** Why its images cannot be used with its CameraInfo (their size): left out until they can. */
  misfit: string | undefined;
  /** Its images waited the dropout timeout for its first CameraInfo: left out until one comes. */
  noInfo: boolean;
  /** Images dropped since its last usable one, and why the last one was. */
  unusable: number;
  unusableWhy: string;
}

export function newStanding(): Standing {
  return {
    lastStamp: undefined,
    lastArrival: undefined,
    period: 0n,
    silent: false,
    isolated: false,
    misfit: undefined,
    noInfo: false,
    offHeld: [],
    early: undefined,
    unusable: 0,
    unusableWhy: '',
  };
}

const SECONDS = (ns: Nanos): string => (Number(ns) / 1e9).toFixed(3);
const AGAIN = (periodNs: Nanos): string => `said again every ${SECONDS(periodNs)} s while it lasts`;
const SYNC = 'FrameSynchronizer:';

/** The roster's warnings; `clause` says what the rig does without the camera (degrade or wait). */
export const say = {
  future: (camera: string, stamp: Nanos, next: Nanos) =>
    `${SYNC} image of camera "${camera}" at ${stamp} ns dropped: stamped ${SECONDS(stamp - next)} s ahead of its next image (${next} ns); counted as stamp_in_future`,
  missingInfo: (camera: string, stamp: Nanos, why: string, periodNs: Nanos) =>
    `${SYNC} image of camera "${camera}" at ${stamp} ns dropped: ${why} (${AGAIN(periodNs)})`,
  misfit: (camera: string, why: string, periodNs: Nanos, clause: string) =>
    `${SYNC} camera "${camera}": ${why}; leaving it out until they agree, its images dropped as size_mismatch (${AGAIN(periodNs)}); ${clause}`,
  noInfo: (camera: string, waitedNs: Nanos, clause: string) =>
    `${SYNC} camera "${camera}": no camera_info received yet; its images waited ${SECONDS(waitedNs)} s for one; leaving it out until it comes, its images dropped as no_camera_info; ${clause}`,
  infoCame: (camera: string) => `${SYNC} camera "${camera}": its camera_info came; syncing it again`,
  fitsAgain: (camera: string) => `${SYNC} camera "${camera}": its images match its camera_info again; syncing it again`,
  agreesAgain: (camera: string) => `${SYNC} camera "${camera}": its stamps agree with the other cameras' again; syncing it again`,
  back: (camera: string) => `${SYNC} camera "${camera}" is back`,
  isolated: (camera: string, offset: Nanos, clause: string) =>
    `${SYNC} camera "${camera}": its stamps are ${SECONDS(offset < 0n ? -offset : offset)} s ${offset < 0n ? 'behind' : 'ahead of'} ` +
    `the other cameras' time (a broken camera clock?); leaving it out until they agree, its images dropped as clock_offset; ${clause}`,
  outOfOrder: (camera: string, stamp: Nanos, previous: Nanos | undefined, periodNs: Nanos) =>
    `${SYNC} image of camera "${camera}" at ${stamp} ns dropped: not newer than its previous image (${previous} ns) (counted as out_of_order; ${AGAIN(periodNs)})`,
  stillIsolated: (camera: string, offset: Nanos, dropped: number) =>
    `${SYNC} camera "${camera}" still left out: its stamps are ${SECONDS(offset)} s off the other cameras' time (${dropped} images dropped so far)`,
  silent: (camera: string, s: Standing, silentNs: Nanos, timeoutNs: Nanos, clause: string) => {
    const why = s.unusable > 0 ? `; its last ${s.unusable} images were dropped (${s.unusableWhy})` : '';
    return `${SYNC} camera "${camera}" silent for ${(Number(silentNs) / 1e6).toFixed(1)} ms (timeout ${Number(timeoutNs) / 1e6} ms)${why}; ${clause}`;
  },
};
