// The command line run in-process, as a user runs it: its exit status and what it wrote to stderr.
import { main } from '../../src/cli/main';

export async function runCli(argv: string[]): Promise<{ code: number; errors: string }> {
  const errors: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), errors: errors.join('') };
  } finally {
    process.stderr.write = write;
  }
}
