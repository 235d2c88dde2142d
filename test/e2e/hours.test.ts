/**
 * `ichiren run scenarios --now T` gives the same per-cell statuses, all passed, at 00:30, 05:30,
 * 09:30, 15:30 and 20:30 UTC on two dates (a winter and a summer day), with the whole stack on the
 * run's clock (architecture.md "Time"). Each hour runs the scenarios that depend most on where the
 * clock stands: the key roll and key ages, same-day and live keys, onset windows, number expiry and
 * HER-SYS outages during the upload. `npm run bench -- hours` runs the whole library at 24 hours.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunResult } from '../../harness/runner/results.js';

vi.setConfig({ testTimeout: 900_000 });

const root = fileURLToPath(new URL('../../', import.meta.url));
const SUBSET = [
  'boundary-key-age',
  'boundary-export-oldest-day',
  'boundary-v1-attenuation',
  'boundary-v1-key-roll',
  'boundary-v2-key-roll',
  'hersys-down-during-upload',
  'same-day-key-withheld',
  'rolling-utc-midnight',
  'rolling-jst-midnight',
  'number-expired',
  'same-day-key-released',
  'live-key-withheld-then-exported',
  'same-day-upload-key-roll-v2',
  'same-day-upload-key-roll-v1',
  'days-since-onset-edges',
];
const HOURS = ['00:30', '05:30', '09:30', '15:30', '20:30'];
const DATES = ['2026-11-20', '2027-06-01'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-e2e-hours-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Per cell: its status and each phone's first broken link. */
async function statuses(now: string): Promise<string[]> {
  const reportDir = path.join(dir, now.replace(/:/g, ''));
  const r = await execa(
    'node',
    [
      'bin/ichiren.js',
      'run',
      'scenarios',
      '--now',
      now,
      '--grep',
      `^(${SUBSET.join('|')})$`,
      '--reporter',
      'json',
      '--report-dir',
      reportDir,
    ],
    { cwd: root, reject: false, timeout: 300_000 },
  );
  const text = await readFile(path.join(reportDir, 'results.json'), 'utf8').catch(() => {
    throw new Error(`no results.json at ${now} (exit ${r.exitCode}): ${r.stderr || r.stdout}`);
  });
  const res = JSON.parse(text) as RunResult;
  expect(res.metadata.clock).toMatchObject({ now, source: 'run' });
  expect(res.scenarios.map((s) => s.id).sort()).toEqual([...SUBSET].sort());
  return res.scenarios.flatMap((s) =>
    s.cells.map(
      (c) => `${c.id} ${c.status} ${c.phones.map((p) => `${p.phone}:${p.firstBrokenLink}`).join(',')}`,
    ),
  );
}

describe('ichiren run --now: the same verdicts at every hour and date', () => {
  it('gives identical per-cell statuses, all passed, at five hours on a winter and a summer day', async () => {
    let reference: string[] | undefined;
    for (const date of DATES)
      for (const hour of HOURS) {
        const now = `${date}T${hour}:00Z`;
        const got = await statuses(now);
        expect(
          got.filter((c) => !c.includes(' passed ')),
          now,
        ).toEqual([]);
        reference ??= got;
        expect(got, now).toEqual(reference);
      }
  });
});
