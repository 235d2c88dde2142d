/** Every step has a deadline: a hung server fails the cell ('timedout'), never the run. */
export class StepTimeoutError extends Error {
  readonly code = 'ICHIREN_STEP_TIMEOUT';
  constructor(
    readonly step: string,
    readonly ms: number,
  ) {
    super(`${step} did not finish within ${ms} ms`);
    this.name = 'StepTimeoutError';
  }
}

export class InterruptedError extends Error {
  readonly code = 'ICHIREN_INTERRUPTED';
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/** Races `work` against a deadline and an abort signal; the timer never keeps the process alive. */
export async function withDeadline<T>(
  step: string,
  ms: number,
  work: () => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) throw new InterruptedError();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StepTimeoutError(step, ms)), ms);
        timer.unref?.();
        onAbort = () => reject(new InterruptedError());
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
