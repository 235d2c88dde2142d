/**
 * `npm run bench -- hours`: the standard library with `--now` at each hour (00–23 UTC) of today's UTC
 * date. `--now` moves the whole stack's clock (server, HER-SYS stub, phones: harness/stack/clock.ts),
 * so each hour is a different clock for every part; every run must give the same verdicts (each
 * cell's status and first broken link, each rate judgement). Prints the hours whose verdicts differ
 * from 00:00's and exits non-zero if any do. Extra arguments go to `ichiren run` (e.g. `--grep regression`).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { RunResult } from '../runner/results.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const extra = process.argv.slice(2);
const day = new Date().toISOString().slice(0, 10);

/** What must not depend on the hour: per cell its status and broken link, per rate its outcome. */
function verdicts(r: RunResult): string[] {
  return r.scenarios.flatMap((s) => [
    ...s.cells.map(
      (c) => `${c.id} ${c.status} ${c.phones.map((p) => `${p.phone}:${p.firstBrokenLink}`).join(',')}`,
    ),
    ...(s.rates ?? []).map((x) => `${s.id} ${x.expectation} ${x.passed}`),
  ]);
}

const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-bench-hours-'));
let reference: string[] | undefined;
const differing: string[] = [];
const started = performance.now();
try {
  for (let h = 0; h < 24; h++) {
    const now = `${day}T${String(h).padStart(2, '0')}:00Z`;
    await execa(
      'node',
      [
        'bin/ichiren.js',
        'run',
        'scenarios',
        '--now',
        now,
        '--reporter',
        'json',
        '--report-dir',
        dir,
        ...extra,
      ],
      {
        cwd: root,
        reject: false,
      },
    );
    const result = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as RunResult;
    const v = verdicts(result);
    reference ??= v;
    const diff = v.filter((x, i) => x !== reference?.[i]);
    if (diff.length > 0 || v.length !== reference.length)
      differing.push(`${now}: ${diff.slice(0, 3).join('; ')}`);
    process.stdout.write(
      `${now}: ${result.summary.passed}/${result.summary.cells} cells passed, status ${result.status} (scenarios' now ${result.metadata.clock?.scenarioNow ?? '?'})\n`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(
  `hours: 24 runs in ${((performance.now() - started) / 1000).toFixed(0)} s; ${differing.length === 0 ? 'identical verdicts at every hour' : `verdicts differ at ${differing.length} hour(s):\n  ${differing.join('\n  ')}`}\n`,
);
process.exitCode = differing.length === 0 ? 0 : 1;
