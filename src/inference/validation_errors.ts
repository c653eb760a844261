// Turns zod issues into the project's error style: each bad key, the value found there, and what
// was expected, one per line. It lives in inference, the leftmost module that validates options
// with zod, so that every module to its right (profile, scheduler, sim, pipeline) can share it.
import type { z } from 'zod';

/**
 * Lines "  path.to.key = <value>: <expectation>" for every issue, reading values from `input`
 * (the value as given, before defaults). A key absent from `input` shows as `missing`; an issue
 * about the whole input shows as `(root)`. `prefix` names where `input` sits (`fusion.`).
 */
export function describeIssues(error: z.ZodError, input: unknown, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.length > 0 ? `${prefix}${issue.path.map(String).join('.')}` : '(root)';
      const value = valueAt(input, issue.path);
      const shown = value === undefined ? 'missing' : JSON.stringify(value);
      return `  ${key} = ${shown}: ${issue.message}`;
    })
    .join('\n');
}

/** The value found at an issue's `path` inside `root`, or undefined where the path leads nowhere. */
function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * The candidate nearest to `word` by edit distance, when it is near enough to be a typo of it
 * (at most 2 edits, or a third of the word's length for long words); else undefined.
 */
export function closestKey(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** Levenshtein distance (insert, delete, substitute), one row of the table at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
