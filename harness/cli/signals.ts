/**
 * Ctrl-C before a command is ready is not lost: bin/ichiren.js catches SIGINT and SIGTERM from the
 * start (loading the CLI takes a second or two); `ichiren run` then takes them over so that even a
 * run interrupted while loading writes its reports, and any other command exits 130 at once.
 */

/** The exit code of every interrupted ichiren, for SIGINT and SIGTERM alike (README). */
export const INTERRUPTED_EXIT_CODE = 130;

let caught: NodeJS.Signals | undefined;
const record = (signal: NodeJS.Signals) => {
  caught ??= signal;
};

export function catchEarlySignals(): void {
  process.on('SIGINT', record);
  process.on('SIGTERM', record);
}

/** Stops catching; returns the signal that arrived meanwhile, if any. */
export function takeEarlySignal(): NodeJS.Signals | undefined {
  process.off('SIGINT', record);
  process.off('SIGTERM', record);
  return caught;
}
