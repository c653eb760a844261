// Whether a camera's images have the size its CameraInfo describes. A 320x240 image read with a
// 640x480 calibration projects every pixel to the wrong ray: depth, detections in 3D and the
// cloud would be garbage without a word. Such images are dropped and the camera is left out of
// the frame sets (the others run degraded) until an image of the right size comes again. A
// compressed image's size is read from its JPEG or PNG header, so it is checked the same way.
import { compressedImageSize } from '../io/compressed_size';
import type { CameraInfo, CompressedImage, Image } from '../msgs/types';

/**
 * The size an image delivered with `info` has (REP 104: cropped to the ROI, then binned), or
 * undefined when `info` does not say (width or height 0: the rig reports that calibration).
 */
export function deliveredSize(info: CameraInfo): { width: number; height: number } | undefined {
  if (!(info.width > 0) || !(info.height > 0)) return undefined;
  const roiW = info.roi.width === 0 ? info.width : info.roi.width;
  const roiH = info.roi.height === 0 ? info.height : info.roi.height;
  return { width: Math.floor(roiW / Math.max(1, info.binning_x)), height: Math.floor(roiH / Math.max(1, info.binning_y)) };
}

/**
 * Why `image` cannot be used with `info` (naming both sizes), or undefined when it can. A
 * compressed image whose header gives no size is left to the decode, which names the damage.
 */
export function sizeMismatch(image: Image | CompressedImage, info: CameraInfo): string | undefined {
  const size = 'width' in image ? image : compressedImageSize(image.data);
  const want = deliveredSize(info);
  if (!size || !want || (size.width === want.width && size.height === want.height)) return undefined;
  const binned = info.binning_x > 1 || info.binning_y > 1 || info.roi.width > 0 ? ` (after its roi and binning)` : '';
  return `its images are ${size.width}x${size.height} but its camera_info says ${want.width}x${want.height}${binned}`;
}
