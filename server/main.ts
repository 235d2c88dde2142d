/**
 * Entry point without the CLI (`node --import tsx server/main.ts`), configured by environment variables
 * only (server/README.md). `node bin/ichiren.js server` is the same server with command-line options.
 */
import { ServerConfigError } from './config.js';
import { runServerProcess } from './process.js';

try {
  await runServerProcess();
} catch (error) {
  process.stderr.write(`ichiren server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof ServerConfigError ? 2 : 1;
}
