// Fits a profile's achievable NPU utilisation and effective DRAM bandwidth to measured model
// latencies (onnxruntime on this host, or a DX-RT timing report from the real chip).
//
// The cost model's latency of model i splits into three sums over its layers:
//   C_i: compute time of the compute-bound layers at utilisation 1,
//   M_i: memory time of the memory-bound layers at DRAM efficiency 1,
//   O_i: what does not scale with either (per-layer overheads, CPU-fallback layers).
// so t_i = C_i / u + M_i / e + O_i, linear in x = 1/u and y = 1/e. Weighted least squares
// (weights 1/std^2 when the report gives std) fits x and y; which layers are compute- or
// memory-bound depends on u and e, so the fit is repeated until that split stops changing.
// With one measurement, or no memory-bound work, only u is fitted and e is kept.
import { predictCost } from './cost_model';
import type { HardwareProfile } from './hardware_profile';
import { analyzeModel, type ModelAnalysis } from './model_analysis';
import type { LatencyMeasurement } from './timing_report';

export interface CalibrationFit {
  utilization: number;
  dramEfficiency: number;
  /** measured - predicted, per measurement, after the fit. */
  residualsMs: number[];
  rmsMs: number;
  iterations: number;
  fittedBandwidth: boolean;
}

export interface CalibrateOptions {
  /** Pre-computed analyses by model path (else each model is analysed). */
  analyses?: ReadonlyMap<string, ModelAnalysis>;
  inputShapes?: Record<string, number[]>;
  maxIterations?: number;
}

interface Terms {
  c: number;
  m: number;
  o: number;
}

function splitTerms(analysis: ModelAnalysis, p: HardwareProfile): Terms {
  const cost = predictCost(analysis, p);
  const t: Terms = { c: 0, m: 0, o: 0 };
  for (const l of cost.layers) {
    if (l.device !== 'npu') {
      t.o += l.latencyMs;
      continue;
    }
    t.o += l.overheadMs;
    if (l.bound === 'compute') t.c += l.computeMs * p.npu.utilization.value;
    else t.m += l.memoryMs * p.dram.efficiency.value;
  }
  return t;
}

function withFit(p: HardwareProfile, utilization: number, efficiency: number, note: string, fittedBandwidth: boolean): HardwareProfile {
  return {
    ...p,
    npu: { ...p.npu, utilization: { value: utilization, source: note } },
    dram: fittedBandwidth ? { ...p.dram, efficiency: { value: efficiency, source: note } } : p.dram,
  };
}

const clampFraction = (v: number) => Math.min(1, Math.max(1e-4, v));

/**
 * Fits utilisation and DRAM efficiency to the measurements. Throws an Error if there are no
 * measurements or a measurement's model cannot be analysed. Fitted fractions are clamped to
 * (0, 1]; a clamp shows in the residuals.
 */
export function fitCalibration(profile: HardwareProfile, measurements: LatencyMeasurement[], opts: CalibrateOptions = {}): CalibrationFit {
  const { maxIterations = 20 } = opts;
  if (measurements.length === 0) throw new Error('calibrate: no measurements; expected at least one {model, meanMs}');
  const analyses = measurements.map((m) => opts.analyses?.get(m.model) ?? analyzeModel(m.model, { inputShapes: opts.inputShapes }));
  const weights = measurements.map((m) => (m.stdMs && m.stdMs > 0 ? 1 / (m.stdMs * m.stdMs) : 1));
  let current = profile;
  let x = 1 / profile.npu.utilization.value;
  let y = 1 / profile.dram.efficiency.value;
  let fittedBandwidth = false;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const terms = analyses.map((a) => splitTerms(a, current));
    let scc = 0,
      scm = 0,
      smm = 0,
      sct = 0,
      smt = 0;
    terms.forEach((t, i) => {
      const w = weights[i];
      const r = measurements[i].meanMs - t.o;
      scc += w * t.c * t.c;
      scm += w * t.c * t.m;
      smm += w * t.m * t.m;
      sct += w * t.c * r;
      smt += w * t.m * r;
    });
    const det = scc * smm - scm * scm;
    let nx = x,
      ny = y;
    fittedBandwidth = false;
    if (measurements.length >= 2 && det > 1e-9 * Math.max(scc * smm, 1e-30)) {
      nx = (sct * smm - smt * scm) / det;
      ny = (scc * smt - scm * sct) / det;
      fittedBandwidth = ny > 0 && nx > 0;
    }
    if (!fittedBandwidth) {
      // One parameter: utilisation, with the memory term at the current efficiency.
      let num = 0;
      terms.forEach((t, i) => (num += weights[i] * t.c * (measurements[i].meanMs - t.o - t.m * y)));
      nx = scc > 0 ? num / scc : x;
      ny = y;
    }
    const u = clampFraction(1 / Math.max(nx, 1e-12));
    const e = clampFraction(1 / Math.max(ny, 1e-12));
    const converged = Math.abs(1 / u - x) < 1e-6 * x && Math.abs(1 / e - y) < 1e-6 * y;
    x = 1 / u;
    y = 1 / e;
    current = withFit(current, u, e, 'calibrating', true);
    if (converged) break;
  }
  const residualsMs = analyses.map((a, i) => measurements[i].meanMs - predictCost(a, current).latencyMs);
  const rmsMs = Math.sqrt(residualsMs.reduce((s, r) => s + r * r, 0) / residualsMs.length);
  return { utilization: 1 / x, dramEfficiency: 1 / y, residualsMs, rmsMs, iterations: iterations + 1, fittedBandwidth };
}

/**
 * Returns `profile` with npu.utilization (and dram.efficiency when the data determine it) fitted
 * to the measurements; the fitted values carry a `source:` describing the fit.
 */
export function calibrate(profile: HardwareProfile, measurements: LatencyMeasurement[], opts: CalibrateOptions = {}): HardwareProfile {
  const fit = fitCalibration(profile, measurements, opts);
  const note =
    `calibrated: least-squares fit to ${measurements.length} measured latencies ` +
    `(${measurements.map((m) => `${m.model.split('/').pop()} ${m.meanMs} ms`).join(', ')}); rms residual ${fit.rmsMs.toFixed(3)} ms`;
  return withFit(profile, fit.utilization, fit.dramEfficiency, note, fit.fittedBandwidth);
}
