// The demo's visual report: one self-contained HTML page (images inlined as JPEG data URIs,
// drawings as inline SVG), so it opens anywhere, renders headless for tests, and needs no
// plotting library. Panels: run metadata and the frame shown; each camera with detections
// (labelled with their track ids), projected tracks and ground-truth boxes, and its depth image;
// a bird's-eye view; the metrics with pass/fail; latency on the scheduler's clock.
import * as jpeg from 'jpeg-js';
import type { Raster } from '../io/raster';
import { birdsEyePanel, type ReportBirdsEye } from './birdseye';
import { latencyPanel, type ReportLatency } from './latency';

export type { ReportBirdsEye, ReportGroundTruth, ReportTrack } from './birdseye';
export type { ReportLatency } from './latency';

export interface ReportBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  label: string;
  kind: 'detection' | 'track' | 'ground_truth';
}

/** A depth image in metres (0 or non-finite: no depth), row-major. */
export interface ReportDepth {
  width: number;
  height: number;
  metres: Float32Array;
  maxM: number;
}

export interface ReportCamera {
  name: string;
  image: Raster;
  boxes: ReportBox[];
  depth?: ReportDepth;
  /** Why the panel has no detections, when that is by design (e.g. the right camera of a stereo pair). */
  note?: string;
  /** What the camera gave over the whole run (obstacle points in its view, tracks naming it). */
  coverage?: string;
}

export interface ReportRow {
  metric: string;
  value: string;
  target: string;
  pass?: boolean;
}

export interface ReportData {
  title: string;
  subtitle: string;
  /** Run metadata, shown as a list: scene, bag, cameras, time mode, model, frame shown... */
  metadata: Array<[string, string]>;
  cameras: ReportCamera[];
  birdsEye: ReportBirdsEye;
  latency: ReportLatency;
  /** The metrics table printed at the end of the demo. */
  table: ReportRow[];
  /** Notes under the table (how to read a metric). */
  notes: string[];
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function jpegOf(width: number, height: number, pixel: (i: number, out: Uint8Array) => void, quality = 80): string {
  const rgba = new Uint8Array(width * height * 4);
  const px = new Uint8Array(3);
  for (let i = 0; i < width * height; i++) {
    pixel(i, px);
    rgba.set(px, i * 4);
    rgba[i * 4 + 3] = 255;
  }
  const enc = jpeg.encode({ data: rgba, width, height }, quality);
  return `data:image/jpeg;base64,${Buffer.from(enc.data).toString('base64')}`;
}

/** Raster (bgr8/rgb8/mono8) -> base64 JPEG. */
function rasterUri(r: Raster): string {
  const d = r.data,
    c = r.channels;
  const bgr = r.format === 'bgr8' || r.format === 'bgra8';
  return jpegOf(r.width, r.height, (i, out) => {
    if (c === 1) out.fill(Number(d[i]));
    else if (bgr) out.set([Number(d[i * c + 2]), Number(d[i * c + 1]), Number(d[i * c])]);
    else out.set([Number(d[i * c]), Number(d[i * c + 1]), Number(d[i * c + 2])]);
  });
}

/** Depth -> JPEG: near is warm, far is blue, no depth is black. */
function depthUri(d: ReportDepth): string {
  return jpegOf(d.width, d.height, (i, out) => {
    const m = d.metres[i];
    if (!(m > 0 && Number.isFinite(m))) return void out.fill(0);
    const t = Math.min(1, m / d.maxM);
    out.set([255 * (1 - t), 255 * Math.min(1, 2 * (1 - Math.abs(t - 0.5))) * 0.8, 255 * t]);
  });
}

const BOX_STYLE = {
  detection: ['#ff2a2a', '', 'lbl'],
  track: ['#ffd000', ' stroke-dasharray="10 4"', 'lbl trk'],
  ground_truth: ['#00ff66', ' stroke-dasharray="6 4"', 'lbl gt'],
} as const;

function cameraPanel(cam: ReportCamera): string {
  const boxes = cam.boxes
    .map((b) => {
      const [stroke, dash, cls] = BOX_STYLE[b.kind];
      // Ground-truth labels go under the box, the others above, so a matched pair stays readable.
      const y = b.kind === 'ground_truth' ? Math.min(cam.image.height - 4, b.y2 + 18) : Math.max(16, b.y1 - 4);
      return (
        `<g class="box ${b.kind}"><rect x="${b.x1}" y="${b.y1}" width="${b.x2 - b.x1}" height="${b.y2 - b.y1}" fill="none" stroke="${stroke}" stroke-width="3"${dash}/>` +
        `<text x="${b.x1 + 3}" y="${y}" class="${cls}">${esc(b.label)}</text></g>`
      );
    })
    .join('');
  const depth = cam.depth
    ? `<img class="depth" alt="${esc(cam.name)} depth" src="${depthUri(cam.depth)}"><div class="cap">depth 0–${cam.depth.maxM} m (black: none)</div>`
    : '';
  return (
    `<figure data-camera="${esc(cam.name)}"><figcaption>${esc(cam.name)}</figcaption><svg viewBox="0 0 ${cam.image.width} ${cam.image.height}" class="cam">` +
    `<image href="${rasterUri(cam.image)}" width="${cam.image.width}" height="${cam.image.height}"/>${boxes}</svg>` +
    `${cam.note ? `<div class="cap">${esc(cam.note)}</div>` : ''}` +
    `${cam.coverage ? `<div class="cap coverage">${esc(cam.coverage)}</div>` : ''}${depth}</figure>`
  );
}

const verdict = (p: boolean | undefined) => (p === undefined ? '' : p ? '<td class="pass">pass</td>' : '<td class="fail">fail</td>');

/** Renders the whole report as one HTML string. */
export function renderHtmlReport(data: ReportData): string {
  const rows = data.table
    .map((r) => `<tr><td>${esc(r.metric)}</td><td>${esc(r.value)}</td><td>${esc(r.target)}</td>${verdict(r.pass) || '<td></td>'}</tr>`)
    .join('');
  const meta = data.metadata.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(data.title)}</title><style>
body{font-family:DejaVu Sans,Arial,sans-serif;margin:16px;background:#fafafa;color:#111}
h1{font-size:22px;margin:0}h2{font-size:17px;margin:18px 0 6px}.sub{color:#555;margin:4px 0 10px}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:2px 12px;font-size:13px;margin:6px 0}dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
.cams{display:grid;grid-template-columns:repeat(4,1fr);gap:6px;max-width:1600px}
figure{margin:0}figcaption{font-weight:bold}svg.cam,img.depth{width:100%;border:1px solid #ccc;display:block}.cap{font-size:12px;color:#555}
.lbl{font-size:18px;fill:#fff;paint-order:stroke;stroke:#c00;stroke-width:4px;font-weight:bold}.lbl.trk{stroke:#8a6d00}.lbl.gt{stroke:#007a33}
.row{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}svg.bev{width:560px;background:#fff;border:1px solid #ccc}
.ring{fill:none;stroke:#ccc}.ringlbl{font-size:11px;fill:#777}.fov{fill:#4363d8;fill-opacity:0.06;stroke:#4363d8;stroke-opacity:0.35}
.gtbox{fill:none;stroke:#00aa44;stroke-width:2;stroke-dasharray:4 3}.gttrail{fill:none;stroke:#00aa44;stroke-dasharray:2 3}
.tid{font-size:13px;font-weight:bold}svg.lat{width:900px;background:#fff;border:1px solid #ccc}.axis{font-size:12px}
.legend span{margin-right:12px;font-size:13px}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px}
table{border-collapse:collapse;font-size:14px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}.pass{color:#080;font-weight:bold}.fail{color:#c00;font-weight:bold}
.notes{font-size:13px;max-width:640px;color:#333}
</style></head><body><h1>${esc(data.title)}</h1><div class="sub">${esc(data.subtitle)}</div><dl class="meta">${meta}</dl>
<h2>Cameras (red: detections, labelled with their track id; yellow dashed: tracks projected; green dashed: ground truth)</h2><div class="cams">${data.cameras.map(cameraPanel).join('')}</div>
<div class="row"><div><h2>Bird's-eye view (grey: obstacle cloud, orange: virtual scan, dots: tracks, green: ground truth, blue: camera fields of view)</h2>${birdsEyePanel(data.birdsEye)}</div>
<div><h2>Metrics</h2><table><tr><th>metric</th><th>value</th><th>target</th><th>result</th></tr>${rows}</table><div class="notes">${data.notes.map((n) => `<p>${esc(n)}</p>`).join('')}</div></div></div>
<h2>Latency per stage against the deadline (${esc(data.latency.clock)})</h2>${latencyPanel(data.latency)}
</body></html>`;
}
