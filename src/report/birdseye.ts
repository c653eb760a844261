// The report's bird's-eye view in base_link: x forward is up, y left is left (REP-103 seen from
// above). Distance rings are labelled, each camera's field of view is drawn, the view grows to
// hold every object (nothing is clipped), and track labels never overlap.
import { placeLabels } from './labels';

/** A camera's horizontal field of view seen from above: its position and the two edge bearings. */
export interface ReportFov {
  camera: string;
  x: number;
  y: number;
  yawLeft: number;
  yawRight: number;
}
export interface ReportTrack {
  id: number;
  cls: string;
  x: number;
  y: number;
  vx: number;
  vy: number;
  trail: Array<[number, number]>;
}
export interface ReportGroundTruth {
  id: number;
  cls: string;
  x: number;
  y: number;
  sx: number;
  sy: number;
  yaw: number;
  trail: Array<[number, number]>;
}

export interface ReportBirdsEye {
  /** Obstacle points, packed x, y, z in base_link. */
  cloud: Float32Array;
  scan?: { angleMin: number; angleIncrement: number; ranges: ArrayLike<number>; rangeMax: number };
  tracks: ReportTrack[];
  groundTruth: ReportGroundTruth[];
  /** Cameras' horizontal fields of view. */
  fovs: ReportFov[];
  /** Smallest half-width of the square view, metres; it grows to hold every track and ground-truth object. */
  extent: number;
}

const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4', '#469990'];
export const colorFor = (id: number) => COLORS[Math.abs(id) % COLORS.length];
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Half-width that holds every object with a 1 m margin, rounded up to the ring spacing. */
export function viewExtent(b: ReportBirdsEye): number {
  const far = Math.max(0, ...[...b.tracks, ...b.groundTruth].map((o) => Math.max(Math.abs(o.x), Math.abs(o.y)) + 1));
  return 2 * Math.ceil(Math.max(b.extent, far) / 2);
}

export function birdsEyePanel(b: ReportBirdsEye): string {
  const size = 640;
  const extent = viewExtent(b);
  const s = size / (2 * extent);
  const px = (x: number, y: number): [number, number] => [size / 2 - y * s, size / 2 - x * s];
  const parts: string[] = [];
  for (const f of b.fovs) {
    const [u, v] = px(f.x, f.y);
    const far = 2 * extent;
    const [ul, vl] = px(f.x + far * Math.cos(f.yawLeft), f.y + far * Math.sin(f.yawLeft));
    const [ur, vr] = px(f.x + far * Math.cos(f.yawRight), f.y + far * Math.sin(f.yawRight));
    parts.push(
      `<polygon points="${u.toFixed(1)},${v.toFixed(1)} ${ul.toFixed(1)},${vl.toFixed(1)} ${ur.toFixed(1)},${vr.toFixed(1)}" class="fov" data-camera="${esc(f.camera)}"/>`,
    );
  }
  for (let r = 2; r <= extent; r += 2) {
    parts.push(`<circle cx="${size / 2}" cy="${size / 2}" r="${r * s}" class="ring"/>`);
    // Labels sit on the ring towards the upper left, where the robot's forward view is least crowded.
    const [u, v] = px(r * Math.SQRT1_2, r * Math.SQRT1_2);
    parts.push(`<text x="${(u + 2).toFixed(1)}" y="${(v - 2).toFixed(1)}" class="ringlbl">${r} m</text>`);
  }
  for (let i = 0; i < b.cloud.length; i += 3) {
    const [u, v] = px(b.cloud[i], b.cloud[i + 1]);
    if (u >= 0 && u < size && v >= 0 && v < size)
      parts.push(`<rect x="${u.toFixed(1)}" y="${v.toFixed(1)}" width="2" height="2" fill="#888"/>`);
  }
  if (b.scan) {
    for (let i = 0; i < b.scan.ranges.length; i++) {
      const r = b.scan.ranges[i];
      if (!(r > 0 && r < b.scan.rangeMax)) continue;
      const a = b.scan.angleMin + i * b.scan.angleIncrement;
      const [u, v] = px(r * Math.cos(a), r * Math.sin(a));
      parts.push(`<circle cx="${u.toFixed(1)}" cy="${v.toFixed(1)}" r="1.6" fill="#ff9900"/>`);
    }
  }
  for (const g of b.groundTruth) {
    const [u, v] = px(g.x, g.y);
    const deg = (-g.yaw * 180) / Math.PI;
    parts.push(
      `<polyline points="${g.trail
        .map(([x, y]) =>
          px(x, y)
            .map((c) => c.toFixed(1))
            .join(','),
        )
        .join(' ')}" class="gttrail"/>`,
    );
    parts.push(
      `<rect x="${u - (g.sy * s) / 2}" y="${v - (g.sx * s) / 2}" width="${g.sy * s}" height="${g.sx * s}" transform="rotate(${deg} ${u} ${v})" class="gtbox"/>`,
    );
  }
  const labels: Array<{ x: number; y: number; text: string; color: string }> = [];
  for (const t of b.tracks) {
    const [u, v] = px(t.x, t.y);
    const [u2, v2] = px(t.x + t.vx, t.y + t.vy);
    const c = colorFor(t.id);
    parts.push(
      `<polyline points="${t.trail
        .map(([x, y]) =>
          px(x, y)
            .map((q) => q.toFixed(1))
            .join(','),
        )
        .join(' ')}" fill="none" stroke="${c}" stroke-width="2"/>`,
    );
    parts.push(
      `<circle cx="${u}" cy="${v}" r="6" fill="${c}"/><line x1="${u}" y1="${v}" x2="${u2}" y2="${v2}" stroke="${c}" stroke-width="3"/>`,
    );
    labels.push({ x: u + 8, y: v - 8, text: `#${t.id} ${t.cls}`, color: c });
  }
  placeLabels(labels, 13).forEach((l, i) =>
    parts.push(`<text x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}" class="tid" fill="${labels[i].color}">${esc(l.text)}</text>`),
  );
  const [ru, rv] = px(0, 0);
  parts.push(`<polygon points="${ru},${rv - 12} ${ru - 8},${rv + 8} ${ru + 8},${rv + 8}" fill="#000"/>`);
  return `<svg viewBox="0 0 ${size} ${size}" class="bev" data-extent-m="${extent}">${parts.join('')}</svg>`;
}
