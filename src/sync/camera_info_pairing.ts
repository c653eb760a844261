// Pairs one camera's images with the CameraInfo that applies to them. latched: the latest info
// applies to every image; images that come before the camera's first info wait for it (drivers
// and `ros2 bag play` send the image just before its camera_info, so dropping it would lose the
// first frame set). per_frame: each image needs the info of its own stamp, whichever comes first.
// Both waiting lists are bounded by queueSize, oldest dropped first.
import type { CameraInfo, CompressedImage, Image } from '../msgs/types';
import type { Nanos } from '../msgs/time';

export interface PairingCallbacks {
  /** An image with its CameraInfo, ready for the policy. */
  paired(stamp: Nanos, image: Image | CompressedImage, info: CameraInfo): void;
  /** An image that will never get its CameraInfo, with why (for a warning). */
  unpaired(stamp: Nanos, why: string): void;
}

export class CameraInfoPairing {
  readonly #mode: 'latched' | 'per_frame';
  readonly #queueSize: number;
  readonly #cb: PairingCallbacks;
  #latched: CameraInfo | undefined;
  /** per_frame: CameraInfos awaiting their image, by stamp, oldest first. */
  readonly #infos = new Map<Nanos, CameraInfo>();
  /** Images awaiting their CameraInfo, by stamp, oldest first. */
  readonly #images = new Map<Nanos, Image | CompressedImage>();
  /** Images that had to wait for their CameraInfo, for the statistics. */
  held = 0;

  constructor(mode: 'latched' | 'per_frame', queueSize: number, callbacks: PairingCallbacks) {
    this.#mode = mode;
    this.#queueSize = queueSize;
    this.#cb = callbacks;
  }

  image(stamp: Nanos, image: Image | CompressedImage): void {
    if (this.#mode === 'latched') {
      if (this.#latched === undefined) this.#hold(stamp, image, 'no CameraInfo received yet');
      else this.#cb.paired(stamp, image, this.#latched);
      return;
    }
    const info = this.#infos.get(stamp);
    if (info === undefined) {
      // The driver may publish the CameraInfo right after the image: hold the image for it.
      this.#hold(stamp, image, 'no CameraInfo with its stamp arrived (cameraInfo: per_frame)');
      return;
    }
    // Images of a camera come in stamp order, so older infos can no longer match one.
    for (const s of this.#infos.keys()) if (s <= stamp) this.#infos.delete(s);
    this.#cb.paired(stamp, image, info);
  }

  /** Records a CameraInfo; `stamp` is its header stamp (per_frame needs it). */
  info(info: CameraInfo, stamp: Nanos | undefined): void {
    if (this.#mode === 'latched') {
      this.#latched = info;
      const held = [...this.#images];
      this.#images.clear();
      for (const [s, image] of held) this.#cb.paired(s, image, info);
      return;
    }
    if (stamp === undefined) return;
    const image = this.#images.get(stamp);
    if (image === undefined) {
      this.#infos.set(stamp, info);
      if (this.#infos.size > this.#queueSize) this.#infos.delete(this.#infos.keys().next().value as Nanos);
      return;
    }
    for (const [s] of this.#images) {
      if (s >= stamp) break;
      this.#images.delete(s);
      this.#cb.unpaired(s, 'a CameraInfo for a later image arrived first (cameraInfo: per_frame)');
    }
    this.#images.delete(stamp);
    this.#cb.paired(stamp, image, info);
  }

  /** latched, before the first CameraInfo: the stamp of the oldest image waiting for it. */
  get waitingSince(): Nanos | undefined {
    return this.#mode === 'latched' && this.#latched === undefined ? this.#images.keys().next().value : undefined;
  }

  /** Forgets what waits (time jumped); returns the stamps of the images that were waiting. */
  clear(): Nanos[] {
    const stamps = [...this.#images.keys()];
    this.#images.clear();
    this.#infos.clear();
    return stamps;
  }

  #hold(stamp: Nanos, image: Image | CompressedImage, why: string): void {
    this.#images.set(stamp, image);
    this.held++;
    if (this.#images.size <= this.#queueSize) return;
    const oldest = this.#images.keys().next().value as Nanos;
    this.#images.delete(oldest);
    this.#cb.unpaired(oldest, why);
  }
}
