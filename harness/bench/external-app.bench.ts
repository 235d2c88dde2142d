/**
 * The standard library with the external Python app (examples/external-app/cocoa-2.x.yaml) against the
 * same run in-process (`latest`): wall time of `ichiren run scenarios` each, alternated, median of
 * RUNS. Target: the external app at most 2× in-process on 2 cores. Then what decided one process per
 * run over one per phone: the Python app's start-up and handshake, against one request's round trip.
 *   npm run bench -- external-app
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { handshake, StdioEndpoint } from '../devices/app-protocol/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 3;
const TARGET = 2;

async function wall(release: string): Promise<{ s: number; cells: number; passed: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ichiren-bench-ext-'));
  try {
    const started = performance.now();
    await execa(
      'node',
      ['bin/ichiren.js', 'run', 'scenarios', '--release', release, '--reporter', 'json', '--report-dir', dir],
      {
        cwd: root,
        reject: false,
      },
    );
    const s = (performance.now() - started) / 1000;
    const r = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as {
      summary: { cells: number; passed: number };
    };
    return { s, cells: r.summary.cells, passed: r.summary.passed };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

await execa('node', ['bin/ichiren.js', '--help'], { cwd: root, reject: false });
const inProcess: number[] = [];
const external: number[] = [];
for (let i = 1; i <= RUNS; i++) {
  const a = await wall('latest');
  const b = await wall('examples/external-app/cocoa-2.x.yaml');
  inProcess.push(a.s);
  external.push(b.s);
  process.stdout.write(
    `run ${i}/${RUNS}: in-process ${a.s.toFixed(2)} s (${a.passed}/${a.cells} passed), external Python ${b.s.toFixed(2)} s (${b.passed}/${b.cells} passed)\n`,
  );
}
const ratio = median(external) / median(inProcess);
process.stdout.write(
  `external-app: in-process ${median(inProcess).toFixed(2)} s, external Python ${median(external).toFixed(2)} s, ` +
    `ratio ${ratio.toFixed(2)}× (target <= ${TARGET}×: ${ratio <= TARGET ? 'met' : 'NOT met'})\n`,
);

// One process per phone would pay start-up + handshake per phone; one per run pays a round trip.
const spawns: number[] = [];
for (let i = 0; i < 10; i++) {
  const started = performance.now();
  const e = new StdioEndpoint({
    command: 'python3 cocoa.py --build 2.x',
    cwd: path.join(root, 'examples/external-app'),
  });
  await handshake(e);
  spawns.push(performance.now() - started);
  await e.close();
}
const e = new StdioEndpoint({
  command: 'python3 cocoa.py --build 2.x',
  cwd: path.join(root, 'examples/external-app'),
});
await handshake(e);
const trips: number[] = [];
for (let i = 0; i < 200; i++) {
  const started = performance.now();
  await e.request('phone/shutdown', { phone: `p${i}` });
  trips.push(performance.now() - started);
}
await e.close();
process.stdout.write(
  `external-app: Python start-up + handshake median ${median(spawns).toFixed(1)} ms (per phone if one process per phone); ` +
    `request round trip median ${median(trips).toFixed(2)} ms (one process per run)\n`,
);
