/**
 * Verdicts on evidence, through the embedded stack (real server, PGlite, exports, HER-SYS stub over
 * HTTP, simulated phones): each link breaks where the contact's own keys stop, and verdicts are
 * counted per receiving phone. Every scenario expects a notification, so the link that broke is the
 * one the evidence names.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KINDS } from '../../harness/audit/kinds.js';
import { loadAppBuild, World } from '../../harness/devices/index.js';
import type { RunnerDeps, WorldHandle } from '../../harness/runner/deps.js';
import type { CellResult, PhoneChain, RunResult } from '../../harness/runner/results.js';
import { runPlan } from '../../harness/runner/run-plan.js';
import { realDeps, startStack } from '../../harness/runner/wiring.js';
import { compilePlan } from '../../harness/scenario/compile.js';
import { type LoadedScenario, loadScenarios, parseScenarios } from '../../harness/scenario/loader.js';
import { loadRelease } from '../../harness/scenario/release.js';

// Each case starts its own embedded stack (a few seconds, more on a busy machine).
vi.setConfig({ testTimeout: 180_000 });

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ichiren-verdicts-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const HEAD = (id: string) => `id: ${id}\ntitle: { ja: "x", en: "x" }\npurpose: { ja: "x", en: "x" }\n`;

/** Runs scenario text (or loaded scenarios) on one release through a fresh embedded stack, one cell at a time unless told. */
async function run(
  release: string,
  yaml: string | LoadedScenario[],
  wrap: (d: RunnerDeps) => RunnerDeps = (d) => d,
  workers = 1,
): Promise<RunResult> {
  const r = await loadRelease(release);
  const scenarios = typeof yaml === 'string' ? parseScenarios('verdicts.yaml', yaml) : yaml;
  const plan = compilePlan(scenarios, {
    release: r,
    seed: 11,
    nowEpochSeconds: Math.floor(Date.now() / 1000),
  });
  const stack = await startStack({
    target: 'embedded',
    ...(r.server.behaviour ? { serverBehaviour: r.server.behaviour } : {}),
    ...(r.server.configurationSet ? { configurationSet: r.server.configurationSet } : {}),
    hersys: { seed: 11 },
  });
  try {
    const deps = await realDeps(stack);
    try {
      return await runPlan(plan, wrap(deps), {
        workers,
        stepTimeoutMs: 60_000,
        metadata: {
          ichirenVersion: 'test',
          seed: 11,
          release,
          target: { kind: 'embedded', detail: 'test' },
          apps: r.apps,
          node: process.version,
          platform: process.platform,
          command: 'test',
        },
      });
    } finally {
      await deps.dispose?.();
    }
  } finally {
    await stack.stop();
  }
}

const cells = (r: RunResult) => r.scenarios.flatMap((s) => s.cells);
const phone = (c: CellResult | undefined, id = 'b') => c?.phones.find((p) => p.phone === id) as PhoneChain;
const broken = (p: PhoneChain) => p.links.find((l) => l.status === 'failed');

const ANDROID = 'phones: { a: { platform: android }, b: { platform: android } }\n';

describe('each link breaks where the contact key stops (embedded stack)', () => {
  it('upload: the sender key for the contact day is never uploaded (1.2.2 sends 3 days before the test)', async () => {
    const res = await run(
      'cocoa-1.2.2',
      `${HEAD('key-never-uploaded')}${ANDROID}timeline:
  - { at: "day -11 12:00", encounter: { a: a, b: b, distance: 1, duration: 30 } }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: { b: { notified: true } }
`,
    );
    const b = phone(cells(res)[0]);
    expect(b.firstBrokenLink).toBe('upload');
    // The server acknowledged the upload, but the key of the contact day was not among those sent.
    expect(broken(b)?.detail).toMatch(/^the server acknowledged .*not sent/);
    expect(broken(b)?.detail).toMatch(/\d{4}-\d\d-\d\d #[0-9a-f]{8}/);
  });

  it('publish: the export batch never runs', async () => {
    const res = await run(
      'latest',
      `${HEAD('batch-never-runs')}${ANDROID}timeline:
  - { at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 30 } }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }
  - upload: { who: a }
  - check: { who: b }
expect: { b: { notified: true } }
`,
    );
    const b = phone(cells(res)[0]);
    expect(b.firstBrokenLink).toBe('publish');
    expect(broken(b)?.detail).toContain('no export batch ran after the upload');
    expect(b.links.slice(0, 3).every((l) => l.status === 'passed')).toBe(true);
  });

  it("publish: the server's export leaves the contact's key out (v3 infectious window, test DSOS > 7)", async () => {
    const res = await run(
      'cocoa-2.0',
      `${HEAD('export-excludes-key')}${ANDROID}timeline:
  - { at: "day -2 12:00", encounter: { a: a, b: b, distance: 1, duration: 30 } }
  - { at: "day -11 10:00", diagnose: { patient: a, testDate: "day -11" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: { b: { notified: true } }
`,
    );
    const b = phone(cells(res)[0]);
    expect(b.links.find((l) => l.name === 'upload')?.status).toBe('passed');
    expect(b.firstBrokenLink).toBe('publish');
    expect(broken(b)?.detail).toMatch(
      /1 of the contact's 1 key\(s\) are not in any signed export listed before the check/,
    );
  });

  it('download: the phone skips the listed file holding the key (its list.json bookkeeping is ahead)', async () => {
    // The receiver's saved "last processed" position is past every file the server will list, as
    // after a 1.x check that saved the position and then failed: real server, real files, and the
    // phone, by its own bookkeeping, never fetches the one holding the key.
    const res = await run(
      'latest',
      `${HEAD('phone-skips-file')}${ANDROID}timeline:
  - { at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 30 } }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: { b: { notified: true } }
`,
      (d) => ({
        ...d,
        createWorld: (seed) => {
          const world = d.createWorld(seed);
          return {
            encounter: (s) => world.encounter(s),
            addPhone: (p) => {
              const handle = world.addPhone(p);
              return {
                ...handle,
                uploadDiagnosis: (r) => handle.uploadDiagnosis(r),
                markProcessedUpTo: (region, created) => handle.markProcessedUpTo?.(region, created),
                detectExposures: (r) => {
                  handle.markProcessedUpTo?.(r.server.region, Date.now() + 86_400_000);
                  return handle.detectExposures(r);
                },
              };
            },
          };
        },
      }),
    );
    const b = phone(cells(res)[0]);
    expect(b.links.find((l) => l.name === 'publish')?.status).toBe('passed');
    expect(b.firstBrokenLink).toBe('download');
    expect(broken(b)?.detail).toMatch(
      /b did not fetch \d+\.zip \(batch \d+\), listed and holding the contact's key/,
    );
  });

  it('notify: a build that decides right but suppresses the notification', async () => {
    const res = await run(
      'latest',
      `${HEAD('notification-suppressed')}phones: { a: { platform: android }, b: { platform: android, app: test/e2e/fixtures/suppressed-notification-app.ts } }
timeline:
  - { at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 30 } }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: { b: { notified: true } }
`,
    );
    const b = phone(cells(res)[0]);
    expect(b.links.find((l) => l.name === 'score')?.status).toBe('passed');
    expect(b.firstBrokenLink).toBe('notify');
    expect(broken(b)?.detail).toContain('notification suppressed');
  });
});

function ichiren(args: string[]) {
  return execa('node', ['bin/ichiren.js', 'run', ...args], { cwd: root, reject: false, timeout: 180_000 });
}

describe('verdicts per receiving phone, in every reporter (CLI)', () => {
  it('reports "Android ✔, iOS ✘" for an Android phone and an iPhone that met one positive under cocoa-1.1.3', async () => {
    const file = path.join(dir, 'mixed.yaml');
    await writeFile(
      file,
      `${HEAD('mixed-receivers')}phones: { a: { platform: android }, droid: { platform: android }, iphone: { platform: ios } }
timeline:
  - { at: "day -3 12:00", encounter: { a: a, b: droid, distance: 1, duration: 30 } }
  - { at: "day -3 12:00", encounter: { a: a, b: iphone, distance: 1, duration: 30 } }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: droid }
  - check: { who: iphone }
expect: { droid: { notified: true }, iphone: { notified: true } }
`,
    );
    const reportDir = path.join(dir, 'mixed');
    const r = await ichiren([
      file,
      '--release',
      'cocoa-1.1.3',
      '--report-dir',
      reportDir,
      '--reporter',
      'terminal,json,junit,html',
    ]);
    expect(r.exitCode, r.stderr).toBe(1);
    const res = JSON.parse(await readFile(path.join(reportDir, 'results.json'), 'utf8')) as RunResult;
    expect(res.summary.verdict.map((v) => [v.platform, v.reaches])).toEqual([
      ['android', true],
      ['ios', false],
    ]);
    const [cell] = cells(res);
    expect(cell?.platform).toBe('android'); // the cell keeps its id and first phone; phones carry their own
    expect(phone(cell, 'iphone')).toMatchObject({
      platform: 'ios',
      osVersion: '13.7',
      firstBrokenLink: 'score',
    });
    expect(phone(cell, 'droid').firstBrokenLink).toBeNull();
    // Terminal: verdict lines and the per-platform table column.
    expect(r.stdout).toContain('Notifications reach Android ✔ (cocoa-1.1.3)');
    expect(r.stdout).toContain('Notifications reach iOS ✘ (cocoa-1.1.3)');
    expect(r.stdout).toMatch(/mixed-receivers\s+✔ 1\/1\s+✘ 0\/1 score/);
    // JUnit: the verdict suite.
    const junit = await readFile(path.join(reportDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(
      /<testcase name="Notifications reach Android \(cocoa-1\.1\.3\)"[^>]*>\s*<system-out>/,
    );
    expect(junit).toMatch(/<testcase name="Notifications reach iOS \(cocoa-1\.1\.3\)"[^>]*>\s*<failure/);
    // HTML: the verdict items.
    const html = await readFile(path.join(reportDir, 'index.html'), 'utf8');
    expect(html).toMatch(/data-platform="android" data-app="cocoa-1\.1\.3" data-reaches="true"/);
    expect(html).toMatch(/data-platform="ios" data-app="cocoa-1\.1\.3" data-reaches="false"/);
  });

  it('rejects notified: false without a link with exit 2, file:line:col and the fix', async () => {
    const file = path.join(dir, 'no-link.yaml');
    await writeFile(
      file,
      `${HEAD('no-link')}phones: { a: {}, b: {} }\ntimeline: [{ publish: {} }]\nexpect: { b: { notified: false } }\n`,
    );
    const r = await ichiren([file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      `${file}:6:26: expect.b.notified false must name the link expected to break: add brokenLink`,
    );
  });
});

describe('over-notification is a broken chain too (embedded stack)', () => {
  /** Every phone's app build wrapped by the audit's defect `kind` (the same one `ichiren audit` plants). */
  const withDefect =
    (kind: string) =>
    (d: RunnerDeps): RunnerDeps => {
      const decorate = KINDS[kind]?.({}, { now: Date.now }).app;
      if (!decorate) throw new Error(`${kind} plants no app defect`);
      return {
        ...d,
        createWorld: (seed) =>
          new World({
            seed,
            resolveApp: async (id) => decorate(await loadAppBuild(id)),
          }) as unknown as WorldHandle,
      };
    };

  it('fails the standard library, at score or notify on both platforms, for an app that notifies on any match', {
    timeout: 300_000,
  }, async () => {
    const res = await run(
      'latest',
      await loadScenarios(['scenarios']),
      withDefect('app-notifies-on-any-match'),
    );
    // Cells with server faults need the fault proxy this in-process run does not start: they error,
    // which is not a verdict; every failed cell is.
    const failing = cells(res)
      .filter((c) => c.status === 'failed')
      .flatMap((c) => c.phones)
      .filter((p) => p.firstBrokenLink !== null);
    expect(new Set(failing.map((p) => p.platform))).toEqual(new Set(['android', 'ios']));
    // Every phone it breaks was notified where it should not have been (expected none, or more often
    // than allowed), and broke where that got through.
    for (const p of failing) {
      expect(p.notified, p.phone).toBe(true);
      expect(['score', 'notify'], p.phone).toContain(p.firstBrokenLink);
      if (p.expectedNotified) expect(p.firstBrokenLink, p.phone).toBe('notify');
    }
    expect(failing.some((p) => !p.expectedNotified)).toBe(true);
    const far = cells(res).find((c) => c.id === 'far-or-short-contact[70,30,android,11,2]');
    const notify = far ? phone(far).links.find((l) => l.name === 'notify') : undefined;
    expect(notify?.status).toBe('failed');
    expect(notify?.detail).toMatch(
      /notification shown although the app's decision said no \(v2 score 18 < threshold 1350\)/,
    );
  });

  it('fails the repeated-check scenario at notify for an app that notifies at every check', async () => {
    const res = await run(
      'latest',
      await loadScenarios(['scenarios/over-notification.yaml']),
      withDefect('app-notifies-at-every-check'),
    );
    const repeated = cells(res).filter((c) => c.id.startsWith('repeated-checks-one-exposure'));
    expect(repeated.map((c) => c.platform).sort()).toEqual(['android', 'ios']);
    for (const c of repeated) {
      const b = phone(c);
      expect(b.notifications).toBe(3);
      expect(b.firstBrokenLink).toBe('notify');
      expect(broken(b)?.detail).toMatch(/notified 3 times .*; the scenario allows exactly 1$/);
    }
  });
});
