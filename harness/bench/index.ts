/**
 * `npm run bench`: runs every `*.bench.ts` in this folder (or those named on the command line,
 * e.g. `npm run bench -- rpi`), one after another so they do not compete for the 2 cores,
 * each in its own process so one's memory does not skew another's peak.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const dir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('-'));
// Bench names, then options for them (`npm run bench -- seeds --release cocoa-1.1.4`).
const wanted = firstOption === -1 ? args : args.slice(0, firstOption);
const passOn = firstOption === -1 ? [] : args.slice(firstOption);
/**
 * Library-wide sweeps (hundreds of runs, or the library once per planted defect) and the long-run
 * memory of `ichiren watch --every` (200 observations) run only when named.
 */
const BY_NAME_ONLY = ['seeds.bench.ts', 'hours.bench.ts', 'audit.bench.ts', 'watch-memory.bench.ts'];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => (wanted.length === 0 ? !BY_NAME_ONLY.includes(f) : wanted.some((w) => f.includes(w))))
  .sort();

let failures = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file} ==\n`);
  const result = await execa('node', ['--expose-gc', '--import', 'tsx', `${dir}${file}`, ...passOn], {
    stdio: 'inherit',
    reject: false,
  });
  if (result.exitCode !== 0) failures++;
}
process.exitCode = failures === 0 ? 0 : 1;
