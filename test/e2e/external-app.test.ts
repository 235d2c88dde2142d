/**
 * The Python reference app (examples/external-app/) through the embedded stack: over the app protocol
 * it reaches the same verdicts as the built-in builds, cell by cell and link by link, because it runs
 * the same mechanisms (TRL as uploaded, its own minimum-score gate, configuration as fetched).
 */

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-external-app-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Cell {
  readonly id: string;
  readonly status: string;
  readonly firstBrokenLink: string | null;
  readonly phones: readonly {
    phone: string;
    platform: string;
    links: readonly { name: string; status: string }[];
  }[];
}

/** Per cell: its status, first broken link and every phone's link statuses; app names left out. */
async function verdicts(release: string, scenarios: readonly string[], name: string) {
  const out = path.join(dir, name);
  const r = await execa(
    'node',
    ['bin/ichiren.js', 'run', ...scenarios, '--release', release, '--reporter', 'json', '--report-dir', out],
    { cwd: root, reject: false, timeout: 600_000 },
  );
  expect(r.exitCode, r.stderr).toBeLessThanOrEqual(1);
  const doc = JSON.parse(await readFile(path.join(out, 'results.json'), 'utf8')) as {
    scenarios: { cells: Cell[] }[];
  };
  const cells = doc.scenarios.flatMap((s) => s.cells);
  return new Map(
    cells.map((c) => [
      c.id,
      {
        status: c.status,
        broken: c.firstBrokenLink,
        links: c.phones.map((p) => `${p.phone}: ${p.links.map((l) => `${l.name} ${l.status}`).join(', ')}`),
        brokenOn: [
          ...new Set(
            c.phones.filter((p) => p.links.some((l) => l.status === 'failed')).map((p) => p.platform),
          ),
        ],
      },
    ]),
  );
}

describe('the Python reference app over the app protocol', () => {
  it('COCOA 2.x gives the per-cell statuses and broken links of the built-in latest on the whole library', async () => {
    const external = await verdicts('examples/external-app/cocoa-2.x.yaml', ['scenarios'], 'ext-2x');
    const builtIn = await verdicts('latest', ['scenarios'], 'latest');
    expect(external.size).toBeGreaterThan(200);
    expect(Object.fromEntries(external)).toEqual(Object.fromEntries(builtIn));
  }, 900_000);

  it('COCOA 1.1.4 fails Android receivers only, at score, as the built-in 1.1.4 does', async () => {
    const scenarios = ['scenarios/regression-1.1.4.yaml', 'scenarios/mhlw-36-cases.yaml'];
    const external = await verdicts('examples/external-app/cocoa-1.1.4.yaml', scenarios, 'ext-114');
    const builtIn = await verdicts('cocoa-1.1.4', scenarios, 'bi-114');
    expect(Object.fromEntries(external)).toEqual(Object.fromEntries(builtIn));
    const failed = [...external].filter(([, v]) => v.status !== 'passed');
    expect(failed.length).toBeGreaterThan(0);
    for (const [id, v] of failed)
      expect({ id, broken: v.broken, on: v.brokenOn }).toEqual({ id, broken: 'score', on: ['android'] });
  }, 900_000);

  it('leaves no app process behind when the run is interrupted (Ctrl-C)', async () => {
    const child = spawn(
      'node',
      [
        'bin/ichiren.js',
        'run',
        'scenarios',
        '--release',
        'examples/external-app/cocoa-2.x.yaml',
        '--reporter',
        'terminal,json',
        '--report-dir',
        path.join(dir, 'interrupted'),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The app's processes, found while cells are running: children of the run, by the app's command.
    const apps = new Set<string>();
    await new Promise<void>((resolve) => {
      let cells = 0;
      child.stdout.on('data', async (d: Buffer) => {
        cells += (d.toString().match(/^[✔✘]/gm) ?? []).length;
        if (cells < 3 || apps.size > 0) return;
        const found = await execa('pgrep', ['-f', '-P', String(child.pid), 'cocoa.py --build 2.x'], {
          reject: false,
        });
        for (const pid of found.stdout.split('\n').filter(Boolean)) apps.add(pid);
        if (apps.size > 0) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    for (const pid of apps) {
      const alive = await execa('kill', ['-0', pid], { reject: false });
      expect({ pid, alive: alive.exitCode === 0 }).toEqual({ pid, alive: false });
    }
  }, 300_000);
});
