// dx_perception_node: the thin ROS shell around the core pipeline. It declares the parameters,
// subscribes to each camera's image and camera_info and to TF, feeds a PerceptionRunner (the
// same core the bag replay feeds), and publishes every output of every result.
//
// The logic it uses lives in pure modules tested without ROS: parameters.ts (schema <-> ROS
// parameters), parameter_overrides.ts (which --ros-args apply), input_topics.ts, qos.ts,
// message_conversion.ts, output_publisher.ts, advertised_outputs.ts, clock_check.ts and
// drop_summary.ts; input_gate.ts drops what cannot reach the pipeline. The subscriptions are made in input_subscriptions.ts, the lifecycle
// callbacks in lifecycle_callbacks.ts; running_pipeline.ts holds the runner (live parameter
// changes, restarts) and publisher_qos_check.ts watches the input publishers' QoS; rclnodejs
// itself is passed in by main.ts.
import { readFileSync } from 'node:fs';
import type * as Rcl from 'rclnodejs';
import type { PerceptionConfig } from '../config/config_schema';
import { cameraTopics } from './input_topics';
import { subscribeInputs } from './input_subscriptions';
import { advertisedOutputs } from './advertised_outputs';
import { ClockCheck } from './clock_check';
import { DropCounts } from './drop_summary';
import { InputGate } from './input_gate';
import { registerLifecycle } from './lifecycle_callbacks';
import { RunningPipeline, type RunnerFactory } from './running_pipeline';
import { applyUseSimTime, declareConfigParameters, guardParameterChanges } from './node_parameters';
import { overrideSections, resolveOverrides } from './parameter_overrides';
import { OutputPublisher } from './output_publisher';
import { outputQos } from './qos';
import { PublisherQosCheck } from './publisher_qos_check';
import { messageTypeClass, publishTo, toRclQos, type RclModule } from './rclnodejs_gaps';

export type { RunnerFactory } from './running_pipeline';

export interface PerceptionNodeOptions {
  /** The loaded rclnodejs module, already initialised (rcl.init()). */
  rcl: RclModule;
  createRunner: RunnerFactory;
  /** Run as a managed lifecycle node: nothing is subscribed until configured and activated. */
  lifecycle?: boolean;
  nodeName?: string;
  /** How often publishers of our input topics are checked for incompatible QoS. */
  qosCheckPeriodMs?: number;
  /** The process's command line: its --ros-args hold the parameter overrides (main passes process.argv). */
  argv?: readonly string[];
  /** Reads a --params-file (tests pass files in memory). */
  readFile?: (path: string) => string;
}

type AnyPublisher = Rcl.Publisher<{ package: string; type: string; name: string }>;

export class PerceptionNode {
  readonly #rcl: RclModule;
  readonly #node: Rcl.Node;
  readonly #qosCheck: PublisherQosCheck;
  #config: PerceptionConfig | undefined;
  readonly #pipeline: RunningPipeline;
  #outputs: OutputPublisher | undefined;
  readonly #publishers: AnyPublisher[] = [];
  #subscriptions: Rcl.Subscription[] = [];
  /** Input topics with the QoS we request, for the incompatible-QoS check. */
  #tickTimer: Rcl.Timer | undefined;
  /** Inputs dropped (before the pipeline is ready, unconvertible, or by the synchroniser). */
  readonly #drops = new DropCounts();
  readonly #clockCheck = new ClockCheck();
  readonly #inputs: InputGate;
  /** Between activate and deactivate: inputs are subscribed and results published. */
  #active = false;
  #closed = false;

  private constructor(rcl: RclModule, node: Rcl.Node, createRunner: RunnerFactory, qosCheckPeriodMs: number) {
    this.#rcl = rcl;
    this.#node = node;
    this.#qosCheck = new PublisherQosCheck(node, qosCheckPeriodMs);
    this.#inputs = new InputGate(node, () => this.#pipeline.runner, this.#drops, this.#clockCheck);
    // An inactive lifecycle node publishes nothing, not even the results of sets still in flight.
    this.#pipeline = new RunningPipeline(
      createRunner,
      () => this.logger,
      (result) => {
        if (this.#active) this.#outputs?.publish(result);
      },
      this.#drops,
    );
  }

  /**
   * Creates and spins the node. Rejects with a ConfigError (naming key, value and expectation)
   * on bad parameters. A plain node is configured and active when the returned promise
   * resolves; a lifecycle node waits, unconfigured, for `ros2 lifecycle set`.
   */
  static async start({
    rcl,
    createRunner,
    lifecycle = false,
    nodeName = 'dx_perception_node',
    qosCheckPeriodMs = 3000,
    argv = [],
    readFile = (path) => readFileSync(path, 'utf8'),
  }: PerceptionNodeOptions): Promise<PerceptionNode> {
    const node = lifecycle ? new rcl.lifecycle.LifecycleNode(nodeName, undefined, undefined, undefined, true) : new rcl.Node(nodeName);
    const self = new PerceptionNode(rcl, node, createRunner, qosCheckPeriodMs);
    try {
      // Parameters are declared (and the overrides validated) at start in both modes, so
      // `ros2 param` works before a lifecycle node is configured. The overrides are resolved
      // here, not by rclnodejs, which misses launch_ros's fully qualified sections.
      const overrides = resolveOverrides(overrideSections(argv, readFile), node.getFullyQualifiedName());
      applyUseSimTime(rcl, node, overrides);
      const config = declareConfigParameters(rcl, node, overrides);
      guardParameterChanges(rcl, node, (next) => void self.#reconfigure(next));
      if (node instanceof rcl.lifecycle.LifecycleNode) {
        registerLifecycle(rcl, node, {
          logger: self.logger,
          configure: (c) => self.#configure(c),
          activate: () => self.#activate(),
          deactivate: () => self.#deactivate(),
          release: () => {
            self.#deactivate();
            self.#releaseOutputs();
            void self.#pipeline.close();
          },
        });
      } else {
        await self.#configure(config);
        self.#activate();
      }
    } catch (err) {
      node.destroy();
      throw err;
    }
    node.spin();
    return self;
  }

  get name(): string {
    return this.#node.name();
  }

  get logger(): Rcl.Logging {
    return this.#node.getLogger();
  }

  /**
   * Stops receiving, lets the runner finish the frame sets in flight, then destroys the node.
   * Idempotent; never throws (failures are logged).
   */
  async shutdown(reason: string): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.logger.info(`shutting down (${reason})`);
    this.#deactivate();
    await this.#pipeline.close();
    for (const line of this.#drops.summary()) this.logger.info(line);
    try {
      this.#node.destroy();
    } catch (err) {
      // The context may already be shut down (ROS shutdown), which destroys nodes with it.
      this.logger.debug(`node destroy: ${(err as Error).message}`);
    }
  }

  /** Starts the runner for `config` and sets up the outputs. */
  async #configure(config: PerceptionConfig): Promise<void> {
    this.#config = config;
    this.#outputs = new OutputPublisher({
      namespace: config.topics.output_namespace,
      createPublisher: (topic, type) => {
        const publisher = this.#node.createPublisher(messageTypeClass(type), topic, { qos: toRclQos(this.#rcl, outputQos()) });
        this.#publishers.push(publisher);
        return { publish: (msg) => publishTo(publisher, msg) };
      },
      onWarning: (message) => this.logger.warn(message),
    });
    this.#outputs.advertise(advertisedOutputs(config));
    await this.#pipeline.start(config);
  }

  /** An accepted parameter change; activate reads the new values too (the tick period). */
  async #reconfigure(config: PerceptionConfig): Promise<void> {
    const rate = this.#config?.scheduler.rate_hz;
    if (this.#config) this.#config = config;
    await this.#pipeline.change(config);
    if (this.#tickTimer && rate !== config.scheduler.rate_hz) this.#startTicks(config.scheduler.rate_hz);
  }

  /** Ticks at the frame-set rate on the node's clock: with use_sim_time they follow /clock (and stop with it). */
  #startTicks(rateHz: number): void {
    const node = this.#node;
    if (this.#tickTimer) node.destroyTimer(this.#tickTimer);
    this.#tickTimer = node.createTimer(BigInt(Math.round(1e9 / rateHz)), () => {
      const now = node.now().nanoseconds;
      if (now > 0n) this.#pipeline.runner?.tick(this.#clockCheck.sourceTime(now)); // 0 = sim time before the first /clock message
    });
  }

  #releaseOutputs(): void {
    this.#outputs = undefined;
    try {
      for (const p of this.#publishers) this.#node.destroyPublisher(p);
    } catch (err) {
      this.logger.debug(`releasing publishers: ${(err as Error).message}`);
    }
    this.#publishers.length = 0;
  }

  #activate(): void {
    const config = this.#config;
    if (!config) throw new Error('PerceptionNode: activated before it was configured');
    this.#active = true;
    const node = this.#node;
    const inputs = subscribeInputs(this.#rcl, node, config, this.#inputs);
    this.#subscriptions = inputs.map((input) => input.subscription);
    this.#qosCheck.start(inputs.map(({ topic, qos }) => ({ topic, qos })));
    this.#startTicks(config.scheduler.rate_hz);
    this.logger.info(
      `subscribed to ${config.cameras.length} camera(s): ${cameraTopics(config)
        .map((c) => c.image.topic)
        .join(', ')}; ` + `outputs under ${config.topics.output_namespace}`,
    );
  }

  #deactivate(): void {
    this.#active = false;
    this.#qosCheck.stop();
    const node = this.#node;
    try {
      if (this.#tickTimer) node.destroyTimer(this.#tickTimer);
      for (const s of this.#subscriptions) node.destroySubscription(s);
    } catch (err) {
      this.logger.debug(`releasing subscriptions: ${(err as Error).message}`);
    }
    this.#tickTimer = undefined;
    this.#subscriptions = [];
  }
}
