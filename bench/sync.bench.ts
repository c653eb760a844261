// Cost of synchronising 4 cameras at 30 Hz (±2 ms jitter, latched CameraInfo) through
// FrameSynchronizer with the ApproximateTime policy, per emitted set. Also the bare policy, to
// show what the synchroniser's bookkeeping (pairing, dropout, jump checks, stats) adds.
import { nanosToTime, type Nanos } from '../src/msgs/time';
import type { CameraInfo, Image } from '../src/msgs/types';
import { ApproximateTimePolicy } from '../src/sync/approximate_time';
import { FrameSynchronizer } from '../src/sync/frame_synchronizer';
import { timeMedianMs, type BenchRow } from './harness';

const CAMERAS = ['front_left', 'front_right', 'left', 'right'];
const FRAMES = 3000; // 100 s of 30 Hz video
const PERIOD = 33_333_333n;
const T0 = 1_700_000_000n * 1_000_000_000n;

function stream(): { camera: number; stamp: Nanos; image: Image }[] {
  let seed = 12345;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out: { camera: number; stamp: Nanos; image: Image }[] = [];
  for (let k = 0; k < FRAMES; k++) {
    CAMERAS.forEach((c, camera) => {
      const stamp = T0 + BigInt(k) * PERIOD + BigInt(Math.round((rand() * 4 - 2) * 1e6));
      const image: Image = {
        header: { stamp: nanosToTime(stamp), frame_id: `${c}_optical` },
        height: 480,
        width: 640,
        encoding: 'mono8',
        is_bigendian: 0,
        step: 640,
        data: new Uint8Array(0),
      };
      out.push({ camera, stamp, image });
    });
  }
  return out;
}

const INFO: CameraInfo = {
  header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'cam' },
  height: 480,
  width: 640,
  distortion_model: 'plumb_bob',
  d: [0, 0, 0, 0, 0],
  k: [500, 0, 320, 0, 500, 240, 0, 0, 1],
  r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  p: [500, 0, 320, 0, 0, 500, 240, 0, 0, 0, 1, 0],
  binning_x: 0,
  binning_y: 0,
  roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
};

export default async function (): Promise<BenchRow[]> {
  const msgs = stream();
  let sets = 0;
  const synchronizer = (): void => {
    const sync = new FrameSynchronizer({ cameras: CAMERAS });
    for (const c of CAMERAS) sync.addCameraInfo(c, INFO);
    sync.onSet(() => sets++);
    for (const m of msgs) sync.addImage(CAMERAS[m.camera], m.image);
  };
  const policy = (): void => {
    const p = new ApproximateTimePolicy<Image>({ topics: 4, queueSize: 10, agePenalty: 1.0 }, { onSet: () => sets++ });
    for (const m of msgs) p.add(m.camera, m.stamp, m.image);
  };
  sets = 0;
  synchronizer();
  const setsPerRun = sets;
  const syncMs = await timeMedianMs(synchronizer, 9, 2);
  const policyMs = await timeMedianMs(policy, 9, 2);
  return [
    {
      name: 'FrameSynchronizer 4 cams @30 Hz, per set',
      value: syncMs / setsPerRun,
      unit: 'ms',
      target: 0.1,
      note: `${setsPerRun} sets from ${msgs.length} images per run; ApproximateTime, queue 10`,
    },
    {
      name: 'ApproximateTimePolicy alone, per set',
      value: policyMs / setsPerRun,
      unit: 'ms',
      note: 'the message_filters algorithm without pairing/dropout/stats',
    },
    { name: 'FrameSynchronizer / bare policy', value: syncMs / policyMs, unit: 'ratio' },
  ];
}
