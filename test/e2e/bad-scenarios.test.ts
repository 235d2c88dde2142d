/**
 * Scenario inputs that once passed validation and then failed at run time (issue 15): through the real
 * CLI each is refused before anything starts, with exit 2 and one line naming file:line:column.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-bad-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const doc = (id: string, enc: string, diag: string, expectLine: string) => `id: ${id}
title: { ja: "題", en: "Title" }
purpose: { ja: "目的", en: "Purpose" }
phones: { a: {}, b: {} }
timeline:
  - { at: "day -3 12:00", encounter: ${enc} }
  - { at: ${diag}, diagnose: { patient: a, testDate: "day -1" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: ${expectLine}
`;
const ENC = '{ a: a, b: b, distance: 1, duration: 20 }';

it('refuses each bad input with exit 2 and one line at file:line:column', async () => {
  const file = path.join(dir, 'bad.yaml');
  await writeFile(
    file,
    [
      doc('self', '{ a: a, b: a, distance: 1, duration: 20 }', '"day -1 10:00"', '{ b: { notified: true } }'),
      doc(
        'long',
        '{ a: a, b: b, distance: 1, duration: 100000 }',
        '"day -1 10:00"',
        '{ b: { notified: true } }',
      ),
      doc('patient', ENC, '"day -1 10:00"', '{ a: { notified: true } }'),
      doc('future', ENC, '"day 2 10:00"', '{ b: { notified: true } }'),
    ].join('---\n'),
  );
  const big = path.join(dir, 'big.yaml');
  await writeFile(big, `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
  const r = await execa(
    'node',
    ['bin/ichiren.js', 'run', file, big, '--reporter', 'json', '--report-dir', dir],
    {
      cwd: root,
      reject: false,
      timeout: 120_000,
    },
  );
  expect(r.exitCode).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith(dir));
  expect(lines).toEqual([
    `${file}:6:49: timeline[0].encounter.b must be another phone than a ("a"): a phone cannot meet itself`,
    `${file}:18:75: timeline[0].encounter.duration must be at most 1440 minutes (one day; write a longer contact as one encounter per day), got 100000`,
    expect.stringMatching(new RegExp(`^${file}:35:14: expect\\.a must not name the patient "a"`)),
    expect.stringMatching(
      new RegExp(`^${file}:43:11: timeline\\[1\\]\\.at must lie by day 1 \\("day 2 10:00"\\)`),
    ),
    `${big}:1:1: file is 5120 KiB; a scenario file may be at most 256 KiB (split it into several files)`,
  ]);
  expect(r.stderr).not.toMatch(/\n\s+at |Maximum call stack/);
}, 150_000);
