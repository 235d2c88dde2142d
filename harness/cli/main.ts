import { Command, CommanderError } from 'commander';
import { applyHelp } from './help.js';
import { INTERRUPTED_EXIT_CODE, takeEarlySignal, wasInterrupted } from './signals.js';

/**
 * Each subcommand lives in its own module under ./commands and exports `register(program)`.
 * Modules import their heavy dependencies (server, browser, database) inside their actions, so
 * `ichiren --help` and `ichiren keys rpis` start fast. Each import is written out: the compiled CLI
 * (bin/compiled-cli.js) bundles only the modules it can see.
 */
const COMMAND_MODULES: readonly (() => Promise<{ register(program: Command): void }>)[] = [
  // In the order `ichiren --help` lists them (help.ts groups them).
  () => import('./commands/run.js'),
  () => import('./commands/population.js'),
  () => import('./commands/watch.js'),
  () => import('./commands/audit.js'),
  () => import('./commands/app-check.js'),
  () => import('./commands/cases.js'),
  () => import('./commands/server.js'),
  () => import('./commands/hersys.js'),
  () => import('./commands/export.js'),
  () => import('./commands/keys.js'),
];

/** Thrown by commands for bad usage; the CLI prints its message and exits 2. */
export class UsageError extends Error {
  readonly code = 'ICHIREN_USAGE';
}

/** The CLI's commands, help groups and examples, before parsing (for main and for help tests). */
export async function buildProgram(): Promise<Command> {
  const program = new Command('ichiren')
    .description('一連 ichiren — end-to-end integration tests for exposure-notification contact tracing')
    .exitOverride()
    .showHelpAfterError()
    // `run` takes over early signals itself; any other command just ends as interrupted.
    .hook('preAction', (_program, command) => {
      if (command.name() !== 'run' && takeEarlySignal()) process.exit(INTERRUPTED_EXIT_CODE);
    });
  for (const load of COMMAND_MODULES) (await load()).register(program);
  applyHelp(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram();
  process.exitCode = 0;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    // An interrupted command still ends 130, whatever failed meanwhile (the message is printed).
    if (error instanceof UsageError) {
      process.stderr.write(`ichiren: ${error.message}\n`);
      return wasInterrupted() ? INTERRUPTED_EXIT_CODE : 2;
    }
    process.stderr.write(`ichiren: ${error instanceof Error ? error.message : String(error)}\n`);
    return wasInterrupted() ? INTERRUPTED_EXIT_CODE : 1;
  }
}
