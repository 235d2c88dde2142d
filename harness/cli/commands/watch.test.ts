import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../main.js';
import { register } from './watch.js';

/** The command on a program of its own, as main() registers it; usage errors surface as UsageError. */
async function watch(args: readonly string[]): Promise<unknown> {
  const program = new Command('ichiren').exitOverride();
  register(program);
  return program.parseAsync(['watch', ...args], { from: 'user' }).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('ichiren watch: usage errors before anything starts', () => {
  for (const [args, message] of [
    [['--every', '5x'], '--every must be a duration'],
    [['--daily-summary', '25:00'], '--daily-summary must be HH:MM'],
    [['--platform', 'windows'], '--platform must list android and/or ios'],
    [['--target', 'cloud'], '--target must be one of'],
    [['--hersys-listen', 'x:99999'], '--hersys-listen must be [host:]port'],
    [['--release', ''], '--release must name at least one release'],
    [['--retention', '0'], '--retention must be an integer'],
  ] as const) {
    it(`watch ${args.join(' ')}`, async () => {
      const error = await watch(args);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toContain(message);
    });
  }
});
