// Turns zod issues into the project's error style: each bad key, the value found there, and what
// was expected, one per line. It lives in inference, the leftmost module that validates options
// with zod, so that every module to its right (profile, scheduler, sim, pipeline) can share it.
import type { z } from 'zod';

/**
 * Lines "  path.to.key = <value>: <expectation>" for every issue, reading values from `input`
 * (the value as given, before defaults). A key absent from `input` shows as `missing`; an issue
 * about the whole input shows as `(root)`.
 */
export function describeIssues(error: z.ZodError, input: unknown): string {
  return error.issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      const value = valueAt(input, issue.path);
      const shown = value === undefined ? 'missing' : JSON.stringify(value);
      return `  ${key} = ${shown}: ${issue.message}`;
    })
    .join('\n');
}

/** The value found at an issue's `path` inside `root`, or undefined where the path leads nowhere. */
export function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
