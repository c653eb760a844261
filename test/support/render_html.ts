// Renders an HTML file to PNG with Debian's headless Chromium, the way a person would look at
// the report. Flags: no sandbox (root in CI), no GPU, no background networking (offline).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

export function chromiumPath(): string {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  throw new Error('headless Chromium not found at /usr/bin/chromium: apt-get install chromium (.ci/run does)');
}

/** Screenshot of `htmlPath` at the given window size, decoded. */
export function renderHtmlToPng(htmlPath: string, width = 1400, height = 2000): PNG {
  const dir = mkdtempSync(join(tmpdir(), 'render-'));
  const out = join(dir, 'shot.png');
  execFileSync(
    chromiumPath(),
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--hide-scrollbars',
      `--window-size=${width},${height}`,
      `--screenshot=${out}`,
      `file://${htmlPath}`,
    ],
    { stdio: 'pipe', timeout: 60_000 },
  );
  return PNG.sync.read(readFileSync(out));
}

/** Share of pixels within `tol` of an RGB colour, inside an optional region. */
export function colourShare(
  png: PNG,
  rgb: [number, number, number],
  tol = 40,
  region = { x: 0, y: 0, w: png.width, h: png.height },
): number {
  let hit = 0;
  for (let y = region.y; y < region.y + region.h; y++) {
    for (let x = region.x; x < region.x + region.w; x++) {
      const i = (y * png.width + x) * 4;
      if (Math.abs(png.data[i] - rgb[0]) <= tol && Math.abs(png.data[i + 1] - rgb[1]) <= tol && Math.abs(png.data[i + 2] - rgb[2]) <= tol)
        hit++;
    }
  }
  return hit / (region.w * region.h);
}
