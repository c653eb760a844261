// The camera rig: each camera's model and where it sits on the robot (base_link <- optical frame),
// from TF when the robot publishes it, or from per-camera parameters when it does not. Also finds
// which cameras form stereo pairs (nearly parallel optical axes, horizontal baseline).
import { mat4, quat } from 'gl-matrix';
import type { Nanos } from '../msgs/time';
import type { CameraInfo } from '../msgs/types';
import { CameraModel } from './camera_model';
import { inverseTransform } from './rotation';
import type { TfBuffer } from './tf_buffer';

export interface RigCamera {
  name: string;
  /** Optical frame id (z forward, x right, y down), from CameraInfo.header.frame_id. */
  frameId: string;
  model: CameraModel;
  /** base_T_optical: maps points of the optical frame into the base frame (Float64Array). */
  baseFromCamera: mat4;
}

/**
 * Pose of a camera's body frame in the base frame (REP-103: x forward, y left, z up), as in a
 * URDF joint: translation in metres, fixed-axis roll, pitch, yaw in radians. The optical frame
 * (z forward) is derived from it.
 */
export interface CameraMount {
  xyz: [number, number, number];
  rpy: [number, number, number];
}

export interface StereoPairCandidate {
  left: RigCamera;
  right: RigCamera;
  /** right_T_left: maps left optical points into the right optical frame (OpenCV's R, T). */
  rightFromLeft: mat4;
  baseline: number;
}

export interface StereoPairOptions {
  /** Largest angle between the two optical axes. Default 10 degrees. */
  maxAxisAngleRad?: number;
  /** Largest |dy| / |dx| and |dz| / |dx| of the baseline in the left optical frame. Default 0.2. */
  maxOffAxisRatio?: number;
  /** Shortest usable baseline in metres. Default 0.02. */
  minBaselineM?: number;
}

/** body_T_optical: optical z = body x, optical x = body -y, optical y = body -z. */
const BODY_FROM_OPTICAL = Float64Array.of(0, -1, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0, 0, 1);

/** A new Float64 copy of the fixed body -> optical rotation (REP-103 body, optical z forward). */
export function bodyFromOptical(): mat4 {
  return Float64Array.from(BODY_FROM_OPTICAL);
}

function rpyQuat(roll: number, pitch: number, yaw: number): quat {
  // Fixed-axis X, then Y, then Z (URDF/ROS): q = qz(yaw) * qy(pitch) * qx(roll).
  const qx = quat.setAxisAngle(new Float64Array(4), [1, 0, 0], roll);
  const qy = quat.setAxisAngle(new Float64Array(4), [0, 1, 0], pitch);
  const qz = quat.setAxisAngle(new Float64Array(4), [0, 0, 1], yaw);
  const q = new Float64Array(4);
  quat.multiply(q, qz, qy);
  return quat.multiply(q, q, qx);
}

export class Rig {
  readonly cameras: readonly RigCamera[];

  private constructor(cameras: RigCamera[]) {
    this.cameras = cameras;
  }

  /**
   * Looks up base_T_optical for each camera (the frame_id of its CameraInfo) in `tf`, at `stamp`
   * (latest by default). Throws naming the camera and the missing TF link, or the bad CameraInfo.
   */
  static fromTf(tf: TfBuffer, infos: Record<string, CameraInfo>, baseFrame = 'base_link', stamp?: Nanos): Rig {
    return new Rig(
      Object.entries(infos).map(([name, info]) => {
        const model = CameraModel.fromCameraInfo(info, name);
        let baseFromCamera: mat4;
        try {
          baseFromCamera = tf.lookup(baseFrame, info.header.frame_id, stamp);
        } catch (e) {
          throw new Error(`camera "${name}" (frame_id "${info.header.frame_id}"): ${(e as Error).message}`);
        }
        return { name, frameId: info.header.frame_id, model, baseFromCamera };
      }),
    );
  }

  /**
   * Builds the rig from mounts (no TF published). Every camera of `infos` needs a mount; throws
   * naming the camera otherwise, or when a mount has non-finite values.
   */
  static fromParameters(mounts: Record<string, CameraMount>, infos: Record<string, CameraInfo>): Rig {
    return new Rig(
      Object.entries(infos).map(([name, info]) => {
        const mount = mounts[name];
        if (mount === undefined) {
          throw new Error(
            `rig.${name}: camera "${name}" has no extrinsics (rig.${name}.xyz, rig.${name}.rpy); rig has them for: ${Object.keys(mounts).join(', ') || '(none)'}`,
          );
        }
        const values = [...mount.xyz, ...mount.rpy];
        if (values.length !== 6 || !values.every(Number.isFinite)) {
          throw new Error(`rig.${name} = ${JSON.stringify(mount)}; expected finite xyz [m] and rpy [rad], 3 values each`);
        }
        const baseFromBody = mat4.fromRotationTranslation(new Float64Array(16), rpyQuat(...mount.rpy), mount.xyz);
        const baseFromCamera = mat4.multiply(new Float64Array(16), baseFromBody, BODY_FROM_OPTICAL);
        return { name, frameId: info.header.frame_id, model: CameraModel.fromCameraInfo(info, name), baseFromCamera };
      }),
    );
  }

  /** The camera called `name`; throws naming it and the rig's cameras if absent. */
  camera(name: string): RigCamera {
    const cam = this.cameras.find((c) => c.name === name);
    if (cam === undefined) throw new Error(`Rig: no camera "${name}"; cameras: ${this.cameras.map((c) => c.name).join(', ')}`);
    return cam;
  }

  /**
   * Pairs of cameras that can be rectified as horizontal stereo: same image size, optical axes
   * within maxAxisAngleRad, the right camera along +x of the left one. Left/right is decided by
   * geometry, not names. Sorted by baseline, longest first.
   */
  stereoPairs(options: StereoPairOptions = {}): StereoPairCandidate[] {
    const { maxAxisAngleRad = (10 * Math.PI) / 180, maxOffAxisRatio = 0.2, minBaselineM = 0.02 } = options;
    const pairs: StereoPairCandidate[] = [];
    for (let i = 0; i < this.cameras.length; i++) {
      for (let j = i + 1; j < this.cameras.length; j++) {
        const a = this.cameras[i];
        const b = this.cameras[j];
        if (a.model.width !== b.model.width || a.model.height !== b.model.height) continue;
        const aFromB = mat4.multiply(new Float64Array(16), inverseTransform(a.baseFromCamera), b.baseFromCamera);
        // Angle between optical axes: b's z axis expressed in a's frame is aFromB's third column.
        if (Math.acos(Math.min(1, Math.max(-1, aFromB[10]))) > maxAxisAngleRad) continue;
        const [dx, dy, dz] = [aFromB[12], aFromB[13], aFromB[14]];
        const baseline = Math.hypot(dx, dy, dz);
        if (baseline < minBaselineM || Math.abs(dy) > maxOffAxisRatio * Math.abs(dx) || Math.abs(dz) > maxOffAxisRatio * Math.abs(dx))
          continue;
        const [left, right] = dx > 0 ? [a, b] : [b, a];
        const rightFromLeft = mat4.multiply(new Float64Array(16), inverseTransform(right.baseFromCamera), left.baseFromCamera);
        pairs.push({ left, right, rightFromLeft, baseline });
      }
    }
    return pairs.sort((p, q) => q.baseline - p.baseline);
  }
}
