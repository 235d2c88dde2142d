/**
 * `ichiren run` end to end: the real CLI, the real embedded stack (server, PGlite, HER-SYS stub over
 * HTTP) and simulated phones. The 1.1.4 regression must emerge from the mechanism: only Android
 * receivers fail, at score (or notify); on the current release everything passes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/runner/results.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-e2e-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function ichiren(args: string[]) {
  return execa('node', ['bin/ichiren.js', 'run', ...args], { cwd: root, reject: false, timeout: 170_000 });
}

/**
 * The processes of a process group still running, from /proc (Linux, the CI's platform): zombies
 * that a sandbox's init never reaps are not running ones.
 */
function runningInGroup(pgid: number): string[] {
  const running: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // After "pid (comm) ": state, ppid, pgrp, …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') running.push(`${pid} ${stat.slice(0, 60)}`);
  }
  return running;
}

async function results(reportDir: string): Promise<RunResult> {
  return JSON.parse(await readFile(path.join(reportDir, 'results.json'), 'utf8')) as RunResult;
}

/** Runs with the JSON reporter into its own folder; returns the process and its results. */
async function runJson(name: string, args: string[]) {
  const reportDir = path.join(dir, name);
  const r = await ichiren([...args, '--reporter', 'json', '--report-dir', reportDir]);
  const res = await results(reportDir).catch(() => {
    throw new Error(`no results.json (exit ${r.exitCode}): ${r.stderr}`);
  });
  return { r, res };
}

describe('ichiren run: usage and scenario errors', () => {
  it('exits 2 with file:line:column for an invalid scenario', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(
      file,
      'id: bad\ntitle: { ja: "x", en: "x" }\npurpose: { ja: "x", en: "x" }\nphones: { a: { platform: windows } }\ntimeline: [{ publish: {} }]\nexpect: { a: { notified: false } }\n',
    );
    const r = await ichiren([file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${file}:4:26: phones.a.platform must be "android" or "ios"`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 for an unknown release and for a bad option', async () => {
    const a = await ichiren(['scenarios', '--release', 'cocoa-9.9']);
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toContain('release must be a name in fixtures/releases');
    const b = await ichiren(['scenarios', '--workers', 'many']);
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toContain('--workers must be an integer');
  });
});

describe('ichiren run: the 1.1.4 regression through the embedded stack', () => {
  it('fails only the Android cells, at score or notify, under --release cocoa-1.1.4', async () => {
    const { r, res } = await runJson('r114', [
      'scenarios/regression-1.1.4.yaml',
      '--release',
      'cocoa-1.1.4',
      '--grep',
      'regression-1.1.4-receiver',
    ]);
    expect(r.exitCode, r.stderr).toBe(1);
    const cells = res.scenarios.flatMap((s) => s.cells);
    expect(cells.map((c) => [c.platform, c.status])).toEqual([
      ['android', 'failed'],
      ['ios', 'passed'],
    ]);
    const android = cells[0];
    expect(['score', 'notify']).toContain(android?.firstBrokenLink);
    expect(android?.links.slice(0, 6).every((l) => l.status === 'passed')).toBe(true);
    expect(res.summary.verdict.find((v) => v.platform === 'android')?.reaches).toBe(false);
  });

  it('passes every cell of the regression scenarios on the latest release', async () => {
    const { r, res } = await runJson('latest', ['scenarios/regression-1.1.4.yaml']);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(res.status).toBe('passed');
    // receiver × 2 platforms, cross-platform × 4, mixed receivers: trials: auto × 2 sender platforms.
    const mixed = res.scenarios.find((s) => s.id === 'regression-1.1.4-mixed-receivers')?.cells ?? [];
    const trials = Math.max(...mixed.map((c) => Number(c.id.split('#')[1])));
    expect(trials).toBeGreaterThanOrEqual(2);
    expect(mixed).toHaveLength(2 * trials);
    expect(res.summary.cells).toBe(6 + 2 * trials);
    expect(res.summary.verdict.every((v) => v.reaches)).toBe(true);
  });

  it('fails only Android receivers, each at score, across the whole library under cocoa-1.1.4', async () => {
    const { r, res } = await runJson('full114', ['scenarios', '--release', 'cocoa-1.1.4']);
    expect(r.exitCode, r.stderr).toBe(1);
    const cells = res.scenarios.flatMap((s) => s.cells);
    expect(cells.filter((c) => c.status !== 'passed' && c.status !== 'failed').map((c) => c.id)).toEqual([]);
    // Counted per receiving phone, on its own platform (a mixed cell holds both).
    const failed = cells.flatMap((c) =>
      c.phones.filter((p) => p.firstBrokenLink !== null).map((p) => ({ c, p })),
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(
      failed.filter(({ p }) => p.platform !== 'android').map(({ c, p }) => `${c.id} ${p.phone}`),
    ).toEqual([]);
    expect(
      failed.filter(({ p }) => p.firstBrokenLink !== 'score').map(({ c, p }) => `${c.id} ${p.phone}`),
    ).toEqual([]);
    // The release's own build; a scenario that pins another build (1.1.3's boundaries) has its own lines.
    expect(
      res.summary.verdict.filter((v) => v.app === 'cocoa-1.1.4').map((v) => [v.platform, v.reaches]),
    ).toEqual([
      ['android', false],
      ['ios', true],
    ]);
    // Scenarios about 1.2.2's upload window say nothing about 1.1.4: listed, not run.
    expect(res.metadata.notApplicable?.map((n) => n.cell)).toContain('key-outside-upload-window[ios]');
  }, 180_000);

  it('sweeps seeds, each on a stack of its own, and counts per scenario the seeds it passed on', async () => {
    // The web screen and a second batch on one day: both once depended on what earlier seeds left.
    // Every cell on every seed, in one process: these cells draw nothing from the seed but identities.
    const grep = ['--grep', 'number-via-web-screen|two-files-one-day'];
    const ok = await ichiren(['scenarios', '--seeds', '5..7', ...grep, '--every-cell', '--jobs', '1']);
    expect(ok.exitCode, `${ok.stdout}\n${ok.stderr}`).toBe(0);
    expect(ok.stdout).toMatch(/number-via-web-screen +✔ 3\/3/);
    expect(ok.stdout).toMatch(/two-files-one-day +✔ 3\/3/);
    expect(ok.stdout).toContain('deterministic scenarios held on every seed');
    expect(ok.stdout).not.toContain('ran on the first seed only');
    // By default, two processes share the seeds; exact cells run on each one's first seed only,
    // simulated radio on every seed.
    const shared = await ichiren([
      'scenarios',
      '--seeds',
      '1..4',
      '--grep',
      '^(radio-500m-out-of-range|two-files-one-day)$',
      '--jobs',
      '2',
    ]);
    expect(shared.exitCode, `${shared.stdout}\n${shared.stderr}`).toBe(0);
    expect([...shared.stdout.matchAll(/^seed (\d+): /gm)].map((m) => Number(m[1])).sort()).toEqual([
      1, 2, 3, 4,
    ]);
    expect(shared.stdout).toMatch(/radio-500m-out-of-range +✔ 4\/4/);
    expect(shared.stdout).toMatch(/two-files-one-day +✔ 4\/4/);
    expect(shared.stdout).toContain('2 of the 4 cells ran on the first seed only (of each sweep process)');
    // Under 1.1.4 every seed fails, and only at an Android receiver's score.
    const bad = await ichiren([
      'scenarios/regression-1.1.4.yaml',
      '--release',
      'cocoa-1.1.4',
      '--seeds',
      '1..2',
      '--grep',
      'regression-1.1.4-receiver',
    ]);
    expect(bad.exitCode, bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/regression-1\.1\.4-receiver +✘ 0\/2/);
    const reasons = [...bad.stdout.matchAll(/^\s+\d+× (.+)$/gm)].map((m) => m[1]);
    expect(reasons.length).toBeGreaterThan(0);
    // Per cell: an Android receiver at score; per seed (seed-sweep.ts seedVerdict): Android ✘ at score, iOS ✔.
    const allowed = [/\(android\) at score$/, /^failed: Android ✘ at score \([^)]*\) · iOS ✔ /];
    expect(reasons.filter((r) => !allowed.some((a) => a.test(r ?? '')))).toEqual([]);
  }, 180_000);

  it('stops a sweep on several processes at Ctrl-C: the seeds they finished are tallied, exit 130, none left running', async () => {
    // Its own process group, as a terminal's job: Ctrl-C reaches the parent and its sweep processes.
    const sweep = execa(
      'node',
      [
        'bin/ichiren.js',
        'run',
        'scenarios',
        '--seeds',
        '1..400',
        '--grep',
        '^radio-500m-out-of-range$',
        '--jobs',
        '2',
      ],
      { cwd: root, reject: false, detached: true, timeout: 170_000 },
    );
    await new Promise<void>((resolve) => {
      // The first seed of both processes has ended: a later one is running.
      let ended = 0;
      sweep.stdout?.on('data', (chunk: Buffer) => {
        ended += (chunk.toString().match(/^seed \d+: /gm) ?? []).length;
        if (ended >= 2) resolve();
      });
    });
    process.kill(-(sweep.pid as number), 'SIGINT');
    const r = await sweep;
    expect(r.exitCode, r.stderr).toBe(130);
    // The table counts exactly the seeds whose lines were printed: finished ones, not all 400.
    const finished = (r.stdout.match(/^seed \d+: /gm) ?? []).length;
    expect(finished).toBeGreaterThanOrEqual(2);
    expect(finished).toBeLessThan(400);
    expect(r.stdout, `${r.stdout}\n${r.stderr}`).toContain(`× ${finished} seeds (`);
    expect(r.stdout).toMatch(new RegExp(`radio-500m-out-of-range +✔ ${finished}/${finished}`));
    const running = runningInGroup(sweep.pid as number);
    expect(running).toEqual([]);
  }, 180_000);

  it("judges a vendor's own app module per link: its stricter rule breaks the chain at notify", async () => {
    const { r, res } = await runJson('vendor', [
      'scenarios/regression-1.1.4.yaml',
      '--release',
      'vendor-example',
      '--target',
      'embedded',
      '--grep',
      'regression-1.1.4-receiver',
    ]);
    expect(r.exitCode, r.stderr).toBe(1);
    const cells = res.scenarios.flatMap((s) => s.cells);
    expect(cells.map((c) => [c.platform, c.firstBrokenLink])).toEqual([
      ['android', 'notify'],
      ['ios', 'notify'],
    ]);
    expect(cells[0]?.links.find((l) => l.name === 'notify')?.detail).toContain('vendor rule needs 2');
  });

  it('passes the whole library on latest (COCOA 2.0): receivers take EN v1 and EN v2 on both platforms', async () => {
    const { r, res } = await runJson('latest-full', ['scenarios']);
    expect(r.exitCode, r.stdout.slice(-2000)).toBe(0);
    expect(res.metadata.apps).toEqual({ android: 'cocoa-2.x', ios: 'cocoa-2.x' });
    // Nothing in the standard library is left out on the reference release.
    expect(res.metadata.notApplicable ?? []).toEqual([]);
    const receivers = res.scenarios.flatMap((s) => s.cells.flatMap((c) => c.phones));
    const paths = new Set(receivers.map((p) => `${p.platform} ${p.enPath}`));
    for (const expected of ['android v1', 'android v2', 'ios v1', 'ios v2'])
      expect(paths).toContain(expected);
    // The path follows the OS: iOS below 13.7 has no ExposureWindows, so the 2.x app falls back to v1.
    const ios = receivers.filter((p) => p.platform === 'ios' && p.enPath);
    expect(ios.filter((p) => (p.osVersion === '13.6') !== (p.enPath === 'v1'))).toEqual([]);
    // The EN v2 thresholds are judged on the v2 path, the v1 boundaries on the v1 path.
    const cellsOf = (prefix: string) =>
      res.scenarios.filter((s) => s.id.startsWith(prefix)).flatMap((s) => s.cells.flatMap((c) => c.phones));
    expect(new Set(cellsOf('boundary-v2-').map((p) => p.enPath))).toEqual(new Set(['v2']));
    expect(new Set(cellsOf('boundary-v1-').map((p) => p.enPath))).toEqual(new Set(['v1']));
  }, 180_000);

  it('passes the whole library on cocoa-1.2.2, where the EN v2 boundaries do not apply', async () => {
    const { r, res } = await runJson('full122', ['scenarios', '--release', 'cocoa-1.2.2']);
    expect(r.exitCode, r.stdout.slice(-2000)).toBe(0);
    const receivers = res.scenarios.flatMap((s) => s.cells.flatMap((c) => c.phones));
    expect(new Set(receivers.map((p) => p.enPath).filter(Boolean))).toEqual(new Set(['v1']));
    // The v1 boundaries run on every release; the v2 ones need an EN v2 build.
    expect(receivers.some((p) => p.phone === 'b' && p.osVersion === '13.6')).toBe(true);
    expect(res.metadata.notApplicable?.map((n) => n.cell)).toContain(
      'boundary-v2-score-sum[40,40,55,300,true,ios]',
    );
  }, 180_000);

  it('runs against an already deployed server (target url) wired to a dummy HER-SYS on a fixed port', async () => {
    const hersysPort = await freePort();
    const server = execa(
      'node',
      [
        'bin/ichiren.js',
        'server',
        '--port',
        '0',
        '--hersys-url',
        `http://127.0.0.1:${hersysPort}/api/verify`,
      ],
      { cwd: root, env: { ICHIREN_SERVER_ADMIN_TOKEN: 'e2e-admin-token' }, reject: false },
    );
    try {
      const serverUrl = await new Promise<string>((resolve, reject) => {
        server.stdout?.on('data', (b: Buffer) => {
          const m = /listening on (http:\/\/\S+)/.exec(b.toString());
          if (m?.[1]) resolve(m[1]);
        });
        server.once('exit', () => reject(new Error('server exited before listening')));
      });
      // Any command that runs the batch will do; node stands in for curl, which a machine may lack.
      const publish = `node -e "fetch('${serverUrl}/api/admin/publish',{method:'POST',headers:{authorization:'Bearer e2e-admin-token'}}).then(r=>process.exit(r.ok?0:1))"`;
      const { r, res } = await runJson('url', [
        'scenarios',
        '--grep',
        'regression-1.1.4-receiver|export-tampered',
        '--server-url',
        serverUrl,
        '--hersys-listen',
        String(hersysPort),
        '--publish-command',
        publish,
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(res.metadata.target).toEqual({ kind: 'url', detail: serverUrl });
      // The phones and HER-SYS ran on the deployed server's clock, read from its Date header.
      expect(res.metadata.clock?.source).toBe('deployed-server');
      expect(res.metadata.command).not.toContain('--now');
      expect(res.summary.cells).toBe(4);
    } finally {
      server.kill('SIGTERM');
      await server;
    }
    // Two processes start (server, then the CLI): over 30 s on a busy 2-core machine.
  }, 120_000);
});

/** A port free right now (bound, then released) for the stub a deployed server must know in advance. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}
