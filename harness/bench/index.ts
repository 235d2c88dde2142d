/**
 * `npm run bench`: runs every `*.bench.ts` in this folder (or those named on the command line,
 * e.g. `npm run bench -- rpi`), one after another so they do not compete for the 2 cores,
 * each in its own process so one's memory does not skew another's peak.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

let failures = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file} ==\n`);
  const result = await execa('node', ['--expose-gc', '--import', 'tsx', `${dir}${file}`], {
    stdio: 'inherit',
    reject: false,
  });
  if (result.exitCode !== 0) failures++;
}
process.exitCode = failures === 0 ? 0 : 1;
