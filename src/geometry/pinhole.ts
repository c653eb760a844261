// The minimal camera intrinsics every depth and fusion routine needs: a distortion-free
// pinhole (a rectified or undistorted image). Full CameraInfo models live in camera_model.ts.

export interface Pinhole {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  width: number;
  height: number;
}
