// The `dx-perception` command line. Each command lives in its own module and is added here by
// one register call; failures print one line to stderr and exit with status 1.
import { Command } from 'commander';
import { registerBagCommand } from './bag_command';
import { registerDemoCommand } from './demo_command';
import { registerProfileCommand } from './profile_command';
import { registerQuantizeCommand } from './quantize_command';
import { registerRegressCommand } from './regress_command';
import { registerReplayCommand } from './replay_command';

/** The program with every command registered (exported so tests can run commands in-process). */
export function buildProgram(): Command {
  const program = new Command('dx-perception')
    .description('multi-camera depth and 3D object perception for ROS 2, with a deadline scheduler')
    .showHelpAfterError()
    // Before any command is added, so subcommands inherit it: usage errors then reach main().
    .exitOverride();
  registerDemoCommand(program);
  registerBagCommand(program);
  registerProfileCommand(program);
  registerQuantizeCommand(program);
  registerReplayCommand(program);
  registerRegressCommand(program);
  return program;
}

/** Runs the CLI with `argv` (user arguments only); resolves to the process exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    const e = err as Error & { code?: string; exitCode?: number };
    // commander has already printed its own usage errors and help; only its exit code is left.
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return e.exitCode ?? 1;
    process.stderr.write(`dx-perception: ${e.message}\n`);
    return 1;
  }
}

// Run when executed directly, or through bin/dx-perception (which require()s this file, so
// require.main is the bin script there); importing it from tests runs nothing.
if (require.main === module || process.argv[1]?.endsWith('dx-perception')) {
  // A closed pipe (`dx-perception bag info x | head`) ends the output, not in a crash.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  void main(process.argv.slice(2)).then((code) => {
    // A command may have set its own status (replay stopped by a signal: 130/143).
    process.exitCode = code || process.exitCode;
  });
}
