// The report's latency chart: per frame set, the stage times on the scheduler's own clock (the
// hardware profile's predicted times in target time, this machine's wall clock in host time),
// stacked, the set's latency from stamp to end on that clock as a dot, with a y-axis, the
// deadline and period lines, and labels that do not overlap. Bars and dots carry their values
// (data-ms) so a test reads what was drawn.
import { placeLabels } from './labels';

export interface ReportLatency {
  stages: string[];
  /**
   * One row per frame set: per-stage ms (same order as stages) and the latency from the set's
   * stamp to its end (queueing included; NaN unknown); shed sets have no stage times.
   */
  frames: Array<{ stageMs: number[]; latencyMs: number; shed: boolean }>;
  deadlineMs: number;
  periodMs: number;
  /** The clock the times are on, e.g. "target time: dx-v3 predicted stage times". */
  clock: string;
}

export const STAGE_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4', '#469990'];
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A round tick step giving about five ticks up to `max`. */
function tickStep(max: number): number {
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((st) => st >= raw) ?? 10 * p;
}

export function latencyPanel(l: ReportLatency): string {
  const w = 900,
    h = 320,
    left = 56,
    right = 150,
    top = 20,
    bottom = 40;
  const totals = l.frames.map((f) => f.stageMs.reduce((a, b) => a + b, 0));
  const yMax = Math.max(l.deadlineMs * 1.2, ...totals, ...l.frames.map((f) => f.latencyMs).filter(Number.isFinite));
  const bw = (w - left - right) / Math.max(1, l.frames.length);
  const y = (ms: number) => h - bottom - (ms / yMax) * (h - top - bottom);
  const parts: string[] = [];
  l.frames.forEach((f, i) => {
    if (f.shed) {
      parts.push(
        `<rect x="${left + i * bw}" y="${top}" width="${Math.max(1, bw)}" height="${h - top - bottom}" fill="#fdd" class="shed"/>`,
      );
      return;
    }
    let acc = 0;
    f.stageMs.forEach((ms, s) => {
      parts.push(
        `<rect x="${(left + i * bw).toFixed(2)}" y="${y(acc + ms).toFixed(2)}" width="${Math.max(1, bw - 0.5).toFixed(2)}" height="${(y(acc) - y(acc + ms)).toFixed(2)}" fill="${STAGE_COLORS[s % STAGE_COLORS.length]}" class="bar" data-stage="${esc(l.stages[s] ?? '')}" data-ms="${+ms.toFixed(3)}"/>`,
      );
      acc += ms;
    });
    if (Number.isFinite(f.latencyMs)) {
      parts.push(
        `<circle cx="${(left + (i + 0.5) * bw).toFixed(2)}" cy="${y(f.latencyMs).toFixed(2)}" r="2.5" fill="#000" class="latency" data-ms="${+f.latencyMs.toFixed(3)}"/>`,
      );
    }
  });
  const step = tickStep(yMax);
  for (let ms = 0; ms <= yMax; ms += step) {
    parts.push(
      `<line x1="${left - 4}" x2="${left}" y1="${y(ms)}" y2="${y(ms)}" stroke="#000"/><text x="${left - 6}" y="${y(ms) + 4}" class="axis tick" text-anchor="end">${+ms.toFixed(3)}</text>`,
    );
  }
  parts.push(
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${h - bottom}" stroke="#000" class="yaxis"/><line x1="${left}" x2="${w - right}" y1="${h - bottom}" y2="${h - bottom}" stroke="#000"/>`,
  );
  parts.push(
    `<text x="14" y="${(top + h - bottom) / 2}" class="axis" transform="rotate(-90 14 ${(top + h - bottom) / 2})" text-anchor="middle">ms, ${esc(l.clock)}</text>`,
  );
  parts.push(
    `<text x="${(left + w - right) / 2}" y="${h - 10}" class="axis" text-anchor="middle">frame set (1 … ${l.frames.length})</text>`,
  );
  parts.push(
    `<line x1="${left}" x2="${w - right}" y1="${y(l.deadlineMs)}" y2="${y(l.deadlineMs)}" stroke="#d00" stroke-width="2" class="deadline"/>`,
  );
  parts.push(`<line x1="${left}" x2="${w - right}" y1="${y(l.periodMs)}" y2="${y(l.periodMs)}" stroke="#06c" stroke-dasharray="5 4"/>`);
  // Line labels sit in the right margin, moved apart when the deadline and period are close.
  const labels = placeLabels(
    [
      { x: w - right + 6, y: y(l.deadlineMs) + 4, text: `deadline ${l.deadlineMs.toFixed(1)} ms` },
      { x: w - right + 6, y: y(l.periodMs) + 4, text: `period ${l.periodMs.toFixed(1)} ms` },
    ],
    12,
  );
  labels.forEach((lb, i) =>
    parts.push(`<text x="${lb.x}" y="${lb.y.toFixed(1)}" class="axis" fill="${i === 0 ? '#d00' : '#06c'}">${esc(lb.text)}</text>`),
  );
  const legend =
    l.stages.map((s, i) => `<span><i style="background:${STAGE_COLORS[i % STAGE_COLORS.length]}"></i>${esc(s)}</span>`).join('') +
    '<span><i style="background:#000;border-radius:6px"></i>latency, stamp to end</span><span><i style="background:#fdd"></i>shed</span>';
  return `<svg viewBox="0 0 ${w} ${h}" class="lat" data-clock="${esc(l.clock)}">${parts.join('')}</svg><div class="legend">${legend}</div>`;
}
