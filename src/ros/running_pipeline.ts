// The node's one running pipeline: started for a configuration, handed the parameter changes it
// can take at once, replaced by a new one on a change it cannot take (config_changes.ts decides),
// and closed with its synchroniser's drop counts kept for the shutdown summary.
import type * as Rcl from 'rclnodejs';
import { configChange } from '../config/config_changes';
import type { PerceptionConfig } from '../config/config_schema';
import type { PipelineResult } from '../core/result';
import type { PerceptionRunner } from '../core/runner_api';
import type { DropCounts } from './drop_summary';

/** Builds the core pipeline for a configuration (the lead's createPerceptionRunner, or a test's). */
export type RunnerFactory = (config: PerceptionConfig) => PerceptionRunner | Promise<PerceptionRunner>;

export class RunningPipeline {
  readonly #createRunner: RunnerFactory;
  readonly #logger: () => Rcl.Logging;
  readonly #onResult: (result: PipelineResult) => void;
  readonly #drops: DropCounts;
  #runner: PerceptionRunner | undefined;
  /** The configuration the runner runs. */
  #config: PerceptionConfig | undefined;

  constructor(createRunner: RunnerFactory, logger: () => Rcl.Logging, onResult: (result: PipelineResult) => void, drops: DropCounts) {
    this.#createRunner = createRunner;
    this.#logger = logger;
    this.#onResult = onResult;
    this.#drops = drops;
  }

  /** The runner, once started (inputs before then are the node's to drop). */
  get runner(): PerceptionRunner | undefined {
    return this.#runner;
  }

  /** Starts a runner for `config`, then closes the previous one. Rejects when it cannot start. */
  async start(config: PerceptionConfig): Promise<void> {
    const runner = await this.#createRunner(config);
    runner.onResult(this.#onResult);
    runner.onWarning((message) => this.#logger().warn(message));
    const previous = this.#runner;
    this.#runner = runner;
    this.#config = config;
    if (previous) await this.#close(previous);
  }

  /**
   * An accepted parameter change: live keys go to the running runner, any other key starts a new
   * one. Never rejects: on a failure the previous pipeline keeps running (logged). Nothing
   * happens before start() (an unconfigured lifecycle node reads the values at configure).
   */
  async change(config: PerceptionConfig): Promise<void> {
    const runner = this.#runner;
    const running = this.#config;
    if (!runner || !running) return;
    const { changed, restart } = configChange(running, config);
    if (changed.length === 0) return;
    const logger = this.#logger();
    try {
      if (restart.length === 0) {
        runner.retune(config);
        this.#config = config;
        logger.info(`parameters changed (${changed.join(', ')}): applied to the running pipeline`);
        return;
      }
      logger.info(`parameters changed (${restart.join(', ')}): restarting the pipeline with the new configuration`);
      await this.start(config);
    } catch (err) {
      logger.error(`applying the parameter change failed, the previous configuration keeps running: ${(err as Error).message}`);
    }
  }

  /** Closes the runner, if any: the frame sets in flight are finished first. Never rejects. */
  async close(): Promise<void> {
    const runner = this.#runner;
    this.#runner = undefined;
    this.#config = undefined;
    if (runner) await this.#close(runner);
  }

  async #close(runner: PerceptionRunner): Promise<void> {
    try {
      await runner.close();
    } catch (err) {
      this.#logger().error(`closing the pipeline failed: ${(err as Error).message}`);
    }
    this.#drops.addSyncDrops(runner.inputDrops());
  }
}
