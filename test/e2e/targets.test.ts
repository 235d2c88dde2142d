/**
 * `ichiren run` against the non-embedded targets (issue 6): the reference server as its own OS process
 * (`--target process`) and as a container beside a PostgreSQL container (`--target container`). A few
 * scenarios that cross every part of the server (upload, HER-SYS verification, publish, signed export,
 * a fault proxy in front of it) must pass there as they do embedded, and the 1.1.4 defect must still
 * emerge from the mechanism: only the Android receiver breaks, at score.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../harness/runner/results.js';
import {
  DEFAULT_DATABASE_IMAGE,
  DEFAULT_SERVER_IMAGE,
  dockerAvailable,
  imageExists,
} from '../../harness/stack/index.js';
import { processGone } from '../../harness/stack/testing.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Scenarios touching upload, HER-SYS, publish, export signature and a server fault; ids, anchored. */
const SUBSET = [
  'regression-1.1.4-receiver',
  'regression-1.1.4-cross-platform',
  'number-wrong',
  'export-published-twice',
  'server-5xx-then-retry',
];
const SUBSET_GREP = `^(${SUBSET.map((id) => id.replace(/\./g, '\\.')).join('|')})$`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-e2e-targets-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs the CLI with the JSON reporter into its own folder; returns the process and results.json. */
async function run(name: string, args: string[]) {
  const reportDir = path.join(dir, name);
  const child = execa(
    'node',
    ['bin/ichiren.js', 'run', 'scenarios', ...args, '--reporter', 'json', '--report-dir', reportDir],
    { cwd: root, reject: false, timeout: 90_000 },
  );
  const r = Object.assign(await child, { cliPid: child.pid });
  const text = await readFile(path.join(reportDir, 'results.json'), 'utf8').catch(() => {
    throw new Error(`no results.json (exit ${r.exitCode}): ${r.stderr || r.stdout}`);
  });
  return { r, res: JSON.parse(text) as RunResult };
}

const cellsOf = (res: RunResult) => res.scenarios.flatMap((s) => s.cells);

/** Every scenario of the subset ran on both platforms where it has them, and every cell passed. */
function expectSubsetPassed(res: RunResult) {
  expect(res.scenarios.map((s) => s.id).sort()).toEqual([...SUBSET].sort());
  const cells = cellsOf(res);
  expect(cells.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.status}`)).toEqual([]);
  expect(new Set(cells.map((c) => c.platform))).toEqual(new Set(['android', 'ios']));
  expect(res.summary).toMatchObject({ passed: cells.length, failed: 0 });
  expect(res.summary.verdict.every((v) => v.reaches)).toBe(true);
}

/** Under cocoa-1.1.4 the Android receiver breaks at score, everything before it holds; iOS passes. */
function expectRegression114(res: RunResult) {
  const cells = cellsOf(res);
  expect(cells.map((c) => [c.platform, c.status]).sort()).toEqual([
    ['android', 'failed'],
    ['ios', 'passed'],
  ]);
  const android = cells.find((c) => c.platform === 'android');
  expect(android?.firstBrokenLink).toBe('score');
  expect(android?.links.slice(0, 6).map((l) => l.status)).toEqual(Array(6).fill('passed'));
  expect(res.summary.verdict.find((v) => v.platform === 'android')?.reaches).toBe(false);
}

describe('ichiren run --target process: the reference server as its own process', () => {
  it('passes the subset on the latest release with the default server command', async () => {
    const { r, res } = await run('process-latest', ['--target', 'process', '--grep', SUBSET_GREP]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(res.metadata.target.kind).toBe('process');
    expectSubsetPassed(res);
  }, 60_000);

  it('breaks Android at score under cocoa-1.1.4, and the server process is gone afterwards', async () => {
    // The command records its PID, then execs the CLI's server in the same process.
    const pidFile = path.join(dir, 'server.pid');
    const command = `sh -c 'echo $$ > "${pidFile}"; exec node bin/ichiren.js server --port 0'`;
    const { r, res } = await run('process-114', [
      '--target',
      'process',
      '--server-command',
      command,
      '--release',
      'cocoa-1.1.4',
      '--grep',
      '^regression-1\\.1\\.4-receiver$',
    ]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(res.metadata.target).toEqual({ kind: 'process', detail: command });
    expectRegression114(res);
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(r.cliPid); // its own process, not the CLI's
    expect(processGone(pid)).toBe(true);
  }, 60_000);
});

// Needs a Docker engine and the images of `node scripts/build-image.mjs` (no registry here; CI builds
// them). Without either, these tests skip and say why.
const engine = dockerAvailable();
const images = engine && imageExists(DEFAULT_SERVER_IMAGE) && imageExists(DEFAULT_DATABASE_IMAGE);
const skipReason = !engine
  ? 'no Docker engine answers `docker info`'
  : !images
    ? `images ${DEFAULT_SERVER_IMAGE} and ${DEFAULT_DATABASE_IMAGE} missing: run node scripts/build-image.mjs`
    : '';
if (skipReason) console.warn(`ichiren run --target container skipped: ${skipReason}`);

describe.skipIf(!images)('ichiren run --target container: server image on a PostgreSQL container', () => {
  /** IDs of running containers of our two images. */
  const ours = async () =>
    (
      await execa('docker', [
        'ps',
        '-aq',
        '--filter',
        `ancestor=${DEFAULT_SERVER_IMAGE}`,
        '--filter',
        `ancestor=${DEFAULT_DATABASE_IMAGE}`,
      ])
    ).stdout
      .split('\n')
      .filter(Boolean)
      .sort();

  it('passes the subset on the latest release and removes both containers', async () => {
    const before = await ours();
    const { r, res } = await run('container-latest', ['--target', 'container', '--grep', SUBSET_GREP]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(res.metadata.target.kind).toBe('container');
    expectSubsetPassed(res);
    expect(await ours()).toEqual(before);
  }, 60_000);

  it('breaks Android at score under cocoa-1.1.4', async () => {
    const { r, res } = await run('container-114', [
      '--target',
      'container',
      '--release',
      'cocoa-1.1.4',
      '--grep',
      '^regression-1\\.1\\.4-receiver$',
    ]);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(res.metadata.target.kind).toBe('container');
    expectRegression114(res);
  }, 60_000);
});
