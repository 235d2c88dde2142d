#!/usr/bin/env node
// Entry point of the `ichiren` command: runs the CLI compiled once from the TypeScript sources
// (compiled-cli.js), or the sources themselves through tsx when no compiled CLI can be had.

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
// The main thread first on the CPU, and fewer speculative optimizations in a short run.
const { setOptimizingBudget, yieldHelperThreads } = await import('./thread-priority.js');
yieldHelperThreads();
await setOptimizingBudget();

const { compiledEntry } = await import('./compiled-cli.js');
const { fileURLToPath } = await import('node:url');
const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = await compiledEntry(root, 'harness/cli/main.ts', {
  workerFolders: ['harness', 'server', 'stubs'],
});
let main;
if (compiled) {
  // Where worker threads find their compiled modules (harness/environment/workers.ts).
  globalThis[Symbol.for('ichiren.bundle')] = { root, bundle: compiled.bundle };
  ({ main } = await import(compiled.entry));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../harness/cli/main.ts'));
}
const code = await main(process.argv.slice(2));
// The command is done: leave through process.exit, with the output flushed. After a natural end,
// Node's own shutdown (which can take a second) first restores the default signal actions, so a
// Ctrl-C arriving then would kill the process by the signal instead of exiting 130.
await new Promise((resolve) => process.stdout.write('', resolve));
await new Promise((resolve) => process.stderr.write('', resolve));
process.exit(code);
