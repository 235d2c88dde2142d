// biome-ignore-all lint/suspicious/noTemplateCurlyInString: scenario sources use ${var} on purpose
import { describe, expect, it } from 'vitest';
import { cellSeed, compilePlan } from './compile.js';
import { ScenarioErrors } from './errors.js';
import { parseScenarios } from './loader.js';
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
  it('anchors day 0 to today in JST and places contacts in the past', () => {
    const plan = compilePlan(parseScenarios('f.yaml', src()), { release, seed: 7, nowEpochSeconds: NOW });
    expect(plan.dayZero).toBe('2026-11-23');
    const cell = plan.scenarios[0]?.cells[0];
    const enc = cell?.steps[0];
    // day -3 12:00 JST = 2026-11-20 03:00 UTC
    expect(enc?.kind === 'encounter' && enc.spec.startEpochSeconds).toBe(Date.UTC(2026, 10, 20, 3, 0) / 1000);
    expect(enc?.kind === 'encounter' && enc.spec.durationSeconds).toBe(1200);
    const dx = cell?.steps[1];
    expect(dx).toMatchObject({ kind: 'diagnose', testDate: '2026-11-22', symptomOnsetDate: '2026-11-21' });
    // uploads, publishes and checks default to real now
    expect(cell?.steps.slice(2).map((s) => s.atEpochSeconds)).toEqual([NOW, NOW, NOW]);
  });

  it('shifts day 0 back by whole days when a time of today is still in the future', () => {
    const plan = compilePlan(parseScenarios('f.yaml', src('', '"day 0 10:00"')), {
      release,
      seed: 1,
      nowEpochSeconds: NOW,
    });
    expect(plan.dayZero).toBe('2026-11-22');
    const enc = plan.scenarios[0]?.cells[0]?.steps[0];
    expect(enc?.atEpochSeconds).toBeLessThanOrEqual(NOW);
  });

  it('keeps a "now -45m" contact in the upload\'s UTC key day when run just after 00:00 UTC', () => {
    const justAfterMidnight = Date.UTC(2026, 10, 23, 0, 20) / 1000;
    const plan = compilePlan(parseScenarios('f.yaml', src('', '"now -45m"')), {
      release,
      seed: 1,
      nowEpochSeconds: justAfterMidnight,
    });
    const steps = plan.scenarios[0]?.cells[0]?.steps ?? [];
    const utcDay = (t: number) => Math.floor(t / 86_400);
    expect(utcDay(steps[0]?.atEpochSeconds ?? 0)).toBe(utcDay(steps[2]?.atEpochSeconds ?? 0));
    expect(plan.clockLagSeconds).toBe(21 * 60);
    // Later in the day the phones' clock is real time.
    const noon = compilePlan(parseScenarios('f.yaml', src('', '"now -45m"')), {
      release,
      seed: 1,
      nowEpochSeconds: NOW,
    });
    expect(noon.clockLagSeconds).toBe(0);
    expect(noon.nowEpochSeconds).toBe(NOW);
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
