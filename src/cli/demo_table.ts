// The demo's metrics table: each metric of the scene's scores and the recorded run, with its
// target and pass/fail where the project sets one, and the notes on how to read it.
import type { PerceptionConfig } from '../config/config_schema';
import type { ReportRow } from '../report/html';
import type { SceneScores } from '../sim/scene_evaluation';
import type { DemoRecorder } from './demo_recorder';

const pct = (values: number[], q: number) =>
  values.length ? [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] : NaN;
const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

const row = (metric: string, value: string, target = '', pass?: boolean): ReportRow => ({ metric, value, target, pass });

export function scoreTable(scores: SceneScores, rec: DemoRecorder, config: PerceptionConfig, sets: number): ReportRow[] {
  const rows: ReportRow[] = [];
  const { stereo, learned } = scores.depth;
  if (stereo) {
    rows.push(
      row('stereo depth error (median, valid px, GT < 10 m)', `${f(stereo.medianRelErrorPct, 2)} %`, '< 3 %', stereo.medianRelErrorPct < 3),
    );
    rows.push(row('stereo depth density (GT < 10 m)', `${f(100 * stereo.density)} %`));
  }
  if (learned) {
    // No target: the bundled side-camera model's held-out error is documented in training/README.md.
    rows.push(row('learned depth error, side cameras (median, GT < 10 m)', `${f(learned.medianRelErrorPct, 1)} %`));
    rows.push(row('learned depth density, side cameras (GT < 10 m)', `${f(100 * learned.density)} %`));
  }
  const o = scores.objects;
  rows.push(
    row(
      '3D object position error (median)',
      `${f(o.medianErrorM, 2)} m = ${f(o.medianErrorPctOfRange, 1)} % of range`,
      '< 5 % of range',
      o.medianErrorPctOfRange < 5,
    ),
  );
  rows.push(row('visible objects within 10 m with a track', `${o.matched}/${o.total} (${f((100 * o.matched) / Math.max(1, o.total))} %)`));
  rows.push(
    row(
      'detection recall (IoU >= 0.5, >= 50 % visible)',
      scores.detection
        ? `${f(100 * scores.detection.recall)} % (${scores.detection.matched}/${scores.detection.total})`
        : 'no detector configured (--model)',
    ),
  );
  const t = scores.tracking;
  rows.push(row('tracking MOTA / IDF1', `${f(t.mota, 3)} / ${f(t.idf1, 3)}`));
  rows.push(row('tracking misses / false positives (object-frames)', `${t.misses} / ${t.falsePositives} of ${t.numGt}`));
  // No target: "at most one per crossing" needs the crossings counted, which the scene does not list.
  rows.push(row('tracking ID switches (expected: at most one per crossing)', String(t.idSwitches)));
  rows.push(
    row(
      'frame sets: completed / shed / deadline misses',
      `${sets - rec.shed} / ${rec.shed} / ${rec.misses}`,
      'misses 0',
      rec.misses === 0n,
    ),
  );
  for (const [stage, ms] of rec.hostMs) {
    const profiled = rec.profiled.get(stage);
    // This machine's times beside the profile's budget, for information: they are not the target chip's.
    const budget = profiled === undefined ? '' : ` (${config.scheduler.profile} budget ${f(profiled, 2)} ms)`;
    rows.push(row(`latency ${stage}: host p50 / p90 / p99${budget}`, `${f(pct(ms, 0.5))} / ${f(pct(ms, 0.9))} / ${f(pct(ms, 0.99))} ms`));
  }
  return rows;
}

/** The one line under the terminal table when MOTA is negative, which surprises newcomers. */
export function negativeMotaLine(scores: SceneScores): string | undefined {
  const t = scores.tracking;
  if (!(t.mota < 0)) return undefined;
  return `MOTA < 0 means misses + false positives + ID switches (${t.misses} + ${t.falsePositives} + ${t.idSwitches}) outnumber the ${t.numGt} ground-truth object-frames; the false positives are mostly tracks of walls and furniture, real obstacles the scene does not list as objects (report.html explains).`;
}

/** How to read the table; MOTA's sign surprises newcomers. */
export function tableNotes(scores: SceneScores): string[] {
  const t = scores.tracking;
  return [
    `MOTA = 1 − (misses + false positives + ID switches) / ground-truth object-frames = 1 − (${t.misses} + ${t.falsePositives} + ${t.idSwitches}) / ${t.numGt}. ` +
      'It goes negative when the errors outnumber the ground-truth object-frames: here mostly false positives, i.e. tracks of obstacle clusters (walls, furniture) that the scene does not list as objects. IDF1 and the position error are the better guide on such scenes.',
    'Rows without a target are reported for information; "pass"/"fail" compares each value with its target.',
  ];
}
