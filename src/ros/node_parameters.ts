// Moves the configuration in and out of a node's ROS parameters. The logic lives in
// parameters.ts; this file only makes the rclnodejs calls.
import type * as Rcl from 'rclnodejs';
import type { PerceptionConfig } from '../config/config_schema';
import {
  checkParameterChange,
  configFromParameters,
  normaliseParameterValue,
  parametersFromConfig,
  type NamedParameter,
} from './parameters';
import { ParamType, isConfigParameterName, parameterSpecs, specForName, type ParameterSpec } from './parameter_specs';
import { ConfigError } from '../config/config';
import { rclParameterType, rclRange, type RclModule } from './rclnodejs_gaps';

/** The ROS time parameter every node has (rclnodejs declares it when the node is made). */
const USE_SIM_TIME = 'use_sim_time';

function named(params: readonly Rcl.Parameter[]): NamedParameter[] {
  return params.map((p) => ({ name: p.name, value: p.value as unknown }));
}

/**
 * Reads the configuration from `overrides` (params files, `-p`, launch, as resolved by
 * parameter_overrides.ts; rclnodejs's own getParameterOverrides misses most forms) and declares every configuration parameter with its descriptor and validated value. Overrides are
 * validated and coerced here (an integer literal for a double parameter is accepted), then the
 * declared values are the validated ones, so declaration never fails on an override's type.
 * Throws ConfigError naming the key, value and expectation when the overrides are invalid.
 * Call once per node; afterwards read the values with readConfigParameters.
 */
export function declareConfigParameters(
  rcl: RclModule,
  node: Rcl.Node,
  overrides: readonly NamedParameter[],
  specs: readonly ParameterSpec[] = parameterSpecs(),
): PerceptionConfig {
  const config = configFromParameters(overrides, `parameter overrides of ${node.getFullyQualifiedName()}`, specs);
  for (const { spec, name, value } of parametersFromConfig(config, specs)) {
    const type = rclParameterType(spec.type);
    const descriptor = new rcl.ParameterDescriptor(
      name,
      type,
      spec.description,
      spec.readOnly,
      spec.range ? rclRange(rcl, spec.range) : undefined,
    );
    descriptor.additionalConstraints = spec.additionalConstraints;
    node.declareParameter(new rcl.Parameter(name, type, value), descriptor, true);
  }
  return config;
}

/**
 * Applies a resolved `use_sim_time` override that rclnodejs did not apply itself (it reads only
 * `/**` and bare-name sections); its time source follows the parameter from then on.
 */
export function applyUseSimTime(rcl: RclModule, node: Rcl.Node, overrides: readonly NamedParameter[]): void {
  const wanted = overrides.find((p) => p.name === USE_SIM_TIME)?.value;
  if (wanted === undefined) return;
  if (typeof wanted !== 'boolean') throw new ConfigError(`parameter ${USE_SIM_TIME} = ${String(wanted)}: expected true or false`);
  if (node.getParameter(USE_SIM_TIME).value === wanted) return;
  const [result] = node.setParameters([new rcl.Parameter(USE_SIM_TIME, rclParameterType(ParamType.BOOL), wanted)]);
  if (result && !result.successful) throw new ConfigError(`parameter ${USE_SIM_TIME} = ${wanted}: refused (${result.reason})`);
}

/** `p` with its value in the declared type of its spec (unchanged when outside the configuration). */
function normalised(rcl: RclModule, p: Rcl.Parameter, specs: readonly ParameterSpec[]): Rcl.Parameter {
  const spec = specForName(specs, p.name);
  if (!spec) return p;
  return new rcl.Parameter(p.name, rclParameterType(spec.type), normaliseParameterValue(spec, p.name, p.value));
}

/** The configuration held by the node's declared parameters now. Throws ConfigError. */
export function readConfigParameters(node: Rcl.Node, specs: readonly ParameterSpec[] = parameterSpecs()): PerceptionConfig {
  return configFromParameters(named(node.getParameters()), `parameters of ${node.name()}`, specs);
}

/**
 * Refuses any runtime change that would make the configuration invalid, with a reason naming
 * the parameter, the value and what was expected (the caller of `ros2 param set` sees it, and it
 * is logged); calls `onChange` with the new configuration once an accepted change of a
 * configuration parameter is stored (other parameters, such as use_sim_time, do not call it).
 */
export function guardParameterChanges(
  rcl: RclModule,
  node: Rcl.Node,
  onChange: (config: PerceptionConfig) => void,
  specs: readonly ParameterSpec[] = parameterSpecs(),
): void {
  // rclnodejs checks descriptor ranges and types before the on-set callbacks and reports a
  // failure as "Parameter <name> does not  readonly" (rclnodejs_gaps.ts, gap 9). So the whole
  // check runs first, in the pre-set callback; a refused change has its values swapped for the
  // current ones (which pass rclnodejs's checks), and the on-set callback then vetoes it with
  // the clear reason. The two callbacks run back to back inside one synchronous set call.
  // Accepted values are normalised to the declared type (`ros2 param set x 1` sends an integer
  // for a double parameter, which rclnodejs would refuse).
  let refusal: string | undefined;
  node.addPreSetParametersCallback((changes) => {
    const result = checkParameterChange(named(node.getParameters()), named(changes), specs);
    refusal = result.successful ? undefined : result.reason;
    if (refusal === undefined) return changes.map((p) => normalised(rcl, p, specs));
    node.getLogger().warn(`refused parameter change: ${refusal}`);
    return changes.map((p) => (node.hasParameter(p.name) ? node.getParameter(p.name) : p));
  });
  node.addOnSetParametersCallback(() => {
    const reason = refusal;
    refusal = undefined;
    return reason === undefined ? { successful: true, reason: '' } : { successful: false, reason };
  });
  node.addPostSetParametersCallback((changed) => {
    if (changed.some((p) => isConfigParameterName(specs, p.name))) onChange(readConfigParameters(node, specs));
  });
}
