import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRaster } from '../../src/io/raster';
import { renderHtmlReport, type ReportData } from '../../src/report/html';
import { colourShare, renderHtmlToPng } from '../support/render_html';

function grey(width: number, height: number) {
  const r = createRaster(width, height, 'bgr8');
  for (let i = 0; i < r.data.length; i++) r.data[i] = 90 + ((i * 7) % 40);
  return r;
}

describe('HTML report', () => {
  it("shows cameras with boxes, a bird's-eye view and the latency plot when rendered", function () {
    this.timeout(90_000);
    const data: ReportData = {
      title: 'test report',
      subtitle: 'synthetic',
      cameras: ['front_left', 'front_right', 'left', 'right'].map((name) => ({
        name,
        image: grey(320, 240),
        boxes: [
          { x1: 40, y1: 40, x2: 160, y2: 200, label: '#3 person', kind: 'detection' as const },
          { x1: 180, y1: 60, x2: 300, y2: 220, label: '', kind: 'ground_truth' as const },
        ],
      })),
      birdsEye: {
        cloud: new Float32Array([2, 0, 0.5, 3, 1, 0.5, 4, -1, 0.5]),
        scan: { angleMin: -Math.PI, angleIncrement: Math.PI / 180, ranges: new Float32Array(360).fill(3), rangeMax: 12 },
        tracks: [
          {
            id: 3,
            cls: 'person',
            x: 4,
            y: 1,
            vx: 0,
            vy: -1,
            trail: [
              [4, 2],
              [4, 1],
            ],
          },
        ],
        groundTruth: [
          {
            id: 1,
            cls: 'person',
            x: 4,
            y: 1.1,
            sx: 0.5,
            sy: 0.5,
            yaw: 0,
            trail: [
              [4, 2.1],
              [4, 1.1],
            ],
          },
        ],
        fovs: [{ camera: 'front_left', x: 0.2, y: 0.06, yawLeft: 0.6, yawRight: -0.6 }],
        extent: 8,
      },
      latency: {
        stages: ['detect', 'depth', 'fuse'],
        frames: Array.from({ length: 30 }, (_, i) => ({ stageMs: [10, 12, 2], latencyMs: 30 + i, shed: i === 7 })),
        deadlineMs: 50,
        periodMs: 33.3,
        clock: 'target time, dx-v3',
      },
      metadata: [['scene', 'synthetic']],
      notes: ['MOTA note'],
      table: [{ metric: 'depth error', value: '1.2 %', target: '< 3 %', pass: true }],
    };
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const html = join(dir, 'report.html');
    writeFileSync(html, renderHtmlReport(data));
    const png = renderHtmlToPng(html);
    // Detection boxes (red) and ground-truth boxes (green) are drawn over the camera images.
    assert.ok(colourShare(png, [255, 42, 42], 30) > 0.001, 'red detection boxes visible');
    assert.ok(colourShare(png, [0, 255, 102], 30) > 0.0005, 'green ground-truth boxes visible');
    // The scan (orange) appears in the bird's-eye view.
    assert.ok(colourShare(png, [255, 153, 0], 30) > 0.0002, 'orange scan points visible');
    // An empty report would be almost all background.
    assert.ok(colourShare(png, [250, 250, 250], 3) < 0.9, 'page is not blank');
  });
});
