/**
 * Wall time of the full standard run (`ichiren run scenarios`) including start-up: the CLI process,
 * the embedded stack, every cell, the JSON report. Target: <= 10 s on 2 cores; a cell well under 1 s.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { RunResult } from '../runner/results.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const reportDir = await mkdtemp(path.join(tmpdir(), 'ichiren-bench-e2e-'));
try {
  const started = performance.now();
  const run = await execa(
    'node',
    [
      'bin/ichiren.js',
      'run',
      'scenarios',
      '--reporter',
      'json',
      '--report-dir',
      reportDir,
      ...process.argv.slice(2),
    ],
    {
      cwd: root,
      reject: false,
    },
  );
  const wallMs = performance.now() - started;
  const result = JSON.parse(
    await readFile(path.join(reportDir, 'results.json'), 'utf8').catch(() => 'null'),
  ) as RunResult | null;
  if (!result) {
    process.stdout.write(`e2e: no results (exit ${run.exitCode})\n${run.stderr}\n`);
    process.exitCode = 1;
  } else {
    const cells = result.scenarios.flatMap((s) => s.cells);
    const perCell = cells.map((c) => c.durationMs).sort((a, b) => a - b);
    const p = (q: number) => perCell[Math.min(perCell.length - 1, Math.floor(q * perCell.length))] ?? 0;
    process.stdout.write(
      `e2e full standard run: wall ${(wallMs / 1000).toFixed(2)} s (target <= 10 s), run ${(result.metadata.durationMs / 1000).toFixed(2)} s, ` +
        `${result.summary.scenarios} scenarios, ${cells.length} cells (${result.summary.passed} passed, ${result.summary.failed} failed), ` +
        `cell p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms, exit ${run.exitCode}\n`,
    );
  }
} finally {
  await rm(reportDir, { recursive: true, force: true });
}
