// What happens to a received input before the pipeline sees it: it is dropped (counted by topic
// and reason, the first of each warned) while no pipeline runs or when it cannot be converted,
// and an image's stamp is compared with the node clock (one warning when they disagree).
import type * as Rcl from 'rclnodejs';
import { timeToNanos, type Nanos } from '../msgs/time';
import type { CompressedImage, Image } from '../msgs/types';
import type { PerceptionRunner } from '../core/runner_api';
import type { ClockCheck } from './clock_check';
import type { DropCounts, NodeDropReason } from './drop_summary';
import type { InputHandlers } from './input_subscriptions';

export class InputGate implements InputHandlers {
  readonly #node: Rcl.Node;
  readonly #runner: () => PerceptionRunner | undefined;
  readonly #drops: DropCounts;
  readonly #clockCheck: ClockCheck;

  constructor(node: Rcl.Node, runner: () => PerceptionRunner | undefined, drops: DropCounts, clockCheck: ClockCheck) {
    this.#node = node;
    this.#runner = runner;
    this.#drops = drops;
    this.#clockCheck = clockCheck;
  }

  deliver<T>(topic: string, convert: () => T, handle: (runner: PerceptionRunner, msg: T) => void): void {
    const runner = this.#runner();
    if (!runner) {
      this.#drop(topic, 'pipeline_not_ready', 'the pipeline is not ready yet');
      return;
    }
    let msg: T;
    try {
      msg = convert();
    } catch (err) {
      this.#drop(topic, 'unconvertible', (err as Error).message);
      return;
    }
    handle(runner, msg);
  }

  image(runner: PerceptionRunner, topic: string, camera: string, msg: Image | CompressedImage): void {
    const stamp = validStamp(msg.header.stamp);
    if (stamp !== undefined) {
      const useSimTime = this.#node.getParameter('use_sim_time').value === true;
      const warning = this.#clockCheck.observe(topic, stamp, this.#node.now().nanoseconds, useSimTime);
      if (warning) this.#node.getLogger().warn(warning);
    }
    runner.handleImage(camera, msg); // an invalid stamp is the synchroniser's to report
  }

  #drop(topic: string, reason: NodeDropReason, detail: string): void {
    if (this.#drops.countNodeDrop(topic, reason)) {
      this.#node.getLogger().warn(`dropping input on ${topic}: ${detail} (${reason}; totals at shutdown)`);
    }
  }
}

function validStamp(t: { sec: number; nanosec: number }): Nanos | undefined {
  try {
    return timeToNanos(t);
  } catch {
    return undefined;
  }
}
