/**
 * Runs only the `hersys` subcommand through commander, exactly as `ichiren hersys` would, for use while
 * other subcommand modules are not yet present (bin/ichiren.js loads them all).
 */
import { Command } from 'commander';
import { register } from '../../../harness/cli/commands/hersys.js';

const program = new Command('ichiren').exitOverride();
register(program);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (error) {
  process.stderr.write(`ichiren: ${(error as Error).message}\n`);
  process.exitCode = (error as { code?: string }).code === 'ICHIREN_USAGE' ? 2 : 1;
}
