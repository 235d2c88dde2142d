// biome-ignore-all lint/suspicious/noTemplateCurlyInString: scenario sources use ${var} on purpose
import { describe, expect, it } from 'vitest';
import { trialsForRate } from '../runner/statistics.js';
import { cellSeed, compilePlan } from './compile.js';
import { ScenarioErrors } from './errors.js';
import { parseScenarios } from './loader.js';
import { herSysFaultScope } from './plan.js';
import { loadRelease } from './release.js';

// 2026-11-22 19:00 UTC = 2026-11-23 04:00 JST.
const NOW = Date.UTC(2026, 10, 22, 19, 0) / 1000;
const release = await loadRelease('cocoa-1.1.4');

const src = (extra = '', at = '"day -3 12:00"') => `id: s1
title: { ja: "題", en: "Title" }
purpose: { ja: "目的", en: "Purpose" }
phones: { a: {}, b: {} }
timeline:
  - { at: ${at}, encounter: { a: a, b: b, distance: 1, duration: 20 } }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1", symptomOnset: "day -2" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: { b: { notified: true } }
${extra}`;

describe('compilePlan', () => {
  it("anchors day 0 to the scenarios' now (the first 21:00 JST at or after the run's clock) and places contacts in the past", () => {
    const plan = compilePlan(parseScenarios('f.yaml', src()), { release, seed: 7, nowEpochSeconds: NOW });
    // Run at 2026-11-22 19:00 UTC: the scenarios' now is 2026-11-23 12:00 UTC = 21:00 JST.
    expect(plan.nowEpochSeconds).toBe(Date.UTC(2026, 10, 23, 12, 0) / 1000);
    expect(plan.runClockEpochSeconds).toBe(NOW);
    expect(plan.dayZero).toBe('2026-11-23');
    const cell = plan.scenarios[0]?.cells[0];
    const enc = cell?.steps[0];
    // day -3 12:00 JST = 2026-11-20 03:00 UTC
    expect(enc?.kind === 'encounter' && enc.spec.startEpochSeconds).toBe(Date.UTC(2026, 10, 20, 3, 0) / 1000);
    expect(enc?.kind === 'encounter' && enc.spec.durationSeconds).toBe(1200);
    const dx = cell?.steps[1];
    expect(dx).toMatchObject({ kind: 'diagnose', testDate: '2026-11-22', symptomOnsetDate: '2026-11-21' });
    // uploads, publishes and checks default to the scenarios' now
    expect(cell?.steps.slice(2).map((s) => s.atEpochSeconds)).toEqual(Array(3).fill(plan.nowEpochSeconds));
    expect(cell?.afterNow).toBeUndefined();
  });

  it("takes a deployed server's clock as the scenarios' now, as it stands", () => {
    const later = src().replace('  - publish: {}', '  - { at: "now +10m", publish: {} }');
    const plan = compilePlan(parseScenarios('f.yaml', later), {
      release,
      seed: 7,
      nowEpochSeconds: NOW,
      fixedClock: true,
    });
    expect(plan.nowEpochSeconds).toBe(NOW);
    // A step after now is planned (and not applicable on such a server: runner/applicability.ts).
    expect(plan.scenarios[0]?.cells[0]?.afterNow).toBeDefined();
    expect(plan.scenarios[0]?.cells[0]?.steps[3]?.atEpochSeconds).toBe(NOW + 2 * 86_400 + 600);
  });

  it('gives each cell with steps after now a now of its own, whole days apart, and times after its now', () => {
    const later = src().replace('  - publish: {}', '  - { at: "day 1 09:30", publish: {} }');
    const plan = compilePlan(parseScenarios('f.yaml', later), { release, seed: 7, nowEpochSeconds: NOW });
    const [a, b] = plan.scenarios[0]?.cells ?? [];
    expect(a?.afterNow?.nowEpochSeconds).toBe(plan.nowEpochSeconds + 2 * 86_400);
    expect(b?.afterNow?.nowEpochSeconds).toBe(plan.nowEpochSeconds + 4 * 86_400);
    // day 1 09:30 JST = 00:30 UTC the day after now's UTC day, 12 h 30 min after the cell's now
    expect(a?.steps[3]?.atEpochSeconds).toBe(plan.nowEpochSeconds + 2 * 86_400 + 12.5 * 3600);
    expect(b?.steps[3]?.atEpochSeconds).toBe(plan.nowEpochSeconds + 4 * 86_400 + 12.5 * 3600);
    expect(a?.steps[1]).toMatchObject({ kind: 'diagnose', testDate: '2026-11-24' });
    expect(b?.steps[1]).toMatchObject({ kind: 'diagnose', testDate: '2026-11-26' });
    const tooLate = src().replace('  - publish: {}', '  - { at: "day 2 09:30", publish: {} }');
    expect(() =>
      compilePlan(parseScenarios('f.yaml', tooLate), { release, seed: 7, nowEpochSeconds: NOW }),
    ).toThrow(/timeline\[3\]\.at must lie by day 1/);
  });

  it('names cells by scenario and labels; a scenario pinned to one platform without a matrix is one plain cell', () => {
    const both = compilePlan(parseScenarios('f.yaml', src()), { release, seed: 1, nowEpochSeconds: NOW });
    expect(both.scenarios[0]?.cells.map((c) => c.id)).toEqual(['s1[android]', 's1[ios]']);
    const pinned = src().replace(
      'phones: { a: {}, b: {} }',
      'phones: { a: { platform: ios }, b: { platform: ios } }',
    );
    const one = compilePlan(parseScenarios('f.yaml', pinned), { release, seed: 1, nowEpochSeconds: NOW });
    expect(one.scenarios[0]?.cells.map((c) => c.id)).toEqual(['s1']);
  });

  it("shifts day 0 back by whole days when a time of today is later than the scenarios' now", () => {
    const plan = compilePlan(parseScenarios('f.yaml', src('', '"day 0 22:00"')), {
      release,
      seed: 1,
      nowEpochSeconds: NOW,
    });
    expect(plan.dayZero).toBe('2026-11-22');
    const enc = plan.scenarios[0]?.cells[0]?.steps[0];
    expect(enc?.atEpochSeconds).toBeLessThanOrEqual(plan.nowEpochSeconds);
  });

  it('compiles the same plan at every hour of a UTC day: verdicts cannot depend on the hour', () => {
    const at = (h: number) =>
      compilePlan(parseScenarios('f.yaml', src('', '"now -45m"')), {
        release,
        seed: 1,
        nowEpochSeconds: Date.UTC(2026, 10, 22, h, 17) / 1000,
      });
    // Only the run's clock itself changes with the hour: the scenarios' now is 12:00 UTC of the day.
    const plan = (h: number) => {
      const { runClockEpochSeconds: _start, ...rest } = at(h);
      return rest;
    };
    const first = at(0);
    for (let h = 1; h < 12; h++) expect(plan(h)).toEqual(plan(0));
    // After 12:00 UTC the scenarios' now is the next day's: the same plan, one day later.
    expect(at(13).nowEpochSeconds - first.nowEpochSeconds).toBe(86_400);
    // "now -45m" stays on the current key (12:00 UTC − 45 min is the same UTC day).
    const steps = first.scenarios[0]?.cells[0]?.steps ?? [];
    const utcDay = (t: number) => Math.floor(t / 86_400);
    expect(utcDay(steps[0]?.atEpochSeconds ?? 0)).toBe(utcDay(first.nowEpochSeconds));
    // The next UTC day moves everything by exactly one day.
    const next = compilePlan(parseScenarios('f.yaml', src('', '"now -45m"')), {
      release,
      seed: 1,
      nowEpochSeconds: Date.UTC(2026, 10, 23, 5, 0) / 1000,
    });
    expect(next.nowEpochSeconds - first.nowEpochSeconds).toBe(86_400);
  });

  it('expands to both platforms by default, with phone defaults and apps from the release', () => {
    const plan = compilePlan(parseScenarios('f.yaml', src()), { release, seed: 1, nowEpochSeconds: NOW });
    const cells = plan.scenarios[0]?.cells ?? [];
    expect(cells.map((c) => c.id)).toEqual(['s1[android]', 's1[ios]']);
    expect(cells[0]?.phones[1]).toEqual({
      id: 'b',
      platform: 'android',
      osVersion: '10',
      enVersion: 1,
      model: 'Pixel 4',
      app: 'cocoa-1.1.4',
      backgroundCheckRuns: true,
      clockSkewSeconds: 0,
    });
    expect(cells[1]?.platform).toBe('ios');
  });

  it('gives every cell its own stable seed', () => {
    const a = compilePlan(parseScenarios('f.yaml', src()), { release, seed: 1, nowEpochSeconds: NOW });
    const b = compilePlan(parseScenarios('f.yaml', src()), { release, seed: 1, nowEpochSeconds: NOW + 100 });
    const seeds = a.scenarios[0]?.cells.map((c) => c.seed);
    expect(new Set(seeds).size).toBe(2);
    expect(b.scenarios[0]?.cells.map((c) => c.seed)).toEqual(seeds);
    expect(cellSeed(2, 's1[android]')).not.toBe(cellSeed(1, 's1[android]'));
  });

  it('filters by --platform and --grep and overrides the app with --app', () => {
    const plan = compilePlan(parseScenarios('f.yaml', src()), {
      release,
      seed: 1,
      nowEpochSeconds: NOW,
      platforms: ['ios'],
      app: 'vendor.js',
    });
    expect(plan.scenarios[0]?.cells.map((c) => [c.id, c.app])).toEqual([['s1[ios]', 'vendor.js']]);
    const none = compilePlan(parseScenarios('f.yaml', src()), {
      release,
      seed: 1,
      nowEpochSeconds: NOW,
      grep: /nomatch/,
    });
    expect(none.scenarios).toHaveLength(0);
  });

  it('marks cells with HER-SYS faults or expired numbers exclusive and sweep cells with their point', () => {
    const s = src('matrix:\n  cases: [{ d: 1, t: 20 }]\n')
      .replace('distance: 1, duration: 20', 'distance: "${d}", duration: "${t}"')
      .replace('  - upload: { who: a }', '  - fault: { hersys: down }\n  - upload: { who: a }');
    const plan = compilePlan(
      parseScenarios(
        'f.yaml',
        s
          .replace('"${d}"', '"${distance}"')
          .replace('"${t}"', '"${duration}"')
          .replace('{ d: 1, t: 20 }', '{ distance: 1, duration: 20 }'),
      ),
      { release, seed: 1, nowEpochSeconds: NOW },
    );
    const cell = plan.scenarios[0]?.cells[0];
    expect(cell?.exclusive).toBe(true);
    expect(cell?.sweep).toEqual({ distanceM: 1, durationMin: 20 });
  });

  it("sets a HER-SYS fault for the cell's own numbers where it can, else holds HER-SYS alone", () => {
    const cellOf = (faulted: string) => {
      const plan = compilePlan(parseScenarios('f.yaml', src().replace('  - upload: { who: a }', faulted)), {
        release,
        seed: 1,
        nowEpochSeconds: NOW,
      });
      const cell = plan.scenarios[0]?.cells[0];
      const faults = cell?.steps.flatMap((s) => (s.kind === 'fault' ? [`${s.fault}:${s.scope}`] : []));
      return { exclusive: cell?.exclusive, faults };
    };
    const upload = '  - upload: { who: a }';
    // After the number is issued: every number the cell may enter is known.
    expect(cellOf(`  - fault: { hersys: 5xx, calls: 1 }\n${upload}\n  - fault: { hersys: clear }`)).toEqual({
      exclusive: false,
      faults: ['5xx:cell', 'clear:cell'],
    });
    // down closes the port to everyone.
    expect(cellOf(`  - fault: { hersys: down }\n${upload}\n  - fault: { hersys: clear }`)).toEqual({
      exclusive: true,
      faults: ['down:stub', 'clear:stub'],
    });
  });

  it('holds HER-SYS alone for a fault set before a number is issued', () => {
    expect(
      herSysFaultScope(
        [
          { kind: 'fault', fault: 'timeout' },
          { kind: 'diagnose' },
          { kind: 'upload' },
          { kind: 'fault', fault: 'clear' },
          { kind: 'fault', fault: 'latency' },
          { kind: 'fault', fault: 'clear' },
        ],
        0,
      ),
    ).toBe('stub');
    const steps = [
      { kind: 'fault', fault: 'clear' },
      { kind: 'fault', fault: 'timeout' },
      { kind: 'diagnose' },
      { kind: 'fault', fault: 'clear' },
      { kind: 'fault', fault: 'latency' },
      { kind: 'fault', fault: 'clear' },
    ];
    const faults = [0, 1, 3, 4, 5];
    expect(faults.map((i) => `${steps[i]?.fault}:${herSysFaultScope(steps, i)}`)).toEqual([
      'clear:stub',
      'timeout:stub',
      'clear:stub',
      'latency:cell',
      'clear:cell',
    ]);
  });

  it('rejects contacts outside the 14-day key window and uploads by undiagnosed phones', () => {
    const bad = src('', '"day -14 12:00"').replace('upload: { who: a }', 'upload: { who: b }');
    try {
      compilePlan(parseScenarios('f.yaml', bad), { release, seed: 1, nowEpochSeconds: NOW });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioErrors);
      const msgs = (e as ScenarioErrors).errors.map((x) => x.message);
      expect(msgs).toContain(
        "f.yaml:1:1: s1 timeline[0].at must be within the server's 14-day key window (day -13 or later)",
      );
      expect(msgs).toContain(
        'f.yaml:1:1: s1 timeline[2].upload.who must be a phone diagnosed earlier in the timeline ("b" is not)',
      );
    }
  });
});

describe('exact radio and trials', () => {
  const exact = (encounter: string, extra = '') => `id: e1
title: { ja: "題", en: "Title" }
purpose: { ja: "目的", en: "Purpose" }
phones: { a: {}, b: {} }
timeline:
  - { at: "day -3 12:00", encounter: ${encounter} }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
${extra}`;

  it('turns an attenuation held for a duration into one scripted scan per interval', () => {
    const plan = compilePlan(
      parseScenarios(
        'f.yaml',
        exact('{ a: a, b: b, attenuation: 63, duration: 20 }', 'expect: { b: { notified: true } }'),
      ),
      { release, seed: 1, nowEpochSeconds: NOW },
    );
    const enc = plan.scenarios[0]?.cells[0]?.steps[0];
    expect(enc?.kind === 'encounter' && enc.spec.scripted).toEqual({
      attenuationsDb: [63, 63, 63, 63],
      scanIntervalSeconds: 300,
    });
  });

  it('takes a list of per-scan attenuations (or "40, 40, 55") and derives the duration', () => {
    for (const att of ['[40, 40, 55]', '"40, 40, 55"']) {
      const plan = compilePlan(
        parseScenarios(
          'f.yaml',
          exact(
            `{ a: a, b: b, attenuation: ${att}, scanInterval: 240 }`,
            'expect: { b: { notified: true } }',
          ),
        ),
        { release, seed: 1, nowEpochSeconds: NOW },
      );
      const enc = plan.scenarios[0]?.cells[0]?.steps[0];
      expect(enc?.kind === 'encounter' && enc.spec).toMatchObject({
        durationSeconds: 720,
        scripted: { attenuationsDb: [40, 40, 55], scanIntervalSeconds: 240 },
      });
    }
  });

  it('rejects an encounter with both or neither of distance and attenuation, with file:line', () => {
    expect(() =>
      parseScenarios(
        'f.yaml',
        exact(
          '{ a: a, b: b, distance: 1, attenuation: 50, duration: 20 }',
          'expect: { b: { notified: true } }',
        ),
      ),
    ).toThrow(/f\.yaml:6:\d+: timeline\[0\]\.encounter\.distance or attenuation must be given, not both/);
    expect(() =>
      parseScenarios(
        'f.yaml',
        exact('{ a: a, b: b, attenuation: [50, 50], duration: 20 }', 'expect: { b: { notified: true } }'),
      ),
    ).toThrow(/encounter\.duration must be left out with a list of attenuations/);
  });

  it('runs each cell `trials` times with derived seeds and records rate expectations as "any"', () => {
    const plan = compilePlan(
      parseScenarios(
        'f.yaml',
        exact(
          '{ a: a, b: b, distance: 1, duration: 30 }',
          'trials: 3\ndifferential: platform\nexpect: { b: { notified: { rate: ">= 0.9" } } }',
        ),
      ),
      { release, seed: 1, nowEpochSeconds: NOW },
    );
    const s = plan.scenarios[0];
    expect(s?.cells.map((c) => c.id)).toEqual([
      'e1[android]#1',
      'e1[android]#2',
      'e1[android]#3',
      'e1[ios]#1',
      'e1[ios]#2',
      'e1[ios]#3',
    ]);
    expect(new Set(s?.cells.map((c) => c.seed)).size).toBe(6);
    expect(s?.cells[0]?.expectations[0]?.notified).toBe('any');
    expect(s?.statistics).toEqual({
      trials: 3,
      interval: 'clopper-pearson',
      rates: [{ phone: 'b', bound: '>= 0.9' }],
      differential: 'platform',
    });
  });

  it("sizes trials: auto for 95 % power at the family level over the plan's tests", () => {
    const plan = compilePlan(
      parseScenarios(
        'f.yaml',
        exact(
          '{ a: a, b: b, distance: 1, duration: 30 }',
          'trials: auto\nstatistics: { gap: 0.5 }\nexpect: { b: { notified: { rate: ">= 0.9" } } }',
        ),
      ),
      { release, seed: 1, nowEpochSeconds: NOW },
    );
    const s = plan.scenarios[0];
    // Two tests (b on Android, b on iOS) at 1 % / 2: the exact sizing of a gap of 0.5 below 0.9.
    const n = trialsForRate({ op: '>=', value: 0.9 }, 0.5, 0.005) as number;
    expect(s?.statistics).toMatchObject({ trials: n, gap: 0.5, auto: { level: 0.005, tests: 2 } });
    expect(s?.cells).toHaveLength(2 * n);
    expect(s?.cells.at(-1)?.id).toBe(`e1[ios]#${n}`);
    expect(s?.cells.at(-1)?.trial).toEqual({ index: n, of: n, baseId: 'e1[ios]' });
    expect(new Set(s?.cells.map((c) => c.seed)).size).toBe(2 * n);
  });

  it('asks trials: auto for its gap, and refuses a scenario α (the run holds the error rate)', () => {
    expect(() =>
      parseScenarios(
        'f.yaml',
        exact(
          '{ a: a, b: b, distance: 1, duration: 30 }',
          'trials: auto\nexpect: { b: { notified: { rate: ">= 0.9" } } }',
        ),
      ),
    ).toThrow(/statistics\.gap must state the gap trials: auto must detect/);
    expect(() =>
      parseScenarios(
        'f.yaml',
        exact(
          '{ a: a, b: b, distance: 1, duration: 30 }',
          'trials: 5\nstatistics: { alpha: 0.05 }\nexpect: { b: { notified: { rate: ">= 0.9" } } }',
        ),
      ),
    ).toThrow(/statistics\.alpha is set by the run, not the scenario/);
  });

  it('requires trials for rates, and a valid bound', () => {
    expect(() =>
      parseScenarios(
        'f.yaml',
        exact('{ a: a, b: b, distance: 1, duration: 30 }', 'expect: { b: { notified: { rate: ">= 0.9" } } }'),
      ),
    ).toThrow(/trials must be at least 2 or "auto" for rate or differential expectations/);
    expect(() =>
      parseScenarios(
        'f.yaml',
        exact(
          '{ a: a, b: b, distance: 1, duration: 30 }',
          'trials: 5\nexpect: { b: { notified: { rate: "about 0.9" } } }',
        ),
      ),
    ).toThrow(/expect\.b\.notified\.rate must be a bound like ">= 0.9"/);
  });

  it('plans sender expectations and retries; a retry needs an earlier upload by the same phone', () => {
    const text = src().replace(
      'expect: { b: { notified: true } }',
      'expect: { a: { upload: [retryable, accepted] }, b: { notified: true } }',
    );
    const withRetry = text.replace(
      '  - publish: {}',
      '  - upload: { who: a, retry: if-retryable }\n  - publish: {}',
    );
    const cell = compilePlan(parseScenarios('f.yaml', withRetry), { release, seed: 7, nowEpochSeconds: NOW })
      .scenarios[0]?.cells[0];
    expect(cell?.expectations.map((e) => [e.phone, e.notified, e.upload])).toEqual([
      ['a', 'any', ['retryable', 'accepted']],
      ['b', true, undefined],
    ]);
    // The cell's platform is its receiver's even when a sender is listed first.
    expect(cell?.platform).toBe(cell?.phones.find((p) => p.id === 'b')?.platform);
    expect(
      cell?.steps.filter((st) => st.kind === 'upload').map((st) => st.kind === 'upload' && st.retry),
    ).toEqual([undefined, 'if-retryable']);
    const early = text.replace('  - upload: { who: a }', '  - upload: { who: a, retry: if-retryable }');
    expect(() =>
      compilePlan(parseScenarios('f.yaml', early), { release, seed: 7, nowEpochSeconds: NOW }),
    ).toThrow(/upload\.retry must follow an earlier upload by "a"/);
  });
});
