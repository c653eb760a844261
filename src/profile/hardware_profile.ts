// A hardware profile is data: what the target chip can do, each figure tagged with where it came
// from. No public datasheet gives DX-V3's numbers, so provenance is part of the schema: every
// value must say `source:` (a citation) or `assumption:` (the reasoning), and the loader refuses
// a value that says neither.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../inference/validation_errors';

/** The stereo pixel fraction's ceiling: scalar instructions per cycle of a wide superscalar core. */
export const MAX_PIXEL_FRACTION = 4;

/** A value with its provenance. At least one of source / assumption is required. */
function sourced<T extends z.ZodType>(inner: T) {
  return z
    .object({ value: inner, source: z.string().min(1).optional(), assumption: z.string().min(1).optional() })
    .strict()
    .refine((v) => v.source !== undefined || v.assumption !== undefined, {
      message: 'expected a `source:` or an `assumption:` saying where this value came from',
    });
}

const positive = z.number().positive();
const nonNegative = z.number().nonnegative();

export const hardwareProfileSchema = z
  .object({
    name: z.string().min(1),
    description: z.string(),
    npu: z
      .object({
        /** Peak dense throughput in tera-operations/s (1 MAC = 2 ops) at `precision`. */
        peakTops: sourced(positive),
        /** Number format the NPU computes in; sets bytes per weight and activation. */
        precision: sourced(z.enum(['int8', 'fp16', 'fp32'])),
        /** Fraction of peak a real CNN layer achieves (0, 1]. Calibrated from measurements. */
        utilization: sourced(z.number().gt(0).lte(1)),
        /** On-chip SRAM usable for activations and weights, bytes. */
        sramBytes: sourced(positive),
        /** Fixed cost per layer launch (descriptor setup, sync), microseconds. */
        perLayerOverheadUs: sourced(nonNegative),
        /** Power while computing, watts. */
        activeW: sourced(nonNegative),
        /** ONNX operator types the NPU runs; any other operator falls back to the CPU in FP32. */
        supportedOps: sourced(z.array(z.string().min(1))),
        /**
         * Rate of pointwise (1x1, Gemm) and depthwise layers relative to a dense k x k convolution
         * (1 = same MAC/s). Omitted: every MAC layer runs at the dense rate.
         */
        relativeRate: sourced(z.object({ pointwise: positive, depthwise: positive }).strict()).optional(),
        /**
         * Elements per second a Transpose moves (a strided copy: ShuffleNet's channel shuffle).
         * Omitted: the compiler folds transposes into the neighbouring layers' addressing and they
         * cost only their DRAM traffic, as an NPU's does.
         */
        transposeElementsPerSec: sourced(positive).optional(),
        /**
         * Terms of a CPU runtime standing in for the NPU (onnxruntime on a host), measured by its
         * micro-benchmarks. A CPU runtime dispatches every node, runs convolutions whose channels
         * miss its SIMD channel block on a slower path, and moves data in layout operators that an
         * NPU compiler folds away. Omitted (an NPU): none of these apply.
         */
        runtime: sourced(
          z
            .object({
              /** Channels of a convolution must be multiples of this for the blocked (fast) kernels. */
              channelBlock: z.number().int().positive(),
              /** Rates of pointwise / depthwise layers off the block, relative to the dense probe. */
              unalignedRate: z.object({ pointwise: positive, depthwise: positive }).strict(),
              /** Dispatch cost of every node the runtime executes (Reshape included), microseconds. */
              perNodeUs: nonNegative,
              /**
               * Further cost of a node the runtime runs on the calling thread alone while its pool
               * spins (runtime_cost.ts), microseconds; grows with the load on shared cores. 0 in a
               * host profile measured before the term existed.
               */
              serialNodeUs: nonNegative.default(0),
              /** Element-wise arithmetic rate of activations and pooling not fused into a convolution. */
              vectorOpsPerSec: positive,
              /** Elements per second a contiguous copy moves (Concat, Slice, Split, Gather, Pad). */
              copyElementsPerSec: positive,
            })
            .strict(),
        ).optional(),
        /** What this section describes: an NPU (default), or a CPU runtime standing in for one (host). */
        executesOn: sourced(z.enum(['npu', 'cpu'])).optional(),
      })
      .strict(),
    dram: z
      .object({
        type: sourced(z.string().min(1)),
        /** Peak bandwidth, GB/s (1e9 bytes/s). */
        bandwidthGBs: sourced(positive),
        /** Fraction of peak bandwidth achieved by layer traffic (0, 1]. Calibrated. */
        efficiency: sourced(z.number().gt(0).lte(1)),
        energyPjPerByte: sourced(nonNegative),
      })
      .strict(),
    cpu: z
      .object({
        cores: sourced(z.number().int().positive()),
        /** FP32 GFLOP/s per core for operators the NPU cannot run. */
        gflopsPerCore: sourced(positive),
        activeWPerCore: sourced(nonNegative),
        /** Fixed cost per CPU-fallback operator (dispatch + NPU<->CPU handoff), microseconds. */
        perOpOverheadUs: sourced(nonNegative),
        /** SIMD register width (128 for NEON / SSE), bits. */
        simdBits: sourced(z.number().int().positive()),
        /** Full-width SIMD operations a core issues per cycle (2 for two 128-bit pipes, 0.5 for a 64-bit datapath). */
        simdOpsPerCycle: sourced(positive),
        /** Sustained core clock, GHz. */
        clockGHz: sourced(positive),
      })
      .strict(),
    preprocess: z
      .object({
        /** Whether an ISP/scaler does resize + colour conversion in hardware. */
        hardwareScaler: sourced(z.boolean()),
        /** Output megapixels per second of the preprocessing path (hardware or CPU). */
        megapixelsPerSec: sourced(positive),
      })
      .strict(),
    power: z.object({ idleW: sourced(nonNegative) }).strict(),
    /** Where classical stereo runs and what fraction of that resource's op rate it achieves. */
    stereo: z
      .object({
        device: sourced(z.enum(['cpu', 'npu'])),
        /** Achieved fraction of cores x lanes x SIMD issue x clock on the cost-volume passes (0, 1]. */
        achievedFraction: sourced(z.number().gt(0).lte(1)),
        /** Scalar instructions per cycle per core on the per-pixel passes, (0, MAX_PIXEL_FRACTION]. */
        pixelFraction: sourced(z.number().gt(0).lte(MAX_PIXEL_FRACTION)),
        /** Fixed cost per pair (dispatch to worker threads, joins), microseconds. */
        perPairOverheadUs: sourced(nonNegative),
      })
      .strict(),
    /** Per-unit work of fusion and publishing, which the frame budget multiplies by counts. */
    stageWork: z
      .object({
        fuseOpsPerPoint: sourced(nonNegative),
        fuseOpsPerObject: sourced(nonNegative),
        publishBytesPerObject: sourced(nonNegative),
        /** Times each published byte crosses DRAM (serialise, middleware, transport). */
        publishCopies: sourced(nonNegative),
        publishPerMessageUs: sourced(nonNegative),
      })
      .strict(),
    /**
     * Budgets (ms) of the stages with no work model, printed as assumptions: sync, and learned
     * depth when no model is configured. Every other stage is costed from its work.
     */
    stageBudgetsMs: z
      .object({
        sync: sourced(nonNegative),
        learnedDepth: sourced(nonNegative),
      })
      .strict(),
  })
  .strict();

export type HardwareProfile = z.infer<typeof hardwareProfileSchema>;

/** Folder holding the profiles shipped with the project (`profiles/*.yaml` at the repo root). */
export const PROFILES_DIR = resolve(__dirname, '..', '..', 'profiles');

/**
 * Validates a parsed profile object. Throws an Error naming `origin`, each bad key, its value and
 * what was expected.
 */
export function parseHardwareProfile(data: unknown, origin: string): HardwareProfile {
  const result = hardwareProfileSchema.safeParse(data);
  if (result.success) return result.data;
  throw new Error(`hardware profile ${origin} is invalid:\n${describeIssues(result.error, data)}`);
}

/**
 * Loads a profile by name (a file `profiles/<name>.yaml`) or by path to a YAML file. Throws if
 * neither exists, listing the shipped profiles. (The `host` profile is measured, not loaded:
 * see host_profile.ts.)
 */
export function loadHardwareProfile(nameOrPath: string): HardwareProfile {
  const byName = join(PROFILES_DIR, `${nameOrPath}.yaml`);
  const file = existsSync(byName) ? byName : nameOrPath;
  if (!existsSync(file)) {
    throw new Error(
      `hardware profile "${nameOrPath}" not found; expected one of [${listHardwareProfiles().join(', ')}] ` +
        'or a path to a profile YAML file',
    );
  }
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`hardware profile "${file}" is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return parseHardwareProfile(doc, `"${file}"`);
}

/** Names of the profiles shipped in `profiles/`. */
export function listHardwareProfiles(): string[] {
  return readdirSync(PROFILES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Peak MAC/s of the NPU (1 MAC = 2 ops). */
export function npuPeakMacsPerSec(p: HardwareProfile): number {
  return (p.npu.peakTops.value * 1e12) / 2;
}

/** Bytes per weight/activation element on the NPU, from its precision. */
export function npuBytesPerElement(p: HardwareProfile): number {
  return { int8: 1, fp16: 2, fp32: 4 }[p.npu.precision.value];
}
