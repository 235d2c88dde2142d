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

// A run is short: with V8's default budget its optimizing compiler optimized about 2,100 functions,
// three seconds of CPU on other threads, most of them run only milliseconds more. Four times the
// budget optimizes the hot ones (about 900) and the run takes 9% less CPU (README, "Benchmarks").
// A budget given to Node itself (NODE_OPTIONS or a flag) is kept.
const ownBudget = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) =>
  a.startsWith('--interrupt-budget'),
);
if (!ownBudget) (await import('node:v8')).setFlagsFromString(`--interrupt-budget=${4 * 66 * 1024}`);

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
