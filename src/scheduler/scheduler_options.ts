// One schema for the scheduler's options. The configuration schema (config/config_schema.ts)
// takes its scheduler.* keys from these fields, so ranges and defaults are written here once.
import { z } from 'zod';
import { describeIssues } from '../inference/validation_errors';

/**
 * Degradations the ladder can apply, cheapest loss of quality first in the default ladder.
 * stereo_half_resolution matches the pairs at half resolution only (the matcher's resolution
 * 'half': the coarse SGM pass of the default coarse_to_fine matcher without its full-resolution
 * refinement, about two thirds of its cost on the stereo bench), a coarser map with sub-pixel
 * disparities doubled, before depth is reused.
 */
export const RUNGS = ['skip_learned_depth', 'detect_subset_round_robin', 'stereo_half_resolution', 'reuse_last_depth'] as const;
export type RungName = (typeof RUNGS)[number];

/**
 * A pipeline stage and its budget. Stage names with a meaning to the ladder: `learned_depth`
 * (dropped by skip_learned_depth), `stereo_depth` and `learned_depth` (both dropped by
 * reuse_last_depth). Stages with `perCamera: true` scale with the cameras they run on
 * (detect_subset_round_robin runs them on a subset).
 */
export const stageOptionsSchema = z
  .object({
    name: z.string().min(1),
    /** Target-time budget, and the host-time budget until enough samples are measured. */
    budgetMs: z.number().nonnegative(),
    /** budgetMs is for all cameras together and scales linearly with the number run. */
    perCamera: z.boolean().default(false),
    /**
     * Target time: the resource the stage occupies (see `resources`); stages on different
     * resources overlap across successive frame sets. Host time runs every stage on one executor.
     */
    resource: z.string().min(1).default('cpu'),
    /** Units of the resource held while the stage runs (CPU cores for a worker pool). */
    units: z.number().int().positive().default(1),
    /** The stage's budget (same basis as budgetMs) when a rung that makes it cheaper applies. */
    rungBudgetsMs: z.partialRecord(z.enum(RUNGS), z.number().nonnegative()).default({}),
  })
  .strict();

export const schedulerOptionsSchema = z
  .object({
    /** Frame-set rate the rig produces (Hz); the period is 1000 / rateHz ms. */
    rateHz: z.number().min(0.1).max(1000).default(30),
    /** Deadline of a frame set after its sensor stamp, ms. Defaults to one period. */
    deadlineMs: z.number().min(1).max(10000).optional(),
    /**
     * 'host': wall clock, measured budgets (the live node); 'target': virtual clock advanced by the
     * profiled budgets (deterministic replays, which ask for it).
     */
    timeMode: z.enum(['target', 'host']).default('host'),
    /** Hardware profile the target-time budgets came from (reported in diagnostics). */
    profile: z.string().min(1).default('dx-v3'),
    /** Frame sets waiting to start, at most; a newer one supersedes the oldest. */
    mailboxDepth: z.number().int().min(1).max(64).default(1),
    /**
     * Host time: frame sets in flight at once. Above 1, successive sets overlap across the main
     * thread and the worker pools (set N+1's stereo while set N fuses); the pipeline still enters
     * each stateful stage one set at a time, in order. Target time simulates the overlap instead.
     */
    pipelineDepth: z.number().int().min(1).max(8).default(2),
    /** Degradations tried in order before a set is shed; each rung adds to those before it. */
    ladder: z.array(z.enum(RUNGS)).default([...RUNGS]),
    /** Cameras detect_subset_round_robin runs detection on per set; default half the rig, rounded up. */
    detectSubsetSize: z.number().int().positive().optional(),
    /** Host time: quantile of measured stage times used as the stage budget (0.5..1). */
    budgetQuantile: z.number().min(0.5).max(1).default(0.99),
    /** Host time: samples a stage needs before measured times replace its configured budget. */
    minSamples: z.number().int().min(1).default(20),
    /**
     * Host time: a stage the ladder has left out for this many consecutive completed sets is run
     * again once (a probe, at the full rung) with its old samples forgotten, so a budget set by a
     * slow moment cannot keep the stage out for ever. A probe may miss its deadline; it is counted.
     */
    probeIntervalSets: z.number().int().min(1).default(90),
    /** Safety margin added to predicted finish times at admission, ms (host time jitter). */
    admissionMarginMs: z.number().nonnegative().default(0),
    /** Samples kept per stage for percentiles (bounded memory). */
    windowSize: z.number().int().min(8).max(65536).default(256),
    /** Target time: units of each resource (CPU cores ...); a resource not listed has 1. */
    resources: z.record(z.string().min(1), z.number().int().positive()).default({}),
    /** Camera names of the rig, for round-robin subsets. */
    cameras: z.array(z.string().min(1)).min(1),
    stages: z.array(stageOptionsSchema).min(1),
  })
  .strict()
  .superRefine((o, ctx) => {
    const names = new Set<string>();
    o.stages.forEach((s, i) => {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['stages', i, 'name'], message: `duplicate stage name "${s.name}"` });
      names.add(s.name);
    });
    if (o.detectSubsetSize !== undefined && o.detectSubsetSize > o.cameras.length) {
      ctx.addIssue({ code: 'custom', path: ['detectSubsetSize'], message: `exceeds the ${o.cameras.length} cameras of the rig` });
    }
    o.stages.forEach((s, i) => {
      const units = o.resources[s.resource] ?? 1;
      if (s.units > units)
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i, 'units'],
          message: `needs ${s.units} units of "${s.resource}", which has ${units}`,
        });
    });
    if (new Set(o.ladder).size !== o.ladder.length) ctx.addIssue({ code: 'custom', path: ['ladder'], message: 'lists a rung twice' });
  });

export type SchedulerOptionsInput = z.input<typeof schedulerOptionsSchema>;
export type SchedulerOptions = z.output<typeof schedulerOptionsSchema>;
export type StageOptions = z.output<typeof stageOptionsSchema>;
export type StageOptionsInput = z.input<typeof stageOptionsSchema>;

/** Validates options, applying defaults. Throws an Error naming each bad key, its value and the expectation. */
export function parseSchedulerOptions(input: unknown): SchedulerOptions {
  const r = schedulerOptionsSchema.safeParse(input);
  if (r.success) return r.data;
  throw new Error(`scheduler options are invalid:\n${describeIssues(r.error, input)}`);
}
