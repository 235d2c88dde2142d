/**
 * `npm run bench -- watch`: one fixed-point observation of the default set (releases latest and
 * cocoa-2.0, tag `observation`) against the embedded stack, as `ichiren watch` makes it: observe,
 * append to a PGlite history directory that already exists, judge the changes. Target: ≤ 5 s.
 * Creating the history directory (once per history) is measured apart; then the whole `ichiren
 * watch` process against that history, as a scheduler starts it. The CPU time beside the wall
 * time (every thread of the process) tells a slow machine from a busy one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openHistory } from '../watch/history/db.js';
import { DEFAULT_RELEASES } from '../watch/observe.js';
import { observeDefaultSet } from './default-observation.js';

process.chdir(fileURLToPath(new URL('../../', import.meta.url)));
const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-bench-watch-'));
try {
  const history = { dir: path.join(dir, 'history') };
  let t = performance.now();
  await (await openHistory(history)).close();
  const createMs = performance.now() - t;
  t = performance.now();
  const cpu = process.cpuUsage();
  const outcome = await observeDefaultSet(history, (line) =>
    process.stdout.write(`  ${((performance.now() - t) / 1000).toFixed(2)} s  ${line}\n`),
  );
  const wallMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  process.stdout.write(
    `watch: one observation of the default set (${DEFAULT_RELEASES.join(' + ')}, embedded): ${(wallMs / 1000).toFixed(2)} s (target <= 5 s), cpu ${cpuS.toFixed(2)} s, ` +
      `runs ${outcome.runs.map((r) => `#${r.id} ${r.status}`).join(', ')}, exit ${outcome.exitCode}; ` +
      `creating the history directory once: ${(createMs / 1000).toFixed(2)} s\n`,
  );
  if (outcome.exitCode !== 0) process.exitCode = 1;
  // As a scheduler runs it: the whole `ichiren watch` process (Node, module loading, the same
  // observation, the history already there).
  const { execa } = await import('execa');
  t = performance.now();
  const cli = await execa('node', ['bin/ichiren.js', 'watch', '--history', history.dir], { reject: false });
  process.stdout.write(
    `watch: the same as one \`ichiren watch\` process, start to exit: ${((performance.now() - t) / 1000).toFixed(2)} s, exit ${cli.exitCode}\n`,
  );
  if (cli.exitCode !== 0) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
