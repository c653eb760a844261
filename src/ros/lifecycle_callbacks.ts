// The lifecycle callbacks of a managed PerceptionNode (`--lifecycle`): what configure, activate,
// deactivate, cleanup and shutdown do. rclnodejs calls them synchronously and cannot wait for
// models to load, so configure checks the model files at once (a missing one fails the
// transition) and a model that is there but does not load sends the node back to unconfigured.
import type * as Rcl from 'rclnodejs';
import type { PerceptionConfig } from '../config/config_schema';
import { unreadableModelFiles } from '../config/model_files';
import { readConfigParameters } from './node_parameters';
import type { RclModule } from './rclnodejs_gaps';

/** What the callbacks do to the node. */
export interface LifecycleActions {
  logger: Rcl.Logging;
  /** Starts the pipeline and the outputs; rejects when the pipeline cannot start. */
  configure(config: PerceptionConfig): Promise<void>;
  activate(): void;
  deactivate(): void;
  /** Cleanup and shutdown: stop receiving, release the outputs and the pipeline. */
  release(): void;
}

export function registerLifecycle(rcl: RclModule, node: Rcl.lifecycle.LifecycleNode, a: LifecycleActions): void {
  const lifecycle = rcl.lifecycle;
  node.registerOnConfigure(() => {
    try {
      const config = readConfigParameters(node);
      const unreadable = unreadableModelFiles(config);
      if (unreadable.length > 0) throw new Error(`configure failed: ${unreadable.join('; ')}`);
      a.configure(config).catch((err: Error) => configureFailed(node, a.logger, err));
      return lifecycle.CallbackReturnCode.SUCCESS;
    } catch (err) {
      a.logger.error((err as Error).message);
      return lifecycle.CallbackReturnCode.FAILURE;
    }
  });
  node.registerOnActivate(() => {
    a.activate();
    return lifecycle.CallbackReturnCode.SUCCESS;
  });
  node.registerOnDeactivate(() => {
    a.deactivate();
    return lifecycle.CallbackReturnCode.SUCCESS;
  });
  const release = (): Rcl.lifecycle.CallbackReturnCode => {
    a.release();
    return lifecycle.CallbackReturnCode.SUCCESS;
  };
  node.registerOnCleanup(release);
  node.registerOnShutdown(release);
}

/**
 * The pipeline of an accepted configure did not start: back to unconfigured, so the lifecycle
 * state says what the node can do. Inputs that arrived in between were dropped as pipeline_not_ready.
 */
function configureFailed(node: Rcl.lifecycle.LifecycleNode, logger: Rcl.Logging, err: Error): void {
  logger.error(`pipeline failed to start, back to unconfigured: ${err.message}`);
  for (const transition of [() => node.deactivate(), () => node.cleanup()]) {
    try {
      transition();
    } catch (e) {
      // deactivate throws when the node was not activated yet; nothing to undo then.
      logger.debug(`after the failed start: ${(e as Error).message}`);
    }
  }
}
