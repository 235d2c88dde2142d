/**
 * Wall time of `npm run e2e` as a user runs it (`ichiren run scenarios` with its default reporters:
 * terminal, JSON, JUnit, HTML) including start-up: the CLI process, the embedded stack, every cell,
 * the reports. Target: <= 10 s on 2 cores; a cell well under 1 s. Beside the wall time, the CPU time
 * of the run's processes (Linux): above the wall time, the run kept more than one core busy. Three
 * runs, after one untimed `ichiren --help` that compiles the CLI if its sources changed (as the
 * first command after a change or `npm ci` does, once: bin/compiled-cli.js).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { RunResult } from '../runner/results.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** User + system seconds of this process's finished children (Linux /proc), or undefined. */
function childrenCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    // After "pid (comm) ": state is field 0, so cutime and cstime (fields 16, 17 of stat) are 13, 14.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

const RUNS = 3;
const TARGET_S = 10;

/** One timed run: its line, and its wall time in seconds (undefined when it gave no results). */
async function timedRun(): Promise<{ line: string; wallS?: number }> {
  const reportDir = await mkdtemp(path.join(tmpdir(), 'ichiren-bench-e2e-'));
  try {
    const cpuBefore = childrenCpuSeconds();
    const started = performance.now();
    const run = await execa(
      'node',
      ['bin/ichiren.js', 'run', 'scenarios', '--report-dir', reportDir, ...process.argv.slice(2)],
      { cwd: root, reject: false },
    );
    const wallMs = performance.now() - started;
    const cpuAfter = childrenCpuSeconds();
    const cpu =
      cpuBefore !== undefined && cpuAfter !== undefined ? `, cpu ${(cpuAfter - cpuBefore).toFixed(2)} s` : '';
    const result = JSON.parse(
      await readFile(path.join(reportDir, 'results.json'), 'utf8').catch(() => 'null'),
    ) as RunResult | null;
    if (!result) return { line: `no results (exit ${run.exitCode})\n${run.stderr}` };
    const cells = result.scenarios.flatMap((s) => s.cells);
    const perCell = cells.map((c) => c.durationMs).sort((a, b) => a - b);
    const p = (q: number) => perCell[Math.min(perCell.length - 1, Math.floor(q * perCell.length))] ?? 0;
    return {
      wallS: wallMs / 1000,
      line:
        `wall ${(wallMs / 1000).toFixed(2)} s${cpu}, cells ${(result.metadata.durationMs / 1000).toFixed(2)} s, ` +
        `${result.summary.scenarios} scenarios, ${cells.length} cells (${result.summary.passed} passed, ${result.summary.failed} failed), ` +
        `cell p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms, exit ${run.exitCode}`,
    };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

await execa('node', ['bin/ichiren.js', '--help'], { cwd: root, reject: false });
const walls: number[] = [];
for (let i = 1; i <= RUNS; i++) {
  const { line, wallS } = await timedRun();
  process.stdout.write(`e2e run ${i}/${RUNS}: ${line}\n`);
  if (wallS === undefined) process.exitCode = 1;
  else walls.push(wallS);
}
const median = [...walls].sort((a, b) => a - b)[Math.floor(walls.length / 2)];
if (median !== undefined)
  process.stdout.write(
    `e2e npm run e2e (all default reporters): median wall ${median.toFixed(2)} s of ${walls.length} (target <= ${TARGET_S} s: ${median <= TARGET_S ? 'met' : 'NOT met'})\n`,
  );
