// Every place where rclnodejs 2.2's TypeScript declarations (node_modules/rclnodejs/types, with
// interfaces.d.ts generated for Jazzy) differ from what the node needs or from what rclnodejs
// does at run time. Each gap is handled here, by one narrow cast or adapter, so the rest of
// src/ros is typed against the declarations as they are.
//
// 1. Our own messages (dx_perception/msg/*) and any type outside the generated interfaces.d.ts
//    have no entry in MessageTypeClassName. The declarations accept the object form
//    `{package, type, name}` for those (messages then type as `object`), so outputs use it.
// 2. `Publisher.publish` takes `MessageType<T>`, which is `object` for the object form; a
//    conformed core message is `unknown` to the compiler: `publishTo` narrows it to object.
// 3. `ParameterType` and `lifecycle.CallbackReturnCode` are `const enum`s. Pure code cannot use
//    them (tests run without rclnodejs loaded), so parameters.ts carries the rcl_interfaces wire
//    values; `rclParameterType` maps them onto the declared enum.
// 4. `Node.getPublishersInfoByTopic` returns `Array<object>`; at run time each entry is a
//    TopicEndpointInfo with `node_name`, `node_namespace`, `topic_type` and `qos_profile`
//    (rclnodejs src/rcl_utilities.cpp, ConvertToJSTopicEndpoint / ConvertToQoS):
//    `publishersInfo` reads it as EndpointInfo.
// 5. The incompatible-QoS event: `createSubscription`'s `eventCallbacks` is declared as
//    `(event: object) => void`, but at run time it must be an instance of
//    SubscriptionEventCallbacks, a class the package's entry point neither exports nor declares.
//    The node therefore polls the graph (gap 4) and compares QoS itself (qos.ts).
// 6. `QoS.reliability` is declared as a method but is a getter/setter property at run time;
//    the node only constructs QoS objects (`toRclQos`) and never reads them back.
// 7. `FloatingPointRange`'s step defaults to 1 at run time (not 0 as in rcl), which would refuse
//    every non-integer value; `rclRange` always passes step 0 for floating-point ranges.
// 8. The package is an ES module with a CommonJS build; `typeof import('rclnodejs')` types the
//    loaded module, which only main.ts loads (loading it compiles the native addon when no
//    build exists, so tests never load it).
// 9. Not a typing gap but a run-time one: `Node.setParameters` validates descriptor ranges and
//    types before calling the on-set-parameters callbacks, and reports a failure with the reason
//    "Parameter <name> does not  readonly" (lib/node.js, _validateParameters). node_parameters.ts
//    checks changes in the pre-set callback first so the caller gets a reason that names the
//    key, the value and the expected range.
// 10. Run time, seen on Jazzy: `ParameterDescriptor.toMessage()` (lib/parameter.js) reads a
//    `_rangeConstraint` field that is never set (the range lives in `_range`), so
//    `ros2 param describe` shows no integer/floating-point range although rclnodejs enforces it.
//    parameters.ts therefore also writes the bounds into additional_constraints, which is sent.
import type * as Rcl from 'rclnodejs';
import type { ParamTypeCode, ParameterRange } from './parameter_specs';
import type { EndpointInfo, QosProfile } from './qos';

/** The rclnodejs module as main.ts loads it. */
export type RclModule = typeof import('rclnodejs');

/** Gap 1: a type class any message type can use, typed or not. */
export function messageTypeClass(type: string): { package: string; type: string; name: string } {
  const [pkg, kind, name] = type.split('/');
  if (!pkg || kind !== 'msg' || !name) throw new Error(`messageTypeClass: "${type}" is not a "pkg/msg/Name" type`);
  return { package: pkg, type: kind, name };
}

/** Gap 2: publishes a conformed core message on a publisher of the object form. */
export function publishTo(publisher: Rcl.Publisher<{ package: string; type: string; name: string }>, msg: unknown): void {
  if (msg === null || typeof msg !== 'object')
    throw new TypeError(`publish on ${publisher.topic}: message is ${String(msg)}; expected an object`);
  publisher.publish(msg);
}

/** Gap 3: our wire-value parameter type -> the declared const enum. */
export function rclParameterType(type: ParamTypeCode): Rcl.ParameterType {
  return type as Rcl.ParameterType;
}

/** Gap 7: a descriptor range with rcl's meaning of step (0 = continuous). */
export function rclRange(rcl: RclModule, range: ParameterRange): Rcl.IntegerRange | Rcl.FloatingPointRange {
  return range.kind === 'integer'
    ? new rcl.IntegerRange(BigInt(range.from), BigInt(range.to), BigInt(range.step))
    : new rcl.FloatingPointRange(range.from, range.to, 0);
}

/** Gap 4: the publishers of `topic` with their QoS. */
export function publishersInfo(node: Rcl.Node, topic: string): EndpointInfo[] {
  return node.getPublishersInfoByTopic(topic, false) as EndpointInfo[];
}

/** Gap 6: a QoS object from a plain profile (the enums' values are the rmw values). */
export function toRclQos(rcl: RclModule, profile: QosProfile): Rcl.QoS {
  return new rcl.QoS(
    profile.history as Rcl.QoS.HistoryPolicy,
    profile.depth,
    profile.reliability as Rcl.QoS.ReliabilityPolicy,
    profile.durability as Rcl.QoS.DurabilityPolicy,
  );
}
