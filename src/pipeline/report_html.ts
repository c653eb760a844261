// The demo's visual report: one self-contained HTML page (images inlined as JPEG data URIs,
// drawings as inline SVG), so it opens anywhere, renders headless for tests, and needs no
// plotting library. Three panels: each camera with boxes and track ids; a bird's-eye view of
// the obstacle cloud, virtual scan and tracks against ground truth; per-stage latency against
// the deadline.
import * as jpeg from 'jpeg-js';
import type { Raster } from '../io/raster';

export interface ReportBox {
  x1: number; y1: number; x2: number; y2: number;
  label: string;
  kind: 'detection' | 'ground_truth';
}

export interface ReportCamera { name: string; image: Raster; boxes: ReportBox[] }

export interface ReportTrack { id: number; cls: string; x: number; y: number; vx: number; vy: number; trail: Array<[number, number]> }
export interface ReportGroundTruth { id: number; cls: string; x: number; y: number; sx: number; sy: number; yaw: number; trail: Array<[number, number]> }

export interface ReportBirdsEye {
  /** Obstacle points, packed x, y, z in base_link. */
  cloud: Float32Array;
  scan?: { angleMin: number; angleIncrement: number; ranges: ArrayLike<number>; rangeMax: number };
  tracks: ReportTrack[];
  groundTruth: ReportGroundTruth[];
  /** Half-width of the square view, metres. */
  extent: number;
}

export interface ReportLatency {
  stages: string[];
  /** One row per frame set: per-stage ms (same order as stages); shed sets have no stage times. */
  frames: Array<{ stageMs: number[]; shed: boolean }>;
  deadlineMs: number;
  periodMs: number;
  timeMode: string;
}

export interface ReportData {
  title: string;
  subtitle: string;
  cameras: ReportCamera[];
  birdsEye: ReportBirdsEye;
  latency: ReportLatency;
  /** The metrics table printed at the end of the demo. */
  table: Array<{ metric: string; value: string; target: string }>;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Raster (bgr8/rgb8/mono8) -> base64 JPEG. */
function jpegDataUri(r: Raster, quality = 80): string {
  const n = r.width * r.height;
  const rgba = new Uint8Array(n * 4);
  const d = r.data;
  for (let i = 0; i < n; i++) {
    let red: number, green: number, blue: number;
    if (r.channels === 1) red = green = blue = Number(d[i]);
    else if (r.format === 'bgr8' || r.format === 'bgra8') [blue, green, red] = [Number(d[i * r.channels]), Number(d[i * r.channels + 1]), Number(d[i * r.channels + 2])];
    else [red, green, blue] = [Number(d[i * r.channels]), Number(d[i * r.channels + 1]), Number(d[i * r.channels + 2])];
    rgba[i * 4] = red; rgba[i * 4 + 1] = green; rgba[i * 4 + 2] = blue; rgba[i * 4 + 3] = 255;
  }
  const enc = jpeg.encode({ data: rgba, width: r.width, height: r.height }, quality);
  return `data:image/jpeg;base64,${Buffer.from(enc.data).toString('base64')}`;
}

const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4', '#469990'];
const colorFor = (id: number) => COLORS[Math.abs(id) % COLORS.length];

function cameraPanel(cam: ReportCamera): string {
  const boxes = cam.boxes
    .map((b) => {
      const gt = b.kind === 'ground_truth';
      const stroke = gt ? '#00ff66' : '#ff2a2a';
      const dash = gt ? ' stroke-dasharray="6 4"' : '';
      const label = gt ? '' : `<text x="${b.x1 + 3}" y="${Math.max(12, b.y1 - 4)}" class="lbl">${esc(b.label)}</text>`;
      return `<rect x="${b.x1}" y="${b.y1}" width="${b.x2 - b.x1}" height="${b.y2 - b.y1}" fill="none" stroke="${stroke}" stroke-width="3"${dash}/>${label}`;
    })
    .join('');
  return `<figure><figcaption>${esc(cam.name)}</figcaption><svg viewBox="0 0 ${cam.image.width} ${cam.image.height}" class="cam">` +
    `<image href="${jpegDataUri(cam.image)}" width="${cam.image.width}" height="${cam.image.height}"/>${boxes}</svg></figure>`;
}

/** Bird's-eye view in base_link: x forward is up, y left is left (REP-103 seen from above). */
function birdsEyePanel(b: ReportBirdsEye): string {
  const size = 640;
  const s = size / (2 * b.extent);
  const px = (x: number, y: number): [number, number] => [size / 2 - y * s, size / 2 - x * s];
  const parts: string[] = [];
  for (let r = 2; r <= b.extent; r += 2) parts.push(`<circle cx="${size / 2}" cy="${size / 2}" r="${r * s}" class="ring"/>`);
  for (let i = 0; i < b.cloud.length; i += 3) {
    const [u, v] = px(b.cloud[i], b.cloud[i + 1]);
    if (u >= 0 && u < size && v >= 0 && v < size) parts.push(`<rect x="${u.toFixed(1)}" y="${v.toFixed(1)}" width="2" height="2" fill="#888"/>`);
  }
  if (b.scan) {
    const pts: string[] = [];
    for (let i = 0; i < b.scan.ranges.length; i++) {
      const r = b.scan.ranges[i];
      if (!(r > 0 && r < b.scan.rangeMax)) continue;
      const a = b.scan.angleMin + i * b.scan.angleIncrement;
      const [u, v] = px(r * Math.cos(a), r * Math.sin(a));
      pts.push(`<circle cx="${u.toFixed(1)}" cy="${v.toFixed(1)}" r="1.6" fill="#ff9900"/>`);
    }
    parts.push(pts.join(''));
  }
  for (const g of b.groundTruth) {
    const [u, v] = px(g.x, g.y);
    const deg = (-g.yaw * 180) / Math.PI;
    parts.push(`<polyline points="${g.trail.map(([x, y]) => px(x, y).map((c) => c.toFixed(1)).join(',')).join(' ')}" class="gttrail"/>`);
    parts.push(`<rect x="${u - (g.sy * s) / 2}" y="${v - (g.sx * s) / 2}" width="${g.sy * s}" height="${g.sx * s}" transform="rotate(${deg} ${u} ${v})" class="gtbox"/>`);
  }
  for (const t of b.tracks) {
    const [u, v] = px(t.x, t.y);
    const [u2, v2] = px(t.x + t.vx, t.y + t.vy);
    const c = colorFor(t.id);
    parts.push(`<polyline points="${t.trail.map(([x, y]) => px(x, y).map((q) => q.toFixed(1)).join(',')).join(' ')}" fill="none" stroke="${c}" stroke-width="2"/>`);
    parts.push(`<circle cx="${u}" cy="${v}" r="6" fill="${c}"/><line x1="${u}" y1="${v}" x2="${u2}" y2="${v2}" stroke="${c}" stroke-width="3"/>`);
    parts.push(`<text x="${u + 8}" y="${v - 8}" class="tid">#${t.id} ${esc(t.cls)}</text>`);
  }
  const [ru, rv] = px(0, 0);
  parts.push(`<polygon points="${ru},${rv - 12} ${ru - 8},${rv + 8} ${ru + 8},${rv + 8}" fill="#000"/>`);
  return `<svg viewBox="0 0 ${size} ${size}" class="bev">${parts.join('')}</svg>`;
}

function latencyPanel(l: ReportLatency): string {
  const w = 900, h = 320, pad = 40;
  const totals = l.frames.map((f) => f.stageMs.reduce((a, b) => a + b, 0));
  const yMax = Math.max(l.deadlineMs * 1.2, ...totals);
  const bw = (w - 2 * pad) / Math.max(1, l.frames.length);
  const y = (ms: number) => h - pad - (ms / yMax) * (h - 2 * pad);
  const parts: string[] = [];
  l.frames.forEach((f, i) => {
    let acc = 0;
    if (f.shed) {
      parts.push(`<rect x="${pad + i * bw}" y="${pad}" width="${Math.max(1, bw)}" height="${h - 2 * pad}" fill="#fdd"/>`);
      return;
    }
    f.stageMs.forEach((ms, s) => {
      parts.push(`<rect x="${(pad + i * bw).toFixed(2)}" y="${y(acc + ms).toFixed(2)}" width="${Math.max(1, bw - 0.5).toFixed(2)}" height="${(y(acc) - y(acc + ms)).toFixed(2)}" fill="${COLORS[s % COLORS.length]}"/>`);
      acc += ms;
    });
  });
  parts.push(`<line x1="${pad}" x2="${w - pad}" y1="${y(l.deadlineMs)}" y2="${y(l.deadlineMs)}" stroke="#d00" stroke-width="2"/><text x="${w - pad - 150}" y="${y(l.deadlineMs) - 5}" class="axis">deadline ${l.deadlineMs.toFixed(1)} ms</text>`);
  parts.push(`<line x1="${pad}" x2="${w - pad}" y1="${y(l.periodMs)}" y2="${y(l.periodMs)}" stroke="#06c" stroke-dasharray="5 4"/><text x="${w - pad - 150}" y="${y(l.periodMs) - 5}" class="axis">period ${l.periodMs.toFixed(1)} ms</text>`);
  parts.push(`<line x1="${pad}" x2="${pad}" y1="${pad}" y2="${h - pad}" stroke="#000"/><text x="4" y="${pad - 8}" class="axis">ms (${esc(l.timeMode)})</text><text x="${pad}" y="${h - 10}" class="axis">frame set →</text>`);
  const legend = l.stages.map((s, i) => `<span><i style="background:${COLORS[i % COLORS.length]}"></i>${esc(s)}</span>`).join('') + '<span><i style="background:#fdd"></i>shed</span>';
  return `<svg viewBox="0 0 ${w} ${h}" class="lat">${parts.join('')}</svg><div class="legend">${legend}</div>`;
}

/** Renders the whole report as one HTML string. */
export function renderHtmlReport(data: ReportData): string {
  const rows = data.table.map((r) => `<tr><td>${esc(r.metric)}</td><td>${esc(r.value)}</td><td>${esc(r.target)}</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(data.title)}</title><style>
body{font-family:DejaVu Sans,Arial,sans-serif;margin:16px;background:#fafafa;color:#111}
h1{font-size:22px;margin:0}h2{font-size:17px;margin:18px 0 6px}.sub{color:#555;margin:4px 0 10px}
.cams{display:grid;grid-template-columns:repeat(4,1fr);gap:6px;max-width:1600px}
figure{margin:0}figcaption{font-weight:bold}svg.cam{width:100%;border:1px solid #ccc}
.lbl{font-size:18px;fill:#fff;paint-order:stroke;stroke:#c00;stroke-width:4px;font-weight:bold}
.row{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}svg.bev{width:560px;background:#fff;border:1px solid #ccc}
.ring{fill:none;stroke:#ddd}.gtbox{fill:none;stroke:#00aa44;stroke-width:2;stroke-dasharray:4 3}.gttrail{fill:none;stroke:#00aa44;stroke-dasharray:2 3}
.tid{font-size:13px;font-weight:bold}svg.lat{width:900px;background:#fff;border:1px solid #ccc}.axis{font-size:12px}
.legend span{margin-right:12px;font-size:13px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px}
table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
</style></head><body><h1>${esc(data.title)}</h1><div class="sub">${esc(data.subtitle)}</div>
<h2>Cameras (red: detections with track ids; green dashed: ground truth)</h2><div class="cams">${data.cameras.map(cameraPanel).join('')}</div>
<div class="row"><div><h2>Bird's-eye view (grey: obstacle cloud, orange: virtual scan, dots: tracks, green: ground truth)</h2>${birdsEyePanel(data.birdsEye)}</div>
<div><h2>Metrics</h2><table><tr><th>metric</th><th>value</th><th>target</th></tr>${rows}</table></div></div>
<h2>Latency per stage against the deadline</h2>${latencyPanel(data.latency)}
</body></html>`;
}
