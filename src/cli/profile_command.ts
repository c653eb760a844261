// `dx-perception profile <model.onnx>`: what a detector costs on a hardware profile, layer by
// layer, and whether the whole multi-camera pipeline fits the frame period. A thin shell over
// src/profile: parse flags, call the library, print tables.
import { Command, InvalidArgumentError } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { BUNDLED_MONO_DEPTH_MODEL, resolveModelPath } from '../depth/mono_depth';
import { calibrate } from '../profile/calibrate';
import { predictCost, type ModelCost } from '../profile/cost_model';
import { acceleratorLabel, DEFAULT_STEREO, frameBudget, type FrameBudget } from '../profile/frame_budget';
import { loadHardwareProfile, listHardwareProfiles, type HardwareProfile } from '../profile/hardware_profile';
import { measureHostProfile } from '../profile/host_profile';
import { analyzeModel, type ModelAnalysis } from '../profile/model_analysis';
import { learnedDepthCost, stereoRungNote, stereoRungs } from '../profile/pipeline_costs';
import type { StereoWork } from '../profile/stereo_cost';
import { readTimingReport } from '../profile/timing_report';

export interface ProfileCommandOptions {
  /** Profile name (profiles/<name>.yaml), `host` (measured now), or a YAML path. */
  profile?: string;
  cameras?: number;
  rateHz?: number;
  /** Layers listed, slowest first; 0 lists all in graph order. */
  layers?: number;
  /** Timing report (JSON/CSV, see src/profile/timing_report.ts) to calibrate the profile with first. */
  calibrateWith?: string;
  /** Overrides of graph input shapes, e.g. { images: [1, 3, 320, 320] }. */
  inputShapes?: Record<string, number[]>;
  learnedDepth?: boolean;
  /** Run the cameras' images as one batch instead of one inference per camera. */
  batched?: boolean;
  /** ONNX learned-depth model to cost (default: the bundled one; without a model learned depth is the profile's assumption). */
  learnedDepthModel?: string;
  /** Stereo cost volume per pair (default 640x480x64). */
  stereo?: StereoWork;
}

export interface ProfileCommandResult {
  text: string;
  analysis: ModelAnalysis;
  cost: ModelCost;
  budget: FrameBudget;
}

/** Renders rows as a fixed-width table; numeric-looking cells are right-aligned. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.,]+%?$|^$/.test(r[i])));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

async function resolveProfile(name: string, reportPath: string | undefined): Promise<HardwareProfile> {
  const base = name === 'host' ? await measureHostProfile() : loadHardwareProfile(name);
  return reportPath ? calibrate(base, readTimingReport(reportPath)) : base;
}

/** The pipeline's default learned-depth model (depth.learned_model_path), when the package has it. */
function bundledMonoDepthModel(): string | undefined {
  const path = resolveModelPath(BUNDLED_MONO_DEPTH_MODEL);
  return existsSync(path) ? path : undefined;
}

/** Pixels (H x W) of the model's first 4-D input, the camera tensor. */
function inputPixels(analysis: ModelAnalysis, model: string): number {
  const image = analysis.inputs.find((i) => i.shape.length === 4);
  if (!image) throw new Error(`profile: model "${model}" has no 4-D (NCHW) image input; inputs are ${JSON.stringify(analysis.inputs)}`);
  return image.shape[2] * image.shape[3];
}

function verdict(b: FrameBudget, where: string): string {
  return b.fits
    ? `VERDICT${where}: FITS (${b.totalMs.toFixed(2)} ms of ${b.periodMs.toFixed(1)} ms, slack ${b.slackMs.toFixed(2)} ms)`
    : `VERDICT${where}: DOES NOT FIT (${b.totalMs.toFixed(2)} ms > ${b.periodMs.toFixed(1)} ms, over by ${(-b.slackMs).toFixed(2)} ms)`;
}

/**
 * Analyses `model`, predicts its cost on the chosen profile and the pipeline's frame budget, and
 * renders the report. Throws an Error naming the bad model, profile or option.
 */
export async function runProfileCommand(model: string, opts: ProfileCommandOptions = {}): Promise<ProfileCommandResult> {
  const {
    profile: profileName = 'dx-v3',
    cameras = 4,
    rateHz = 30,
    layers = 15,
    calibrateWith,
    inputShapes,
    learnedDepth = true,
    batched = false,
    learnedDepthModel = bundledMonoDepthModel(),
    stereo = DEFAULT_STEREO,
  } = opts;
  const profile = await resolveProfile(profileName, calibrateWith);
  const analysis = analyzeModel(model, { inputShapes });
  const cost = predictCost(analysis, profile, { batch: batched ? cameras : 1 });
  // The cameras outside the (one) stereo pair each need a learned-depth inference per frame set.
  const learned = learnedDepth && learnedDepthModel ? learnedDepthCost(learnedDepthModel, profile, cameras, 1) : undefined;
  const budget = frameBudget(profile, cost, {
    cameras,
    rateHz,
    inputPixels: inputPixels(analysis, model),
    learnedDepth,
    learnedDepthCost: learned,
    stereo,
  });
  const rungs = stereoRungs(profile, stereo, 1, budget.periodMs);
  // On a host the profile's `npu` section is onnxruntime on the CPU: say so in the layer table.
  const devLabel = (d: string) => (d === 'npu' && profile.npu.executesOn?.value === 'cpu' ? 'cpu' : d);

  const listed = cost.layers.map((c, i) => ({ c, a: analysis.layers[i], i })).filter(({ c }) => c.device !== 'none');
  const shown = layers > 0 ? [...listed].sort((x, y) => y.c.latencyMs - x.c.latencyMs).slice(0, layers) : listed;
  const layerRows = shown.map(({ c, a, i }) => [
    String(i),
    c.name.length > 32 ? `…${c.name.slice(-31)}` : c.name,
    c.op,
    `[${a.outputShape.join('x')}]`,
    devLabel(c.device),
    (c.macs / 1e6).toFixed(2),
    (c.dramBytes / 1024).toFixed(1),
    c.computeMs.toFixed(4),
    c.memoryMs.toFixed(4),
    c.latencyMs.toFixed(4),
    c.bound,
  ]);
  const out: string[] = [];
  const precision = analysis.quantized ? '  INT8 QDQ (Q/DQ folded into the MAC layers, as DX-COM compiles it)' : '';
  out.push(
    `model   ${basename(model)}${batched ? ` (batch of ${cameras})` : ''}${precision}  inputs ${analysis.inputs.map((i) => `${i.name} [${i.shape.join('x')}]`).join(', ')}`,
  );
  out.push(`profile ${profile.name}: ${profile.description}`);
  out.push('');
  out.push(layers > 0 ? `Top ${shown.length} of ${listed.length} layers by predicted latency` : `All ${listed.length} layers`);
  out.push(table(['#', 'layer', 'op', 'output', 'dev', 'MMACs', 'DRAM KiB', 'compute ms', 'memory ms', 'latency ms', 'bound'], layerRows));
  out.push('');
  out.push('Model totals');
  out.push(
    table(
      ['GMACs', 'GFLOPs', 'weights MB', 'DRAM MB', 'latency ms', 'energy mJ', 'CPU fallback ops'],
      [
        [
          cost.gmacs.toFixed(3),
          (2 * cost.gmacs).toFixed(3),
          (analysis.totalWeightBytes / 1e6).toFixed(2),
          (cost.dramBytes / 1e6).toFixed(2),
          cost.latencyMs.toFixed(3),
          cost.energyMj.toFixed(3),
          cost.cpuFallbackOps.join(' ') || 'none',
        ],
      ],
    ),
  );
  out.push('');
  out.push(`Frame budget: ${budget.cameras} cameras at ${budget.rateHz} Hz (period ${budget.periodMs.toFixed(1)} ms)`);
  out.push(
    table(
      ['stage', 'ms', 'on', 'how'],
      [...budget.stages.map((s) => [s.name, s.ms.toFixed(2), s.resource, s.note]), ['total', budget.totalMs.toFixed(2), '', '']],
    ),
  );
  out.push('');
  out.push(`Resource load per frame set (busy time / period; accelerator = ${acceleratorLabel(profile)})`);
  out.push(
    table(
      ['resource', 'busy ms', 'load'],
      budget.resources.map((r) => [r.label, r.busyMs.toFixed(2), `${(r.load * 100).toFixed(1)}%`]),
    ),
  );
  out.push(stereoRungNote(rungs, budget.periodMs));
  const overloaded = budget.resources.filter((r) => r.load > 1).map((r) => r.label);
  if (overloaded.length > 0) out.push(`Overloaded even with frame sets overlapping: ${overloaded.join(', ')}`);
  out.push(verdict(budget, ''));
  if (rungs.matcherExceedsPeriod) {
    const half = frameBudget(profile, cost, {
      cameras,
      rateHz,
      inputPixels: inputPixels(analysis, model),
      learnedDepth,
      learnedDepthCost: learned,
      stereo: rungs.work,
      stereoResolution: 'half',
    });
    out.push(verdict(half, ' with stereo at the half-resolution rung'));
  }
  return { text: out.join('\n'), analysis, cost, budget };
}

export function integerAtLeast(name: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} = "${value}"; expected an integer >= ${min}`);
    return n;
  };
}

export function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} = "${value}"; expected a positive number`);
    return n;
  };
}

/** `--input-shape images=1x3x320x320` (repeatable) -> { images: [1, 3, 320, 320] }. */
function inputShape(value: string, previous: Record<string, number[]> = {}): Record<string, number[]> {
  const m = /^([^=]+)=(\d+(?:x\d+)*)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`--input-shape "${value}"; expected NAME=DxDxDxD, e.g. images=1x3x416x416`);
  return { ...previous, [m[1]]: m[2].split('x').map(Number) };
}

/** `--stereo 640x480x64` -> { width: 640, height: 480, disparities: 64 }. */
function stereoSize(value: string): StereoWork {
  const m = /^(\d+)x(\d+)x(\d+)$/.exec(value);
  if (!m || [m[1], m[2], m[3]].some((v) => Number(v) <= 0))
    throw new InvalidArgumentError(`--stereo "${value}"; expected WIDTHxHEIGHTxDISPARITIES, e.g. 640x480x64`);
  return { width: Number(m[1]), height: Number(m[2]), disparities: Number(m[3]) };
}

/**
 * Measures this host (onnxruntime convolution rates by kind, copy bandwidth, clock, SGM matcher)
 * and writes the measured profile as YAML to `out`; every measured value says how it was measured.
 * Returns the profile.
 */
export async function writeMeasuredHostProfile(out: string): Promise<HardwareProfile> {
  const profile = await measureHostProfile();
  try {
    writeFileSync(
      out,
      `# Measured by \`dx-perception profile --measure-host\`; load with --profile ${out}\n${toYaml(profile, { lineWidth: 0 })}`,
    );
  } catch (e) {
    throw new Error(`--measure-host: cannot write "${out}": ${(e as Error).message}`);
  }
  return profile;
}

/** Adds the `profile` subcommand to the `dx-perception` program. */
export function registerProfileCommand(program: Command): void {
  program
    .command('profile')
    .description("Predict a model's per-layer cost on a hardware profile and check the multi-camera frame budget")
    .argument('[model]', 'ONNX model file (optional with --measure-host)')
    .option(
      '--profile <name|path>',
      `hardware profile: ${listHardwareProfiles().join(', ')} (host = measured now), or a YAML path`,
      'dx-v3',
    )
    .option('--cameras <n>', 'cameras in the rig', integerAtLeast('--cameras', 1), 4)
    .option('--rate <hz>', 'frame-set rate', positiveNumber('--rate'), 30)
    .option('--layers <n>', 'list the N slowest layers (0 = all, in graph order)', integerAtLeast('--layers', 0), 15)
    .option('--calibrate <report>', 'calibrate the profile with a timing report (JSON/CSV: model, mean_ms, std_ms)')
    .option('--input-shape <name=dims>', 'override a graph input shape (repeatable)', inputShape)
    .option('--no-learned-depth', 'leave learned depth out of the frame budget')
    .option('--batched', 'run all cameras as one batch per frame set (weights read once)')
    .option('--learned-depth-model <onnx>', "cost this learned-depth model instead of the bundled one (depth.learned_model_path's default)")
    .option('--stereo <WxHxD>', 'stereo cost volume per pair', stereoSize, DEFAULT_STEREO)
    .option(
      '--measure-host <out.yaml>',
      'measure this host (convolutions, bandwidth, stereo) and write its profile; with a model, profile it on that',
    )
    .action(
      async (
        model: string | undefined,
        o: {
          measureHost?: string;
          profile: string;
          cameras: number;
          rate: number;
          layers: number;
          calibrate?: string;
          inputShape?: Record<string, number[]>;
          learnedDepth: boolean;
          batched?: boolean;
          learnedDepthModel?: string;
          stereo: StereoWork;
        },
      ) => {
        if (o.measureHost) {
          await writeMeasuredHostProfile(o.measureHost);
          console.log(`wrote measured host profile ${o.measureHost}`);
        }
        if (model === undefined) {
          if (o.measureHost) return;
          throw new InvalidArgumentError('profile: expected an ONNX model file (or --measure-host <out.yaml>)');
        }
        const result = await runProfileCommand(model, {
          profile: o.measureHost ?? o.profile,
          cameras: o.cameras,
          rateHz: o.rate,
          layers: o.layers,
          calibrateWith: o.calibrate,
          inputShapes: o.inputShape,
          learnedDepth: o.learnedDepth,
          batched: o.batched,
          learnedDepthModel: o.learnedDepthModel,
          stereo: o.stereo,
        });
        console.log(result.text);
      },
    );
}
