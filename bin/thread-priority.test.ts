import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript (it runs before any TypeScript loader), no declarations
import { setOptimizingBudget } from './thread-priority.js';

const MODULE = fileURLToPath(new URL('./thread-priority.js', import.meta.url));

/** Runs `code` in a fresh Node process (its threads are Node's own) and parses what it prints. */
function inFreshNode(code: string): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  return JSON.parse(out);
}

describe('yieldHelperThreads', () => {
  it.runIf(process.platform === 'linux')(
    "lowers every thread but the main one to the lowest priority; the main thread's stays",
    () => {
      const seen = inFreshNode(`
        import { readdirSync, readFileSync } from 'node:fs';
        const { yieldHelperThreads } = await import(${JSON.stringify(MODULE)});
        const lowered = yieldHelperThreads();
        // Field 19 of a thread's stat line is its nice value.
        const nice = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
        const others = readdirSync('/proc/self/task').filter((t) => Number(t) !== process.pid).map(nice);
        console.log(JSON.stringify({ lowered, main: nice(process.pid), others }));
      `) as { lowered: number; main: number; others: number[] };
      expect(seen.lowered).toBeGreaterThan(0); // V8's helpers at least
      expect(seen.main).toBe(0);
      expect(seen.others.length).toBeGreaterThanOrEqual(seen.lowered);
      expect(seen.others.filter((n) => n === 19).length).toBe(seen.lowered);
    },
  );

  it('does nothing where the threads cannot be listed', async () => {
    const { yieldHelperThreads } = await import('./thread-priority.js' as string);
    expect(yieldHelperThreads('/nonexistent/task')).toBe(0);
  });
});

describe('setOptimizingBudget', () => {
  it('keeps a budget given to Node itself', async () => {
    expect(await setOptimizingBudget(['--interrupt-budget=1000'])).toBeUndefined();
  });

  it('sets four times V8’s default budget: warm functions the default would optimize are not yet', () => {
    // 50 functions, each run 1,500 times: past the default budget, short of four times it.
    const optimized = (set: boolean) => {
      const out = execFileSync(
        process.execPath,
        [
          '--trace-opt',
          '--input-type=module',
          '-e',
          `const { setOptimizingBudget } = await import(${JSON.stringify(MODULE)});
           if (${set}) console.log(await setOptimizingBudget([]));
           const fns = Array.from({ length: 50 }, (_, i) =>
             eval('(function warm' + i + '(x) { let s = 0; for (let k = 0; k < 3; k++) s += (x * ' + i + ' + k) % 7; return s; })'));
           let sum = 0;
           for (let r = 0; r < 1500; r++) for (const f of fns) sum += f(r);`,
        ],
        { encoding: 'utf8' },
      );
      if (set) expect(out).toContain(`--interrupt-budget=${4 * 66 * 1024}`);
      // TurboFan's, the tier the budget governs (newer Nodes also have Maglev, on a budget of its own).
      return out.split('\n').filter((l) => /completed optimizing .*warm\d+.*TURBOFAN/.test(l)).length;
    };
    const byDefault = optimized(false);
    expect(byDefault).toBeGreaterThan(5);
    expect(optimized(true)).toBeLessThan(byDefault / 2);
  });
});
