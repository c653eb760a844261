// Host-time stage budgets: measured stage times replace the configured (profile) budgets once a
// stage has enough warm samples. A stage the ladder makes cheaper (stereo at half resolution) is
// measured separately at that rung; until it has samples there, its budget is the stage's own.
// Each stage is also measured per plan shape (planShape: what else ran), since its cost can
// depend on it (fusing learned depth's points); a shape's own samples, once it has any, are its
// budget, and the stage's samples over all shapes otherwise.
import { LatencyWindow } from './latency_window';
import type { DegradationPlan } from './degradation';
import type { StageTimings } from './outcomes';
import type { RungName, SchedulerOptions, StageOptions } from './scheduler_options';

const key = (stage: string, rung: RungName | undefined) => (rung === undefined ? stage : `${stage}@${rung}`);

export class HostBudgets {
  readonly #o: SchedulerOptions;
  readonly #windows = new Map<string, LatencyWindow>();
  /** Per stage, its windows per plan shape. */
  readonly #byShape = new Map<string, Map<string, LatencyWindow>>();
  /** Completed sets since each stage last ran, for probes. */
  readonly #setsWithout: Map<string, number>;
  /** Sets shed for insufficient slack since one last completed. */
  #slackShedStreak = 0;

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#setsWithout = new Map(options.stages.map((s) => [s.name, 0]));
  }

  /** The measured window of a stage (at a rung), per camera for per-camera stages. */
  window(stage: string, rung?: RungName): LatencyWindow {
    const k = key(stage, rung);
    let w = this.#windows.get(k);
    if (!w) this.#windows.set(k, (w = new LatencyWindow(this.#o.windowSize)));
    return w;
  }

  /**
   * The budget for all cameras, ms: the budgetQuantile of measured times once minSamples exist;
   * before that, the worst time measured so far (warm-up seeds it), and the configured budget
   * only while nothing is measured. The configured budget is the profile's (DX-V3's) costing,
   * which says nothing about this host: costed SGM on DX-V3's cores is ~68 ms where this host
   * matches the same pair in a few.
   */
  budgetMs(stage: StageOptions, rung: RungName | undefined, shape?: string): number {
    const configured = rung === undefined ? stage.budgetMs : (stage.rungBudgetsMs[rung] ?? stage.budgetMs);
    const own = shape === undefined ? undefined : this.#byShape.get(stage.name)?.get(shape);
    if (own !== undefined && own.size > 0) return this.#fromSamples(stage, own);
    const w = this.window(stage.name, rung);
    // Unmeasured at the rung: no saving is assumed on this host (a predicted one that does not
    // hold here would make admitted sets miss), so the stage's own budget applies until measured.
    if (rung !== undefined && w.size === 0) return this.budgetMs(stage, undefined);
    if (w.size === 0) return configured;
    return this.#fromSamples(stage, w);
  }

  #fromSamples(stage: StageOptions, w: LatencyWindow): number {
    const scale = stage.perCamera ? this.#o.cameras.length : 1;
    return w.quantile(w.size < this.#o.minSamples ? 1 : this.#o.budgetQuantile) * scale;
  }

  #shapeWindow(stage: string, shape: string): LatencyWindow {
    let shapes = this.#byShape.get(stage);
    if (!shapes) this.#byShape.set(stage, (shapes = new Map()));
    let w = shapes.get(shape);
    if (!w) shapes.set(shape, (w = new LatencyWindow(this.#o.windowSize)));
    return w;
  }

  /** Forgets the samples of `stage` in every shape, its own and those at `rung` (other rungs keep theirs). */
  #clear(stage: StageOptions, rung?: RungName): void {
    this.window(stage.name).clear();
    if (rung !== undefined) this.window(stage.name, rung).clear();
    for (const w of this.#byShape.get(stage.name)?.values() ?? []) w.clear();
  }

  /** Adds the measured stage times of a run of `plan` (of `shape`); returns their sum. */
  add(plan: DegradationPlan, shape: string, timings: StageTimings, rungOf: (s: StageOptions) => RungName | undefined): number {
    const camerasRun = plan.detectCameras === 'all' ? this.#o.cameras.length : plan.detectCameras.length;
    let total = 0;
    for (const stage of this.#o.stages) {
      const ms = timings[stage.name];
      if (ms === undefined || !plan.stages.includes(stage.name)) continue;
      total += ms;
      // Per-camera stages are kept per camera so subsets and full runs share one budget.
      const sample = stage.perCamera ? ms / camerasRun : ms;
      this.window(stage.name, rungOf(stage)).add(sample);
      this.#shapeWindow(stage.name, shape).add(sample);
    }
    return total;
  }

  /** A set was shed because its budgets said it could not finish in time. */
  slackShed(): void {
    this.#slackShedStreak++;
  }

  /**
   * Whether the budgets have shed probeIntervalSets sets in a row for insufficient slack with none
   * completed. Nothing runs then, so nothing would ever be measured again: budgets set by a slow
   * moment (another process, a GC) would keep every set out for ever. The next set is a probe.
   */
  get shedOnly(): boolean {
    return this.#slackShedStreak >= this.#o.probeIntervalSets;
  }

  /** Forgets the samples of `plan`'s stages (at the rungs they run at): a probe's times become their budgets. */
  forget(plan: DegradationPlan, rungOf: (s: StageOptions) => RungName | undefined): void {
    for (const s of this.#o.stages) if (plan.stages.includes(s.name)) this.#clear(s, rungOf(s));
  }

  /** Counts, per stage, the completed sets it was left out of. */
  completed(plan: DegradationPlan): void {
    this.#slackShedStreak = 0;
    for (const s of this.#o.stages)
      this.#setsWithout.set(s.name, plan.stages.includes(s.name) ? 0 : (this.#setsWithout.get(s.name) ?? 0) + 1);
  }

  /**
   * Whether `plan` leaves out a stage that has not run for probeIntervalSets completed sets. Its
   * samples are then forgotten, so the probe's time becomes its budget.
   */
  probeDue(plan: DegradationPlan): boolean {
    const stale = this.#o.stages.filter(
      (s) => !plan.stages.includes(s.name) && (this.#setsWithout.get(s.name) ?? 0) >= this.#o.probeIntervalSets,
    );
    for (const s of stale) this.#clear(s);
    return stale.length > 0;
  }
}
