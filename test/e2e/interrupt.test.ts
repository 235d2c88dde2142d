/**
 * Ctrl-C at random moments of `ichiren run scenarios` (the real CLI, the embedded stack, Chromium for
 * the HER-SYS web screen): every interrupted run exits 130 and leaves complete reports marked
 * interrupted, no temp file beside them, and nothing of Chromium in its temp folder nor running.
 *
 * Every child holds its first results.json until it has been signalled
 * (fixtures/hold-reports-until-signal.mjs): a run cannot end before its moment however fast the
 * machine, so every drawn moment interrupts a running run — in loading, the cells or, on a fast
 * machine, the writing of the reports.
 * Half the runs are signalled at a random time after the start (loading, stack start, cells, reports),
 * half after a random number of finished cells (the run in full flight; at most the run's cell count,
 * read from its first line). "The start" is the moment
 * bin/ichiren.js has its signal handlers (it then names the process "ichiren", /proc/<pid>/comm):
 * before it, while Node itself boots (up to a second on a busy machine), no program sees a signal. Each child has its own
 * TMPDIR, so Chromium profiles of other processes on the machine never count. Bounded: a child that
 * does not exit within CHILD_BUDGET_MS of its signal is killed and the test fails.
 * ICHIREN_INTERRUPT_SEED=<n> replays the same moments.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseChromium } from '../../harness/browser/chromium.js';
import { groupsUsing, membersOf } from '../../harness/browser/temp-dir.js';
import { runResultSchema } from '../../harness/report/schema.js';
import type { RunResult } from '../../harness/runner/results.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 10;
const CHILD_BUDGET_MS = 90_000;
const REPORTS = ['results.json', 'junit.xml', 'index.html'];
const HOLD = fileURLToPath(new URL('./fixtures/hold-reports-until-signal.mjs', import.meta.url));
const { HOLD_LINE } = (await import(HOLD)) as { HOLD_LINE: string };
const seed = Number(process.env.ICHIREN_INTERRUPT_SEED ?? Date.now() % 1_000_000);

/** mulberry32: the moments are reproducible from the seed printed by the test. */
function rng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Moment {
  readonly signal: NodeJS.Signals;
  /** Signal this long after the start … */
  readonly afterMs?: number;
  /** … or this long after the n-th finished cell (or the last, in a run of fewer) … */
  readonly afterCells?: number;
  /** … or as soon as the reports are being written (the child holds results.json). */
  readonly atReports?: true;
  readonly extraMs: number;
  /** A second signal this long after the first (the impatient user). */
  readonly secondAfterMs?: number;
}

let dir: string;
/** The run's Chromium, found once here: the npm build unpacks itself into TMPDIR as a cache, not a profile. */
let chromium: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-interrupt-'));
  chromium = (await chooseChromium()).executablePath;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `ichiren run scenarios`, signals it at `moment`, and resolves when it has exited. */
async function interruptedRun(name: string, moment: Moment, paths: readonly string[] = ['scenarios']) {
  const reportDir = path.join(dir, name, 'reports');
  const tmp = path.join(dir, name, 'tmp');
  await mkdir(tmp, { recursive: true });
  // tsx keeps its transpile cache in TMPDIR: share the usual one, or every run recompiles everything.
  const tsxCache = `tsx-${process.getuid?.() ?? 0}`;
  await mkdir(path.join(tmpdir(), tsxCache), { recursive: true });
  await symlink(path.join(tmpdir(), tsxCache), path.join(tmp, tsxCache));
  const child = spawn(
    'node',
    ['--import', HOLD, 'bin/ichiren.js', 'run', ...paths, '--report-dir', reportDir],
    {
      cwd: root,
      env: { ...process.env, TMPDIR: tmp, ICHIREN_CHROMIUM: chromium },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let cells = 0;
  let planned = Number.POSITIVE_INFINITY;
  let signalled = false;
  // Chromium's process groups, noted while the browser runs (its helpers never show the TMPDIR).
  const chromiumGroups = new Set<number>();
  const noteChromium = () => {
    for (const g of chromiumGroupsUnder(tmp)) chromiumGroups.add(g);
  };
  const send = () => {
    if (signalled || child.exitCode !== null) return;
    signalled = true;
    noteChromium();
    child.kill(moment.signal);
    if (moment.secondAfterMs !== undefined)
      setTimeout(() => child.exitCode === null && child.kill(moment.signal), moment.secondAfterMs);
    setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), CHILD_BUDGET_MS).unref();
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const before = cells;
    cells = (stdout.match(/^[✔✘] /gm) ?? []).length;
    planned = Number(/^ichiren: \d+ scenarios, (\d+) cells$/m.exec(stdout)?.[1] ?? planned);
    if (before === 0 && cells > 0) noteChromium(); // launched before the first cell
    if (moment.afterCells !== undefined && cells >= Math.min(moment.afterCells, planned) && !signalled)
      setTimeout(send, moment.extraMs);
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (moment.atReports && stderr.includes(HOLD_LINE)) send();
  });
  if (moment.afterMs !== undefined) {
    await catchingSignals(child.pid as number);
    setTimeout(send, moment.afterMs + moment.extraMs);
  }
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  return {
    code,
    signal,
    signalled,
    stdout,
    stderr,
    reportDir,
    tmp,
    chromiumGroups,
    cellsBefore: cells,
    planned,
  };
}

/** Resolves once bin/ichiren.js has run its first lines (it renames the process "ichiren"). */
async function catchingSignals(pid: number): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if ((await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim() === 'ichiren') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`process ${pid} never became "ichiren"`);
}

async function expectCompleteInterruptedReports(reportDir: string): Promise<RunResult> {
  expect((await readdir(reportDir)).sort()).toEqual([...REPORTS].sort());
  const result = JSON.parse(await readFile(path.join(reportDir, 'results.json'), 'utf8')) as RunResult;
  expect(runResultSchema.safeParse(result).success).toBe(true);
  expect(result.status).toBe('interrupted');
  expect(result.summary.verdict.every((v) => v.outcome !== 'reaches')).toBe((result.notRun ?? []).length > 0);
  const xml = await readFile(path.join(reportDir, 'junit.xml'), 'utf8');
  expect(XMLValidator.validate(xml)).toBe(true);
  const suites = new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites;
  // Cells that did not run, and the verdict testcases of groups that did not finish.
  const unfinished = result.summary.verdict.filter((v) => v.outcome === 'not-finished').length;
  expect(Number(suites['@_skipped'] ?? 0)).toBe((result.notRun?.length ?? 0) + unfinished);
  const html = await readFile(path.join(reportDir, 'index.html'), 'utf8');
  expect(html).toContain('data-run-status="interrupted"');
  expect(html.trimEnd().endsWith('</html>')).toBe(true);
  return result;
}

/** Process groups led by a browser whose TMPDIR is the run's own folder inside `tmp`. */
function chromiumGroupsUnder(tmp: string): number[] {
  return readdirSync(tmp)
    .filter((f) => f.startsWith('ichiren-chromium-'))
    .flatMap((f) => [...groupsUsing(path.join(tmp, f))]);
}

/**
 * Nothing of Chromium is left in the child's TMPDIR, nor running: no process with a profile there,
 * no process of a browser group noted while the run was live (its helpers included). Checked as soon
 * as the child has exited: the run itself must not end before its browser has.
 */
async function expectNoChromiumLeft(tmp: string, chromiumGroups: ReadonlySet<number> = new Set()) {
  const left = (await readdir(tmp)).filter((f) => /chrom|playwright/i.test(f));
  expect(left, `left in TMPDIR: ${left.join(', ')}`).toEqual([]);
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  expect(ps.split('\n').filter((l) => l.includes(tmp))).toEqual([]);
  expect(membersOf(chromiumGroups), 'Chromium processes still running').toEqual([]);
}

describe(`ichiren run interrupted at random moments (seed ${seed})`, () => {
  const random = rng(seed);
  const moments: Moment[] = Array.from({ length: RUNS }, (_, i) => ({
    signal: i % 2 === 0 ? 'SIGINT' : 'SIGTERM',
    ...(i < RUNS / 2
      ? { afterMs: 500 + Math.floor(random() * 8_000) }
      : { afterCells: 1 + Math.floor(random() * 40) }),
    extraMs: Math.floor(random() * 300),
  }));

  for (const [i, moment] of moments.entries()) {
    const when = moment.afterMs !== undefined ? `${moment.afterMs} ms` : `${moment.afterCells} cells`;
    it(`run ${i + 1}: ${moment.signal} after ${when} exits 130 with complete interrupted reports`, async () => {
      const r = await interruptedRun(`run-${i + 1}`, moment);
      expect(r.signalled, `the run ended before the signal: ${r.stdout.slice(-400)}`).toBe(true);
      expect(r.code, `${r.signal ?? ''} ${r.stderr.slice(-600)}`).toBe(130);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      await expectCompleteInterruptedReports(r.reportDir);
      // The web-screen cells' browser runs before the first cell: seen, so the check below is not empty.
      if (moment.afterCells !== undefined) expect(r.chromiumGroups.size).toBeGreaterThan(0);
      await expectNoChromiumLeft(r.tmp, r.chromiumGroups);
    }, 240_000);
  }

  // After a natural end, Node's own shutdown (up to a second) first restores the default signal
  // actions: a signal then killed the process (exit code null) instead of leaving the code chosen.
  it('a command leaves through its own exit: a stream of SIGINTs to its very end never kills it', async () => {
    for (let i = 0; i < 3; i++) {
      const child = spawn('node', ['bin/ichiren.js', '--help'], { cwd: root, stdio: 'ignore' });
      await catchingSignals(child.pid as number);
      const stream = setInterval(() => child.kill('SIGINT'), 2);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on('exit', (c, s) => resolve([c, s])),
      );
      clearInterval(stream);
      expect({ code, signal }).toEqual({ code: 0, signal: null });
    }
  }, 120_000);

  it('a signal while the reports are written exits 130 and leaves them marked interrupted, every cell in', async () => {
    const r = await interruptedRun('reports', { signal: 'SIGTERM', atReports: true, extraMs: 0 }, [
      'scenarios/positives-and-controls.yaml',
    ]);
    expect(r.signalled, `the run ended before the signal: ${r.stdout.slice(-400)}`).toBe(true);
    expect(r.code, `${r.signal ?? ''} ${r.stderr.slice(-600)}`).toBe(130);
    expect(r.stderr).toContain('written again with status interrupted');
    const result = await expectCompleteInterruptedReports(r.reportDir);
    expect(result.notRun).toEqual([]);
    expect(result.summary.cells).toBe(r.planned);
    expect(result.scenarios.flatMap((s) => s.cells)).toHaveLength(r.planned);
    await expectNoChromiumLeft(r.tmp, r.chromiumGroups);
  }, 240_000);

  it('a second signal while the run winds down exits 130 and corrupts no report file', async () => {
    const r = await interruptedRun('double', {
      signal: 'SIGINT',
      afterCells: 1 + Math.floor(random() * 20),
      extraMs: 0,
      secondAfterMs: Math.floor(random() * 1_500),
    });
    expect(r.code, `${r.signal ?? ''} ${r.stderr.slice(-600)}`).toBe(130);
    // Whichever files were written are complete; no temp file is left beside them.
    const files = await readdir(r.reportDir).catch(() => [] as string[]);
    for (const f of files) {
      expect(REPORTS).toContain(f);
      const text = await readFile(path.join(r.reportDir, f), 'utf8');
      if (f.endsWith('.json')) expect(() => JSON.parse(text)).not.toThrow();
      if (f.endsWith('.xml')) expect(XMLValidator.validate(text)).toBe(true);
      if (f.endsWith('.html')) expect(text.trimEnd().endsWith('</html>')).toBe(true);
    }
    await expectNoChromiumLeft(r.tmp, r.chromiumGroups);
  }, 240_000);
});
