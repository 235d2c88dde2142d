/**
 * Ctrl-C before a command is ready is not lost: bin/ichiren.js catches SIGINT and SIGTERM first thing
 * (loading the CLI takes a second or two) and leaves what it caught under a global symbol; `ichiren
 * run` then takes them over so that even a run interrupted while loading writes its reports, and any
 * other command exits 130 at once.
 */

/** The exit code of every interrupted ichiren, for SIGINT and SIGTERM alike (docs/reports.md). */
export const INTERRUPTED_EXIT_CODE = 130;

let interrupted = false;

/** A command caught SIGINT/SIGTERM: the process then ends 130 even if the command fails (main.ts). */
export function noteInterrupt(): void {
  interrupted = true;
}

export const wasInterrupted = (): boolean => interrupted;

interface EarlySignals {
  signal?: NodeJS.Signals;
  record(signal: NodeJS.Signals): void;
}
const EARLY = Symbol.for('ichiren.earlySignals');

/** Stops bin/ichiren.js's catching; returns the signal that arrived meanwhile, if any. */
export function takeEarlySignal(): NodeJS.Signals | undefined {
  const holder = globalThis as { [EARLY]?: EarlySignals };
  const early = holder[EARLY];
  if (!early) return undefined;
  process.off('SIGINT', early.record);
  process.off('SIGTERM', early.record);
  delete holder[EARLY];
  return early.signal;
}
