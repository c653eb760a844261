// Turns zod issues into the project's error style: each bad key, the value found there, and what
// was expected, one per line.
import type { z } from 'zod';

/** Lines "  path.to.key = <value>: <expectation>" for every issue, reading values from `input`. */
export function describeIssues(error: z.ZodError, input: unknown): string {
  return error.issues
    .map((issue) => {
      const value = issue.path.reduce<unknown>(
        (v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined),
        input,
      );
      return `  ${issue.path.join('.') || '(root)'} = ${JSON.stringify(value)}: ${issue.message}`;
    })
    .join('\n');
}
