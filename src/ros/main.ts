// Entry point of dx_perception_node:
//   ros2 run dx_perception dx_perception_node [--lifecycle] [--ros-args ...]
// Loads rclnodejs (the only place that does), starts the node, and shuts it down cleanly on
// SIGINT, SIGTERM and ROS shutdown: inputs stop, the runner finishes the frame sets in flight,
// the node is destroyed, then the ROS context.
import { createPerceptionRunner } from '../core/perception_runner';
import { PerceptionNode, type RunnerFactory } from './perception_node';
import { onShutdownSignals } from './shutdown_signals';
import type { RclModule } from './rclnodejs_gaps';

/** How often the ROS context is checked for a shutdown initiated outside this process's signals. */
const ROS_SHUTDOWN_POLL_MS = 500;
/** Longest wait for the runner to finish before the process exits anyway. */
const EXIT_GRACE_MS = 10_000;

const USAGE = 'usage: dx_perception_node [--lifecycle] [--ros-args ...]';

function loadRclnodejs(): RclModule {
  if (!process.env.AMENT_PREFIX_PATH) {
    // Loading rclnodejs without a sourced distro makes it try to compile its addon: say why first.
    throw new Error(
      'ROS 2 is not sourced (AMENT_PREFIX_PATH is empty); run `source /opt/ros/jazzy/setup.bash` and the workspace setup first',
    );
  }
  try {
    return require('rclnodejs') as RclModule;
  } catch (err) {
    throw new Error(
      `rclnodejs could not be loaded (${(err as Error).message.split('\n')[0]}); with ROS 2 sourced, run ` +
        '`npm_config_yes=true npm rebuild rclnodejs --ignore-scripts=false` in the package directory (README, "ROS 2")',
    );
  }
}

/** Parses this program's own flags (ROS arguments already removed). Throws on unknown flags. */
export function parseNodeArgs(args: readonly string[]): { lifecycle: boolean } {
  let lifecycle = false;
  for (const arg of args) {
    if (arg === '--lifecycle') lifecycle = true;
    else throw new Error(`unknown argument "${arg}"; ${USAGE}`);
  }
  return { lifecycle };
}

/**
 * Runs the node until a signal or ROS shutdown; resolves once everything is released.
 * `createRunner` defaults to the core pipeline's factory.
 */
export async function main(createRunner?: RunnerFactory): Promise<void> {
  const rcl = loadRclnodejs();
  const { lifecycle } = parseNodeArgs(rcl.removeROSArgs(process.argv.slice(2)));
  createRunner ??= (config) => createPerceptionRunner(config);
  await rcl.init();
  // rclnodejs's own SIGINT handler shuts the context down at once; ours lets the runner finish.
  rcl.removeSignalHandlers();
  const node = await PerceptionNode.start({ rcl, createRunner, lifecycle, argv: process.argv });
  node.logger.info(lifecycle ? 'started as a lifecycle node; waiting for configure' : 'running');

  await new Promise<void>((resolve) => {
    let stopped = false;
    const stop = (reason: string): void => {
      if (stopped) return; // a signal after a ROS shutdown, or the reverse
      stopped = true;
      clearInterval(watchdog);
      setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref();
      void node.shutdown(reason).finally(() => {
        if (!rcl.isShutdown()) rcl.shutdown();
        resolve();
      });
    };
    const watchdog = setInterval(() => {
      if (rcl.isShutdown()) stop('ROS shutdown');
    }, ROS_SHUTDOWN_POLL_MS);
    onShutdownSignals(stop);
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`dx_perception_node: ${message}\n`);
    process.exit(1);
  });
}
