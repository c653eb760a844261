// The README's examples as the newcomer check runs them: each is the fenced block after a
// `<!-- newcomer: NAME -->` marker, so the guide and the check cannot drift apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const README = join(__dirname, '../../README.md');

/** The text of the fenced block after `<!-- newcomer: name -->`. */
export function readmeBlock(name: string): string {
  const text = readFileSync(README, 'utf8');
  const at = text.indexOf(`<!-- newcomer: ${name} -->`);
  if (at < 0) throw new Error(`README.md has no "<!-- newcomer: ${name} -->" example`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`README.md: no fenced block after "<!-- newcomer: ${name} -->"`);
  return block[1]!;
}

/**
 * The command of a README bash block as argv for main(): continuation lines joined, the
 * `bin/dx-perception` word dropped, and each placeholder word replaced by its real path.
 */
export function readmeCommand(name: string, paths: Record<string, string>): string[] {
  const words = readmeBlock(name).replace(/\\\n/g, ' ').trim().split(/\s+/);
  if (words[0] !== 'bin/dx-perception') throw new Error(`README.md example "${name}" does not start with bin/dx-perception`);
  return words.slice(1).map((w) => paths[w] ?? w);
}
