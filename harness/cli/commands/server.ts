import type { Command } from 'commander';
import { UsageError } from '../main.js';

/**
 * `ichiren server`: runs the reference notification server as its own process until SIGINT/SIGTERM.
 * Configuration comes from environment variables (server/README.md), options override them.
 * Prints `ichiren server listening on <url>` as one stdout line; logs are JSON lines on stdout after it.
 */
export function register(program: Command): void {
  program
    .command('server')
    .description('run the reference notification server (COCOA-compatible API, exports, configuration)')
    .option('--port <n>', 'port to listen on (0 = ephemeral; env ICHIREN_SERVER_PORT)')
    .option('--host <h>', 'host to bind (env ICHIREN_SERVER_HOST, default 127.0.0.1)')
    .option('--behaviour <b>', 'server behaviour: 2020-09 | 2021-02-17 | v3 (default: latest)')
    .option('--config-set <s>', 'exposure configuration set: cocoa-1.1.3 | cocoa-1.1.4 | cocoa-2.x')
    .option('--data-dir <dir>', 'PGlite data directory (default in memory; env ICHIREN_SERVER_DATA_DIR)')
    .option('--hersys-url <url>', 'HER-SYS verification endpoint (env HERSYS_URL)')
    .action(async (opts: Record<string, string | undefined>) => {
      let port: number | undefined;
      if (opts.port !== undefined) {
        port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65_535) {
          throw new UsageError(`--port must be an integer from 0 to 65535, got "${opts.port}"`);
        }
      }
      const { ServerConfigError } = await import('../../../server/index.js');
      const { runServerProcess } = await import('../../../server/process.js');
      try {
        await runServerProcess({
          port,
          host: opts.host,
          behaviour: opts.behaviour,
          configSet: opts.configSet,
          dataDir: opts.dataDir,
          'hersys.url': opts.hersysUrl,
        });
      } catch (error) {
        if (error instanceof ServerConfigError) throw new UsageError(error.message);
        throw error;
      }
    });
}
