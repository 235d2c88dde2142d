import { StackError } from './errors.js';
import type { LogBuffer, LogSource } from './logs.js';

/**
 * Readiness checks as small objects with a deadline (testcontainers' wait strategies, style.md
 * principles 5 and 14): they poll with a retry budget and never sleep a fixed time; the error names
 * what was missing.
 */
export interface WaitStrategy<T = void> {
  readonly description: string;
  wait(signal?: AbortSignal): Promise<T>;
}

export interface RetryOptions {
  /** Total budget. */
  readonly timeoutMs: number;
  /** Pause between attempts (grows ×1.5 up to 4× this). */
  readonly everyMs?: number;
  readonly signal?: AbortSignal;
}

/** Calls `attempt` until it returns a value other than undefined, or the budget runs out. */
export async function retryUntil<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  options: RetryOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let pause = options.everyMs ?? 100;
  let last = 'no attempt made';
  for (;;) {
    if (options.signal?.aborted)
      throw new StackError('STACK_INTERRUPTED', `interrupted while waiting for ${what}`, what);
    try {
      const value = await attempt();
      if (value !== undefined) return value;
      last = 'not yet';
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() + pause > deadline) {
      throw new StackError(
        'STACK_NOT_READY',
        `${what} not ready after ${options.timeoutMs} ms (last: ${last})`,
        what,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 1.5, (options.everyMs ?? 100) * 4);
  }
}

/** Polls `url` until it answers with `status` (200 by default). */
export function waitForHttp(
  url: string,
  options: { timeoutMs: number; status?: number; everyMs?: number },
): WaitStrategy {
  const expected = options.status ?? 200;
  return {
    description: `HTTP ${expected} from ${url}`,
    wait: (signal) =>
      retryUntil(
        `HTTP ${expected} from ${url}`,
        async () => {
          const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
          await response.arrayBuffer();
          if (response.status !== expected) throw new Error(`status ${response.status}`);
          return true;
        },
        { timeoutMs: options.timeoutMs, everyMs: options.everyMs ?? 50, signal },
      ).then(() => undefined),
  };
}

/**
 * Waits for a log line of `source` matching `pattern` (lines already logged count); resolves with the
 * match. `failed` rejects early (e.g. the process exited) so the wait never outlives its reason.
 */
export function waitForLogLine(
  logs: LogBuffer,
  source: LogSource,
  pattern: RegExp,
  options: { timeoutMs: number; failed?: Promise<never> },
): WaitStrategy<RegExpMatchArray> {
  const description = `a ${source} log line matching ${pattern}`;
  return {
    description,
    wait: (signal) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          off();
          signal?.removeEventListener('abort', onAbort);
          fn();
        };
        const onAbort = () =>
          done(() =>
            reject(new StackError('STACK_INTERRUPTED', `interrupted while waiting for ${description}`)),
          );
        const timer = setTimeout(
          () =>
            done(() =>
              reject(
                new StackError(
                  'STACK_NOT_READY',
                  `no ${description} within ${options.timeoutMs} ms`,
                  description,
                ),
              ),
            ),
          options.timeoutMs,
        );
        const off = logs.onLine((line) => {
          const m = line.source === source ? pattern.exec(line.line) : null;
          if (m) done(() => resolve(m));
        });
        signal?.addEventListener('abort', onAbort, { once: true });
        options.failed?.catch((error: unknown) => done(() => reject(error)));
        for (const line of logs.lines()) {
          const m = line.source === source ? pattern.exec(line.line) : null;
          if (m) return done(() => resolve(m));
        }
      }),
  };
}
