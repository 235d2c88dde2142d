/**
 * `npm run bench -- watch-memory` (also run by `npm run bench -- watch`): `ichiren watch --every` holds
 * its memory flat. One process makes OBSERVATIONS observations of the default set (as `ichiren watch`
 * makes them: observe, append to one PGlite history, judge the changes), back to back, and prints its
 * resident memory (VmRSS) after the first and at the end, beside the target (growth ≤ 50 MB), with a
 * line every 20 observations. `--observations N` changes the count (the target is stated for ≥ 200).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { observeDefaultSet } from './default-observation.js';

const RSS_GROWTH_TARGET_MB = 50;
const flag = process.argv.indexOf('--observations');
const OBSERVATIONS = flag === -1 ? 200 : Number(process.argv[flag + 1]);
if (!Number.isInteger(OBSERVATIONS) || OBSERVATIONS < 2)
  throw new Error(`--observations must be an integer ≥ 2, got "${process.argv[flag + 1]}"`);

const rssMb = () => {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kb === undefined ? process.memoryUsage().rss / 2 ** 20 : Number(kb) / 1024;
};

process.chdir(fileURLToPath(new URL('../../', import.meta.url)));
const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-bench-watch-memory-'));
try {
  const history = { dir: path.join(dir, 'history') };
  let start = Number.NaN;
  const t = performance.now();
  for (let i = 1; i <= OBSERVATIONS; i++) {
    const outcome = await observeDefaultSet(history);
    if (outcome.exitCode !== 0) {
      process.stdout.write(`watch-memory: observation ${i} exited ${outcome.exitCode}\n`);
      process.exitCode = 1;
    }
    // The first observation loads the code and opens the history: the start of the long run.
    if (i === 1) {
      start = rssMb();
      process.stdout.write(`watch-memory: after observation 1: RSS ${start.toFixed(0)} MB\n`);
    } else if (i % 20 === 0 && i !== OBSERVATIONS)
      process.stdout.write(
        `watch-memory: after observation ${i}: RSS ${rssMb().toFixed(0)} MB (${((performance.now() - t) / 1000).toFixed(0)} s)\n`,
      );
  }
  const end = rssMb();
  const growth = end - start;
  process.stdout.write(
    `watch-memory: ${OBSERVATIONS} observations in one process: RSS ${start.toFixed(0)} MB after the first, ${end.toFixed(0)} MB at the end, growth ${growth.toFixed(1)} MB (target <= ${RSS_GROWTH_TARGET_MB} MB) ${growth <= RSS_GROWTH_TARGET_MB ? 'ok' : 'OVER'}\n`,
  );
  if (!(growth <= RSS_GROWTH_TARGET_MB)) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
