import type { Command } from 'commander';
import { UsageError } from '../main.js';

function parseIntOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/**
 * Heap of the stub's worker thread, in MB: the rings (stubs/hersys/README.md "Limits") and some 10^5
 * issued numbers fit, and V8 collects long before it holds hundreds of MB of garbage.
 */
const HERSYS_HEAP_MB = 128;

/** `ichiren hersys`: runs the dummy HER-SYS API until SIGINT/SIGTERM (cocoa.md §2). */
export function register(program: Command): void {
  program
    .command('hersys')
    .description('run the dummy HER-SYS API (processing-number verification, control, 保健所 screen)')
    .option('--port <n>', 'port to listen on (0 = ephemeral)', '0')
    .option('--host <h>', 'host to bind', '127.0.0.1')
    .option('--seed <n>', 'seed of the synthetic registry', '1')
    .option('--token <t>', 'control token (random when omitted)')
    .option('--validity-hours <n>', 'validity of a processing number (default 72, UNVERIFIED)')
    .option('--parameter-name <name>', 'JSON member carrying the number', 'processingNumber')
    .action(async (opts: Record<string, string | undefined>) => {
      const port = parseIntOption('port', opts.port, 0, 65_535);
      const seed = parseIntOption('seed', opts.seed, 0, 2 ** 32 - 1);
      const validityHours = parseIntOption('validity-hours', opts.validityHours, 1, 24 * 365);
      if (opts.token !== undefined && !/^[\x21-\x7e]+$/.test(opts.token)) {
        throw new UsageError('--token must be printable ASCII without spaces');
      }
      // The stub runs in a worker thread whose heap is bounded (stubs/hersys/stub.worker.ts).
      const { startWorker } = await import('../../environment/workers.js');
      type Message = import('../../../stubs/hersys/stub.worker.js').StubWorkerMessage;
      const worker = startWorker(
        new URL('../../../stubs/hersys/stub.worker.ts', import.meta.url),
        {
          host: opts.host,
          port,
          seed,
          controlToken: opts.token,
          validityHours,
          parameterName: opts.parameterName,
        },
        { resourceLimits: { maxOldGenerationSizeMb: HERSYS_HEAP_MB, maxYoungGenerationSizeMb: 16 } },
      );
      const messages: Message[] = [];
      let wake: (() => void) | undefined;
      const failed = new Promise<never>((_, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the HER-SYS stub's worker exited (${code})`)));
      });
      failed.catch(() => undefined);
      worker.on('message', (m: Message) => {
        if (m.kind === 'logs') {
          if (m.missed > 0)
            process.stderr.write(`(${m.missed} log line(s) dropped before they were printed)\n`);
          for (const line of m.lines) process.stderr.write(`${line}\n`);
        } else messages.push(m);
        wake?.();
      });
      const next = async <K extends Message['kind']>(kind: K): Promise<Extract<Message, { kind: K }>> => {
        for (;;) {
          const found = messages.find((m) => m.kind === kind);
          if (found) return found as Extract<Message, { kind: K }>;
          await Promise.race([
            new Promise<void>((r) => {
              wake = r;
            }),
            failed,
          ]);
        }
      };
      // Listen for signals before printing the URL: whoever reads it may signal at once.
      const stopped = new Promise<void>((resolve) => {
        const done = () => resolve();
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      const stub = await next('ready');
      const out = process.stdout;
      out.write(`HER-SYS stub listening on ${stub.url}\n`);
      out.write(`verify:  POST ${stub.verifyUrl} {"${stub.parameterName}":"<8 digits>"}\n`);
      out.write(
        `control: ${stub.controlUrl} (also ${stub.url}) Authorization: Bearer ${stub.controlToken}\n`,
      );
      out.write(`screen:  ${stub.url}/?token=${encodeURIComponent(stub.controlToken)}\n`);
      out.write(`token:   ${stub.controlToken}\n`);
      out.write(`seed:    ${stub.seed}\n`);
      await Promise.race([stopped, failed]);
      worker.postMessage('stop');
      await next('stopped');
      await worker.terminate();
      out.write('HER-SYS stub stopped\n');
    });
}
