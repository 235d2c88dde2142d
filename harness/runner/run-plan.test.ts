// biome-ignore-all lint/suspicious/noTemplateCurlyInString: scenario sources use ${var} on purpose
import { describe, expect, it } from 'vitest';
import { runResultSchema } from '../report/schema.js';
import { compilePlan } from '../scenario/compile.js';
import { parseScenarios } from '../scenario/loader.js';
import { loadRelease } from '../scenario/release.js';
import type { StartedStack } from '../stack/types.js';
import type { HerSysControl, PhoneHandle, RunnerDeps } from './deps.js';
import { interruptedBeforeStart, runPlan } from './run-plan.js';
import { contactEvidence, detectionEvidence, listing, uploadEvidence } from './testing.js';

const NOW = Date.UTC(2026, 10, 22, 19, 0) / 1000;
// A 1.x release: the fake phones below return EN v1 evidence.
const release = await loadRelease('cocoa-1.2.2');
const SCENARIO = (id: string, extra = '') => `id: ${id}
title: { ja: "題", en: "Title" }
purpose: { ja: "目的", en: "Purpose" }
phones: { a: {}, b: {} }
timeline:
  - { at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 20 } }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }
${extra}  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: { b: { notified: true } }
`;

const metadata = {
  ichirenVersion: '0',
  seed: 1,
  release: 'latest',
  target: { kind: 'embedded' as const, detail: 'fake' },
  apps: { android: 'x', ios: 'x' },
  node: 'v20',
  platform: 'linux',
  command: 'ichiren run',
};

/** Fake parts: Android receivers score 8 < 21 (the 1.1.4 shape), iOS 28. */
function fakeDeps(over: { publish?: () => Promise<never> } = {}) {
  const log: string[] = [];
  const hersys: HerSysControl = {
    registerPatient: async () => {
      log.push('hersys:register');
      await new Promise((r) => setTimeout(r, 5));
      return { processingNumber: '12345678' };
    },
    revoke: async () => ({}),
    setFault: async () => void log.push('fault:set'),
    clearFault: async () => void log.push('fault:clear'),
    setNumberFault: async (f) => void log.push(`fault:set-numbers ${f.numbers.join(',')}`),
    clearNumberFaults: async (numbers) => void log.push(`fault:clear-numbers ${numbers.join(',')}`),
    clock: async () => ({ offsetMs: 0, now: new Date().toISOString() }),
    setClockOffset: async () => ({}),
  };
  const stack = {
    target: 'embedded',
    clock: { now: () => NOW * 1000, movable: true, moveTo: async () => {} },
    server: {} as StartedStack['server'],
    hersys: { url: 'http://127.0.0.1:1', controlToken: 't' },
    publish: over.publish ?? (async () => ({ ok: true, files: [], detail: 'ok' })),
    logs: () => [],
    stop: async () => {},
    [Symbol.asyncDispose]: async () => {},
  } as StartedStack;
  const deps: RunnerDeps = {
    stack,
    hersys,
    now: () => NOW,
    observeExports: async () => listing(),
    createWorld: () => {
      const platforms = new Map<string, string>();
      return {
        addPhone: (p) => {
          platforms.set(p.id, p.platform);
          return {
            uploadDiagnosis: async () => {
              log.push('hersys:upload');
              await new Promise((r) => setTimeout(r, 5));
              return uploadEvidence(true);
            },
            detectExposures: async () => {
              log.push('check');
              await new Promise((r) => setTimeout(r, 5));
              return detectionEvidence({ score: platforms.get(p.id) === 'android' ? 8 : 28 });
            },
          };
        },
        encounter: (s) => contactEvidence(s.a, s.b),
      };
    },
  };
  return { deps, log };
}

type Check = ReturnType<PhoneHandle['detectExposures']>;

/** Wraps every phone's check in `around`; `onPhone` hears each phone made (a cell's world: its seed). */
function wrapChecks(
  deps: RunnerDeps,
  around: (check: () => Check, seed: number) => Check,
  onPhone: (seed: number) => void = () => {},
) {
  const world = deps.createWorld;
  deps.createWorld = (seed) => {
    const w = world(seed);
    return {
      ...w,
      addPhone: (p) => {
        const phone = w.addPhone(p);
        onPhone(seed);
        return { ...phone, detectExposures: (request) => around(() => phone.detectExposures(request), seed) };
      },
    };
  };
}

function plan(src: string) {
  return compilePlan(parseScenarios('f.yaml', src), { release, seed: 1, nowEpochSeconds: NOW });
}

describe('runPlan', () => {
  it('runs every cell and builds the verdict per platform x app', async () => {
    const { deps } = fakeDeps();
    const ended: string[] = [];
    const result = await runPlan(plan(SCENARIO('s1')), deps, {
      workers: 2,
      stepTimeoutMs: 1000,
      metadata,
      hooks: { onCellEnd: (_s, c) => void ended.push(c.id) },
    });
    expect(result.status).toBe('failed');
    expect(ended.sort()).toEqual(['s1[android]', 's1[ios]']);
    const [android, ios] = result.scenarios[0]?.cells ?? [];
    expect(android?.status).toBe('failed');
    expect(android?.firstBrokenLink).toBe('score');
    expect(android?.errors[0]).toMatch(/^b \(android, cocoa-1\.2\.2\): expected a notification; score broke/);
    expect(ios?.status).toBe('passed');
    expect(result.summary).toMatchObject({ scenarios: 1, cells: 2, passed: 1, failed: 1 });
    expect(result.summary.verdict).toEqual([
      { platform: 'android', app: 'cocoa-1.2.2', passed: 0, failed: 1, reaches: false, outcome: 'broken' },
      { platform: 'ios', app: 'cocoa-1.2.2', passed: 1, failed: 0, reaches: true, outcome: 'reaches' },
    ]);
    expect(ios?.timeline.map((e) => e.kind)).toEqual([
      'encounter',
      'diagnosis',
      'upload',
      'publish',
      'check',
    ]);
  });

  it('takes the results it is handed as they are: those cells make no world and no call', async () => {
    const { deps, log } = fakeDeps();
    const first = await runPlan(plan(SCENARIO('s1')), deps, { workers: 2, stepTimeoutMs: 1000, metadata });
    const android = first.scenarios[0]?.cells[0];
    if (!android) throw new Error('no cell');
    const seeds: number[] = [];
    wrapChecks(
      deps,
      (check) => check(),
      (seed) => seeds.push(seed),
    );
    log.length = 0;
    const again = await runPlan(plan(SCENARIO('s1')), deps, {
      workers: 2,
      stepTimeoutMs: 1000,
      metadata,
      reuse: new Map([[android.id, android]]),
    });
    // Only the iOS cell ran (its two phones); Android's earlier result stands in the verdict.
    expect(seeds).toHaveLength(2);
    expect(log.filter((l) => l === 'check')).toHaveLength(1);
    expect(again.scenarios[0]?.cells[0]).toBe(android);
    expect(again.summary).toMatchObject({ cells: 2, passed: 1, failed: 1 });
  });

  it("produces a RunResult that satisfies the reporters' schema, sweep included", async () => {
    const { deps } = fakeDeps();
    const sweep = SCENARIO('sw').replace(
      'distance: 1, duration: 20',
      'distance: "${distance}", duration: "${duration}"',
    );
    const result = await runPlan(
      plan(`${sweep}matrix:\n  cases: [{ distance: 1, duration: 20 }, { distance: 5, duration: 30 }]\n`),
      deps,
      { workers: 2, stepTimeoutMs: 1000, metadata },
    );
    expect(result.scenarios[0]?.sweep).toHaveLength(4);
    expect(result.scenarios[0]?.sweep?.[0]).toMatchObject({ distanceM: 1, durationMin: 20 });
    const parsed = runResultSchema.safeParse(JSON.parse(JSON.stringify(result)));
    expect(parsed.success, JSON.stringify(parsed.error?.issues?.slice(0, 3))).toBe(true);
  });

  it('times a hung step out as the cell status, not the run', async () => {
    const { deps } = fakeDeps({ publish: () => new Promise<never>(() => {}) });
    const result = await runPlan(plan(SCENARIO('s1')), deps, { workers: 2, stepTimeoutMs: 50, metadata });
    expect(result.scenarios[0]?.cells.map((c) => c.status)).toEqual(['timedout', 'timedout']);
    expect(result.scenarios[0]?.cells[0]?.errors[0]).toBe('s1[android] publish did not finish within 50 ms');
    expect(result.status).toBe('timedout');
  });

  it('gives a publish step its own, longer deadline (a url target waits for the server batch)', async () => {
    const slowPublish = () =>
      new Promise<never>((resolve) =>
        setTimeout(() => (resolve as (v: unknown) => void)({ ok: true, files: [], detail: 'late' }), 150),
      );
    const { deps } = fakeDeps({ publish: slowPublish });
    const cut = await runPlan(plan(SCENARIO('s1')), deps, { workers: 2, stepTimeoutMs: 50, metadata });
    expect(cut.scenarios[0]?.cells[0]?.errors[0]).toBe('s1[android] publish did not finish within 50 ms');
    const waited = await runPlan(plan(SCENARIO('s1')), deps, {
      workers: 2,
      stepTimeoutMs: 50,
      publishTimeoutMs: 2000,
      metadata,
    });
    expect(waited.scenarios[0]?.cells.map((c) => c.status)).not.toContain('timedout');
  });

  it('runs a cell with a stub-wide HER-SYS fault holding HER-SYS alone, beside the others, and clears the fault', async () => {
    const { deps, log } = fakeDeps();
    const faults = ['down', 'down'].map((f, n) => SCENARIO(`f${n}`, `  - fault: { hersys: ${f} }\n`));
    const others = ['s1', 's2', 's3', 's4'].map((id) => SCENARIO(id));
    const result = await runPlan(plan([...faults, ...others].join('---\n')), deps, {
      workers: 4,
      stepTimeoutMs: 1000,
      metadata,
    });
    expect(result.scenarios.map((x) => x.id)).toEqual(['f0', 'f1', 's1', 's2', 's3', 's4']);
    // Each fault window (set … clear) holds exactly its own cell's one upload: no other cell reaches
    // HER-SYS meanwhile.
    const windows = log.flatMap((x, i) => (x === 'fault:set' ? [i] : []));
    expect(windows).toHaveLength(4);
    for (const i of windows) {
      const j = log.indexOf('fault:clear', i);
      expect(j).toBeGreaterThan(i);
      expect(log.slice(i, j).filter((x) => x.startsWith('hersys:'))).toEqual(['hersys:upload']);
      expect(log.slice(i + 1, j)).not.toContain('fault:set');
    }
    // The other cells ran beside the fault cells, not all before them: checks after the first fault
    // are more than the fault cells' own four.
    expect(log.slice(windows[0]).filter((x) => x === 'check').length).toBeGreaterThan(4);
  });

  it("sets a fault for a cell's own numbers without holding HER-SYS, and clears it when the cell ends", async () => {
    const { deps, log } = fakeDeps();
    const faults = ['5xx', '"429"', 'malformed'].map((f, n) =>
      SCENARIO(`f${n}`, `  - fault: { hersys: ${f}, calls: 1 }\n`),
    );
    const others = ['s1', 's2', 's3'].map((id) => SCENARIO(id));
    await runPlan(plan([...faults, ...others].join('---\n')), deps, {
      workers: 4,
      stepTimeoutMs: 1000,
      metadata,
    });
    expect(log).not.toContain('fault:set');
    const sets = log.filter((x) => x.startsWith('fault:set-numbers'));
    // One per cell (three scenarios on two platforms): the issued number, that number mistyped, and
    // the number typed with none issued (this fake issues 12345678 to everyone).
    expect(sets).toHaveLength(6);
    for (const x of sets) expect(x).toMatch(/^fault:set-numbers 12345678,12345679,\d{8}$/);
    expect(log.filter((x) => x.startsWith('fault:clear-numbers'))).toHaveLength(6);
    // Fault cells did not wait for each other: the first four were in flight at once (four workers).
    const first = log.findIndex((x) => x.startsWith('fault:set-numbers'));
    const setsBeforeFirstClear = log
      .slice(
        first,
        log.findIndex((x) => x.startsWith('fault:clear-numbers')),
      )
      .filter((x) => x.startsWith('fault:set-numbers'));
    expect(setsBeforeFirstClear).toHaveLength(4);
  });

  it('lets HER-SYS go once a fault cell has cleared its fault: its publish and check run beside the others', async () => {
    const { deps, log } = fakeDeps();
    // Every check takes a while: long enough for other cells' uploads to fit inside one.
    wrapChecks(deps, async (check) => {
      const evidence = await check();
      await new Promise((r) => setTimeout(r, 100));
      log.push('check-end');
      return evidence;
    });
    const fault = SCENARIO('f0', '  - fault: { hersys: down }\n');
    await runPlan(plan([fault, SCENARIO('s1')].join('---\n')), deps, {
      workers: 4,
      stepTimeoutMs: 1000,
      metadata,
    });
    const firstCheckEnd = log.indexOf('check-end');
    // The first check to end is the first fault cell's (it started first, alone with HER-SYS); the
    // other cells uploaded while it checked, not after the whole fault cell.
    expect(log.indexOf('fault:clear')).toBeLessThan(log.indexOf('check'));
    expect(log.slice(0, firstCheckEnd).filter((x) => x === 'hersys:upload').length).toBeGreaterThan(1);
  });

  it('runs cells that mostly wait (server latency) beside the workers, not in their places', async () => {
    const { deps } = fakeDeps();
    const inFlight = new Set<string>();
    let most = 0;
    // Each cell is in flight from its first phone until its check ends.
    wrapChecks(
      deps,
      async (check, seed) => {
        await new Promise((r) => setTimeout(r, 30));
        try {
          return await check();
        } finally {
          inFlight.delete(`${seed}`);
        }
      },
      (seed) => {
        inFlight.add(`${seed}`);
        most = Math.max(most, inFlight.size);
      },
    );
    deps.serverFaults = { endpoints: (s) => s, setFault: () => {}, clearFault: () => {} };
    const slow = SCENARIO('slow', '  - fault: { server: latency, latencyMs: 250, calls: 1 }\n');
    const result = await runPlan(plan(`${slow}---\n${SCENARIO('busy')}`), deps, {
      workers: 1,
      stepTimeoutMs: 1000,
      metadata,
    });
    expect(result.scenarios.map((s) => s.id)).toEqual(['slow', 'busy']); // the plan's order
    expect(most).toBe(2); // one busy cell and one waiting cell at a time, with a single worker
  });

  it('stops starting cells when aborted and reports "interrupted"', async () => {
    const { deps } = fakeDeps();
    const controller = new AbortController();
    controller.abort();
    const result = await runPlan(plan(SCENARIO('s1')), deps, {
      workers: 1,
      stepTimeoutMs: 1000,
      metadata,
      signal: controller.signal,
    });
    expect(result.status).toBe('interrupted');
    expect(result.summary.cells).toBe(0);
    expect(result.notRun?.map((c) => [c.id, c.reason])).toEqual([
      ['s1[android]', 'not-started'],
      ['s1[ios]', 'not-started'],
    ]);
    expect(result.summary.verdict.map((v) => v.outcome)).toEqual(['not-finished', 'not-finished']);
    expect(runResultSchema.safeParse(JSON.parse(JSON.stringify(result))).success).toBe(true);
  });

  it('lists a cell cut short by the interrupt as not run, never as failed', async () => {
    const controller = new AbortController();
    const { deps } = fakeDeps({
      publish: () => {
        setTimeout(() => controller.abort(), 10);
        return new Promise<never>(() => {});
      },
    });
    const result = await runPlan(plan(SCENARIO('s1')), deps, {
      workers: 2,
      stepTimeoutMs: 5000,
      metadata,
      signal: controller.signal,
    });
    expect(result.status).toBe('interrupted');
    expect(result.scenarios).toEqual([]);
    expect(result.notRun?.map((c) => c.reason)).toEqual(['cut-short', 'cut-short']);
  });

  it('builds an interrupted result listing every cell when the run never started', () => {
    const result = interruptedBeforeStart(plan(SCENARIO('s1')), { startedAt: new Date(), metadata });
    expect(result.status).toBe('interrupted');
    expect(result.notRun).toHaveLength(2);
    expect(runResultSchema.safeParse(JSON.parse(JSON.stringify(result))).success).toBe(true);
  });
});
