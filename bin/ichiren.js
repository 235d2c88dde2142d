#!/usr/bin/env node
// Entry point of the `ichiren` command: registers tsx so the TypeScript sources run as they are.
import { register } from 'tsx/esm/api';

register();
// Signals that arrive while the CLI loads are kept for the command (harness/cli/signals.ts).
const { catchEarlySignals } = await import('../harness/cli/signals.ts');
catchEarlySignals();
const { main } = await import('../harness/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
