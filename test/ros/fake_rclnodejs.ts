// An in-memory stand-in for the rclnodejs calls PerceptionNode makes, for unit tests only:
// parameters (declare/get/set with the pre-set, on-set and post-set callbacks, in rclnodejs's
// order), publishers, subscriptions, timers, a settable clock and a recording logger. It is not
// a ROS graph: nothing is transported; a test calls a subscription's callback to "receive".
import type { RclModule } from '../../src/ros/rclnodejs_gaps';

export class FakeParameter {
  constructor(
    readonly name: string,
    readonly type: number,
    readonly value: unknown,
  ) {}
}

export class FakeRange {
  constructor(
    readonly from: unknown,
    readonly to: unknown,
    readonly step: unknown,
  ) {}
}

export class FakeDescriptor {
  additionalConstraints = '';
  constructor(
    readonly name: string,
    readonly type: number,
    readonly description: string,
    readonly readOnly: boolean,
    readonly range?: FakeRange,
  ) {}
}

export interface FakeSubscription {
  type: string;
  topic: string;
  callback: (msg: unknown) => void;
}

type SetResult = { successful: boolean; reason: string };

export class FakeNode {
  readonly params = new Map<string, FakeParameter>();
  readonly descriptors = new Map<string, FakeDescriptor>();
  readonly publishers: Array<{ topic: string; type: string; sent: unknown[] }> = [];
  subscriptions: FakeSubscription[] = [];
  readonly timers: Array<{ periodNs: bigint; callback: () => void }> = [];
  readonly log: Array<{ level: 'debug' | 'info' | 'warn' | 'error'; message: string }> = [];
  /** Node clock, ns (the test moves it). */
  nowNs = 0n;
  destroyed = false;
  readonly #pre: Array<(p: FakeParameter[]) => FakeParameter[]> = [];
  readonly #on: Array<(p: FakeParameter[]) => SetResult> = [];
  readonly #post: Array<(p: FakeParameter[]) => void> = [];

  constructor(
    readonly nodeName: string,
    readonly namespace = '/',
  ) {
    // rclnodejs declares use_sim_time from its own overrides (none of launch_ros's here).
    this.params.set('use_sim_time', new FakeParameter('use_sim_time', 1, false));
  }

  name(): string {
    return this.nodeName;
  }
  getFullyQualifiedName(): string {
    return `${this.namespace === '/' ? '' : this.namespace}/${this.nodeName}`;
  }
  getLogger(): Record<string, (m: string) => void> {
    const at = (level: FakeNode['log'][number]['level']) => (message: string) => void this.log.push({ level, message });
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  }
  declareParameter(p: FakeParameter, descriptor: FakeDescriptor): void {
    this.params.set(p.name, p);
    this.descriptors.set(p.name, descriptor);
  }
  hasParameter(name: string): boolean {
    return this.params.has(name);
  }
  getParameter(name: string): FakeParameter {
    const p = this.params.get(name);
    if (!p) throw new Error(`parameter ${name} is not declared`);
    return p;
  }
  getParameters(): FakeParameter[] {
    return [...this.params.values()];
  }
  setParameters(changes: FakeParameter[]): SetResult[] {
    let next = changes;
    for (const cb of this.#pre) next = cb(next);
    for (const cb of this.#on) {
      const r = cb(next);
      if (!r.successful) return changes.map(() => r);
    }
    for (const p of next) this.params.set(p.name, p);
    for (const cb of this.#post) cb(next);
    return changes.map(() => ({ successful: true, reason: '' }));
  }
  addPreSetParametersCallback(cb: (p: FakeParameter[]) => FakeParameter[]): void {
    this.#pre.push(cb);
  }
  addOnSetParametersCallback(cb: (p: FakeParameter[]) => SetResult): void {
    this.#on.push(cb);
  }
  addPostSetParametersCallback(cb: (p: FakeParameter[]) => void): void {
    this.#post.push(cb);
  }
  createPublisher(type: { package: string; type: string; name: string }, topic: string): { topic: string; publish: (m: unknown) => void } {
    const entry = { topic, type: `${type.package}/${type.type}/${type.name}`, sent: [] as unknown[] };
    this.publishers.push(entry);
    return { topic, publish: (m) => void entry.sent.push(m) };
  }
  destroyPublisher(): void {}
  createSubscription(type: string, topic: string, _options: unknown, callback: (msg: unknown) => void): FakeSubscription {
    const s = { type, topic, callback };
    this.subscriptions.push(s);
    return s;
  }
  destroySubscription(s: FakeSubscription): void {
    this.subscriptions = this.subscriptions.filter((x) => x !== s);
  }
  createTimer(periodNs: bigint, callback: () => void): object {
    const t = { periodNs, callback };
    this.timers.push(t);
    return t;
  }
  destroyTimer(t: object): void {
    const i = this.timers.indexOf(t as FakeNode['timers'][number]);
    if (i >= 0) this.timers.splice(i, 1);
  }
  now(): { nanoseconds: bigint } {
    return { nanoseconds: this.nowNs };
  }
  getPublishersInfoByTopic(): object[] {
    return [];
  }
  spin(): void {}
  destroy(): void {
    this.destroyed = true;
  }
  /** The subscription of `topic`; throws when the node has none. */
  subscription(topic: string): FakeSubscription {
    const s = this.subscriptions.find((x) => x.topic === topic);
    if (!s) throw new Error(`no subscription of ${topic}; have ${this.subscriptions.map((x) => x.topic).join(', ')}`);
    return s;
  }
}

type Transition = 'configure' | 'activate' | 'deactivate' | 'cleanup' | 'shutdown';
type LifecycleState = 'unconfigured' | 'inactive' | 'active' | 'finalized';

/** rclnodejs's lifecycle transitions: from, to (a callback returning FAILURE leaves the state as it was). */
const TRANSITIONS: Record<Transition, [LifecycleState[], LifecycleState]> = {
  configure: [['unconfigured'], 'inactive'],
  activate: [['inactive'], 'active'],
  deactivate: [['active'], 'inactive'],
  cleanup: [['inactive'], 'unconfigured'],
  shutdown: [['unconfigured', 'inactive', 'active'], 'finalized'],
};

export class FakeLifecycleNode extends FakeNode {
  state: LifecycleState = 'unconfigured';
  readonly #callbacks = new Map<Transition, () => number>();

  registerOnConfigure(cb: () => number): void {
    this.#callbacks.set('configure', cb);
  }
  registerOnActivate(cb: () => number): void {
    this.#callbacks.set('activate', cb);
  }
  registerOnDeactivate(cb: () => number): void {
    this.#callbacks.set('deactivate', cb);
  }
  registerOnCleanup(cb: () => number): void {
    this.#callbacks.set('cleanup', cb);
  }
  registerOnShutdown(cb: () => number): void {
    this.#callbacks.set('shutdown', cb);
  }
  configure(): number {
    return this.#transition('configure');
  }
  activate(): number {
    return this.#transition('activate');
  }
  deactivate(): number {
    return this.#transition('deactivate');
  }
  cleanup(): number {
    return this.#transition('cleanup');
  }

  /** Like rclnodejs: throws when the transition does not start from this state; returns the callback's code. */
  #transition(name: Transition): number {
    const [from, to] = TRANSITIONS[name];
    if (!from.includes(this.state)) throw new Error(`No transition available from state ${this.state} (${name})`);
    const code = this.#callbacks.get(name)?.() ?? 0;
    if (code === 0) this.state = to;
    return code;
  }
}

/** A fake rclnodejs module; `nodes` holds every node it made. */
export function fakeRclnodejs(namespace = '/'): { rcl: RclModule; nodes: FakeNode[] } {
  const nodes: FakeNode[] = [];
  const module = {
    Node: class extends FakeNode {
      constructor(name: string) {
        super(name, namespace);
        nodes.push(this);
      }
    },
    lifecycle: {
      LifecycleNode: class extends FakeLifecycleNode {
        constructor(name: string) {
          super(name, namespace);
          nodes.push(this);
        }
      },
      CallbackReturnCode: { SUCCESS: 0, FAILURE: 1 },
    },
    Parameter: FakeParameter,
    ParameterDescriptor: FakeDescriptor,
    IntegerRange: FakeRange,
    FloatingPointRange: FakeRange,
    QoS: class {},
  };
  return { rcl: module as unknown as RclModule, nodes };
}
