#!/usr/bin/env node
// Entry point of the `ichiren` command: registers tsx so the TypeScript sources run as they are.

// Signals that arrive while the CLI loads are kept for the command (harness/cli/signals.ts takes
// them over): caught first thing, before tsx loads, so that no moment after Node starts is unguarded.
const early = {
  signal: undefined,
  record(signal) {
    early.signal ??= signal;
  },
};
process.on('SIGINT', early.record);
process.on('SIGTERM', early.record);
globalThis[Symbol.for('ichiren.earlySignals')] = early;
// `ps` shows "ichiren"; /proc/<pid>/comm changing tells a test that signals are now ichiren's.
process.title = 'ichiren';

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
