import { loadServerConfigFromEnv } from './config.js';
import { startReferenceServer } from './index.js';

/**
 * Process mode, shared by `ichiren server` and `server/main.ts` (containers): configuration from the
 * environment plus overrides, one "listening" line on stdout, JSON logs after it, clean stop on
 * SIGINT/SIGTERM. Throws ServerConfigError for bad configuration (the caller maps it to exit 2).
 */
export async function runServerProcess(overrides: Record<string, unknown> = {}): Promise<void> {
  const config = loadServerConfigFromEnv(process.env, overrides);
  // Listen for signals before printing the URL: whoever reads it may signal at once.
  const stopped = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // Log lines written while starting wait until the "listening" line, which must come first.
  let pending: string[] | undefined = [];
  const server = await startReferenceServer(config, (line) => {
    if (pending) pending.push(line);
    else process.stdout.write(`${line}\n`);
  });
  process.stdout.write(`ichiren server listening on ${server.url}\n`);
  // Without ICHIREN_SERVER_ADMIN_TOKEN the token is random: print it (once) or publishing is unreachable.
  if (config.adminToken === undefined) {
    process.stdout.write(
      `${JSON.stringify({ level: 40, time: Date.now(), msg: 'ICHIREN_SERVER_ADMIN_TOKEN not set: generated an admin token for /api/admin/* (Authorization: Bearer <adminToken>)', adminToken: server.adminToken })}\n`,
    );
  }
  for (const line of pending) process.stdout.write(`${line}\n`);
  pending = undefined;
  const signal = await stopped;
  await server.stop();
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: `stopped on ${signal}` })}\n`);
}
