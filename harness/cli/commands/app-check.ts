import type { Command } from 'commander';
import { UsageError } from '../main.js';

/** `ichiren app-check "<command>"`: conformance of an external app to the app protocol (exit 1 on any failure). */
export function register(program: Command): void {
  program
    .command('app-check')
    .description(
      'check an external app against the app protocol (docs/app-protocol.md): handshake, each method, a one-contact chain per platform',
    )
    .argument(
      '<command>',
      'the command that starts the app, e.g. "python3 examples/external-app/cocoa.py --build 2.x"',
    )
    .option('--cwd <dir>', "the app's working directory (default: the current one)")
    .option('--timeout <ms>', 'time-out of each call to the app', '10000')
    .option('--no-chain', 'skip the one-contact chain through the embedded stack')
    .action(async (command: string, opts: { cwd?: string; timeout: string; chain: boolean }) => {
      const timeoutMs = Number(opts.timeout);
      if (!/^\d+$/.test(opts.timeout) || timeoutMs < 100 || timeoutMs > 600_000)
        throw new UsageError(`--timeout must be an integer from 100 to 600000 ms, got "${opts.timeout}"`);
      const { appCheck, formatLine } = await import('../../app-check/check.js');
      const lines = await appCheck({
        command,
        timeoutMs,
        chain: opts.chain,
        ...(opts.cwd ? { cwd: opts.cwd } : {}),
      });
      for (const l of lines) process.stdout.write(`${formatLine(l)}\n`);
      const failed = lines.filter((l) => !l.ok).length;
      process.stdout.write(failed === 0 ? 'app-check: passed\n' : `app-check: ${failed} failure(s)\n`);
      process.exitCode = failed === 0 ? 0 : 1;
    });
}
