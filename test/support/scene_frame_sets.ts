// The first frame sets of a bag, synchronised the way the runner does, and the rig they need:
// for tests that run PerceptionPipeline.process directly, without the scheduler.
import { openBag } from '../../src/io/bag_reader';
import type { CameraInfo, Image, TFMessage } from '../../src/msgs/types';
import type { PerceptionConfig } from '../../src/config/config_schema';
import { RigState } from '../../src/core/rig_state';
import type { FrameSet } from '../../src/sync/frame';
import { FrameSynchronizer } from '../../src/sync/frame_synchronizer';

/** The first `n` frame sets of `config.cameras` in `bag` (raw images), and the rig from its /tf_static. */
export async function firstFrameSets(bag: string, config: PerceptionConfig, n: number): Promise<{ sets: FrameSet[]; rig: RigState }> {
  const { cameras } = config;
  const rig = new RigState(config);
  const sync = new FrameSynchronizer({ cameras });
  const sets: FrameSet[] = [];
  sync.onSet((s) => sets.push(s));
  const reader = await openBag(bag);
  for await (const m of reader.messages()) {
    if (sets.length >= n) break;
    const camera = cameras.find((c) => m.topic === `/${c}/image_raw` || m.topic === `/${c}/camera_info`);
    if (m.topic === '/tf_static') rig.setTransforms(m.decode<TFMessage>(), true);
    else if (camera && m.topic.endsWith('camera_info')) {
      const info = m.decode<CameraInfo>();
      rig.setCameraInfo(camera, info);
      sync.addCameraInfo(camera, info);
    } else if (camera) sync.addImage(camera, m.decode<Image>());
  }
  await reader.close();
  return { sets, rig };
}
