/**
 * app-check against the Python reference app and five broken copies of it (examples/external-app/
 * broken.py): each copy's fault is named, in one line, with its fix; and in a run the same faults make
 * the cell error with a reason naming the app and the message, never a broken link.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCheck, formatLine } from './check.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = path.join(root, 'examples/external-app');

const BROKEN: readonly [string, RegExp][] = [
  ['crash', /process: exited with code 3 — fix: keep the process running/],
  [
    'hang',
    /background\/detectExposures: no answer within 5000 ms — fix: answer every request within the time-out/,
  ],
  ['malformed', /stdout: malformed message: .* — fix: write each message as "Content-Length: N/],
  [
    'shape',
    /background\/detectExposures: answer has the wrong shape: configuration .* — fix: answer background\/detectExposures as schema\.json/,
  ],
  ['method', /en\/getExposureWindowsPlease: called an unknown method — fix: call only en\/getTekHistory/],
];

describe('ichiren app-check', () => {
  for (const [fault, expected] of BROKEN) {
    it(`names the fault of the copy that does "${fault}"`, async () => {
      const lines = await appCheck({
        command: `python3 broken.py --fault ${fault}`,
        cwd: example,
        timeoutMs: 5000,
        chain: false,
      });
      const failed = lines.filter((l) => !l.ok).map(formatLine);
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0]).toMatch(expected);
      expect(failed[0]).toContain(`app "python3 broken.py --fault ${fault}"`);
      for (const line of failed) expect(line.split('\n')).toHaveLength(1);
    }, 60_000);
  }

  it('names a command that cannot start', async () => {
    const lines = await appCheck({ command: 'no-such-app --build 2.x', cwd: example, chain: false });
    expect(lines.map(formatLine)).toEqual([
      expect.stringMatching(
        /^✘ initialize: app "no-such-app --build 2\.x": process: could not start .*ENOENT.* — fix: give a command that exists/,
      ),
    ]);
  });

  it('passes the reference app, its one-contact chain on both platforms included', async () => {
    const lines = await appCheck({ command: 'python3 cocoa.py --build 2.x', cwd: example });
    expect(lines.filter((l) => !l.ok).map(formatLine)).toEqual([]);
    expect(lines.map((l) => l.check)).toEqual(
      expect.arrayContaining(['initialize', 'one-contact chain (android)', 'one-contact chain (ios)']),
    );
  }, 300_000);
});

describe('a faulty app in a run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ichiren-app-fault-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('errors its cells with a one-line reason naming the app and the message, never a broken link', async () => {
    const app = { command: 'python3 broken.py --fault hang', cwd: example, timeoutMs: 5000 };
    const release = path.join(dir, 'hang.yaml');
    await writeFile(
      release,
      JSON.stringify({
        extends: 'latest',
        name: 'hang',
        title: { ja: 'h', en: 'h' },
        apps: { android: app, ios: app },
      }),
    );
    const r = await execa(
      'node',
      [
        'bin/ichiren.js',
        'run',
        'harness/app-check/one-contact.yaml',
        '--release',
        release,
        '--reporter',
        'json',
        '--report-dir',
        dir,
      ],
      { cwd: root, reject: false, timeout: 300_000 },
    );
    expect(r.exitCode, r.stderr).toBe(1);
    const doc = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as {
      scenarios: { cells: { status: string; errors: string[] }[] }[];
    };
    const cells = doc.scenarios.flatMap((s) => s.cells);
    expect(cells).toHaveLength(2);
    for (const c of cells) {
      // An error of the run, not a failed chain: the status says so, whatever links lack evidence.
      expect(c.status).toBe('error');
      expect(c.errors[0]).toContain('app "python3 broken.py --fault hang"');
      expect(c.errors[0]).toContain('background/detectExposures: no answer within 5000 ms');
    }
    // No process of the app outlives the run.
    const left = await execa('pgrep', ['-f', 'broken.py --fault hang'], { reject: false });
    expect(left.stdout.trim()).toBe('');
  }, 300_000);
});
