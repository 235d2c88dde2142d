import { StackError } from './errors.js';
import type { LogBuffer } from './logs.js';
import { registerOwner } from './registry.js';

/**
 * A stack is a list of `{title, start, stop}` tasks with one owner (style.md principle 6, after
 * playwright's taskRunner): tasks start in order; their stops run in reverse order on success,
 * failure, timeout and signal; one failed stop never hides another (AggregateError).
 */
export interface StackTask<T> {
  readonly title: string;
  start(signal: AbortSignal): Promise<T>;
  stop?(value: T): Promise<void>;
}

export class StackOwner {
  readonly #stops: { title: string; stop: () => Promise<void> }[] = [];
  readonly #controller = new AbortController();
  readonly #unregister: () => void;
  #stopping: Promise<void> | undefined;
  #current: Promise<unknown> | undefined;

  constructor(private readonly logs: LogBuffer) {
    this.#unregister = registerOwner(this);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Starts one task; on failure stops what was started before and throws naming the task. */
  async run<T>(task: StackTask<T>): Promise<T> {
    if (this.#controller.signal.aborted || this.#stopping) {
      throw new StackError(
        'STACK_INTERRUPTED',
        `not starting "${task.title}": the stack is stopping`,
        task.title,
      );
    }
    this.logs.add('harness', `starting ${task.title}`);
    let value: T;
    const starting = task.start(this.#controller.signal);
    this.#current = starting.catch(() => {});
    try {
      value = await starting;
    } catch (error) {
      const failure = new StackError(
        'STACK_TASK_FAILED',
        `stack task "${task.title}" failed: ${(error as Error)?.message ?? String(error)}`,
        task.title,
        { cause: error },
      );
      this.logs.add('harness', failure.message);
      try {
        await this.stop();
      } catch (stopError) {
        throw new AggregateError([failure, stopError], failure.message);
      }
      throw failure;
    }
    const stop = task.stop;
    if (stop) this.#stops.push({ title: task.title, stop: () => stop(value) });
    this.logs.add('harness', `started ${task.title}`);
    return value;
  }

  /** Adds a stop step without a start (e.g. a temp dir created inline). */
  defer(title: string, stop: () => Promise<void>): void {
    this.#stops.push({ title, stop });
  }

  /** Aborts the start in progress and stops everything (the signal path). */
  async interrupt(reason: string): Promise<void> {
    this.logs.add('harness', `interrupted: ${reason}`);
    this.#controller.abort(new StackError('STACK_INTERRUPTED', reason));
    // Let the start in progress clean up after itself (e.g. kill its half-started child) first.
    await this.#current;
    await this.stop().catch(() => {});
  }

  /** Stops every started task in reverse order; safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const errors: Error[] = [];
      for (const { title, stop } of this.#stops.splice(0).reverse()) {
        try {
          await stop();
          this.logs.add('harness', `stopped ${title}`);
        } catch (error) {
          this.logs.add('harness', `stopping ${title} failed: ${(error as Error)?.message}`);
          errors.push(
            new StackError(
              'STACK_STOP_FAILED',
              `stopping "${title}" failed: ${(error as Error)?.message}`,
              title,
              {
                cause: error,
              },
            ),
          );
        }
      }
      this.#unregister();
      if (errors.length > 0)
        throw new AggregateError(errors, `${errors.length} stack task(s) failed to stop`);
    })();
    return this.#stopping;
  }
}
