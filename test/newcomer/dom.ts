// The report's DOM as headless Chromium builds it (--dump-dom), for assertions on what a reader
// gets rather than on the HTML string the demo wrote.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath } from '../support/render_html';

export function dumpDom(htmlPath: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'dom-'));
  return execFileSync(
    chromiumPath(),
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--dump-dom',
      `file://${htmlPath}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 256 * 1024 * 1024 },
  ).toString('utf8');
}

/** Every element `<tag ...class="... cls ...">` of `dom`, with its attributes and (for text-bearing tags) its text. */
export function elements(dom: string, tag: string, cls: string): Array<{ attrs: Record<string, string>; text: string }> {
  const re = new RegExp(`<${tag}\\b([^>]*)>(?:([^<]*)</${tag}>)?`, 'g');
  const out: Array<{ attrs: Record<string, string>; text: string }> = [];
  for (const m of dom.matchAll(re)) {
    const attrs = Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    if ((attrs.class ?? '').split(/\s+/).includes(cls)) out.push({ attrs, text: m[2] ?? '' });
  }
  return out;
}
