import { describe, expect, it } from 'vitest';
import { COCOA_1_1_4, COCOA_1_2_2, loadAppBuild } from '../devices/apps/index.js';
import { compilePlan, loadRelease, parseScenarios } from '../scenario/index.js';
import { selectApplicable } from './applicability.js';

const NOW = Date.UTC(2026, 10, 22, 19, 0) / 1000;
const scenario = (requires: string) => `id: s1
title: { ja: "題", en: "Title" }
purpose: { ja: "目的", en: "Purpose" }
${requires}
phones: { a: {}, b: {} }
timeline:
  - { at: "day -3 12:00", encounter: { a: a, b: b, distance: 1, duration: 20 } }
  - { at: "day -1 10:00", diagnose: { patient: a, testDate: "day -1" } }
  - upload: { who: a }
  - publish: {}
  - check: { who: b }
expect: { b: { notified: false, brokenLink: match } }
`;
const plan = async (release: string, requires = 'requires: [infectious-period-keys-only]') =>
  compilePlan(parseScenarios('f.yaml', scenario(requires)), {
    release: await loadRelease(release),
    seed: 1,
    nowEpochSeconds: NOW,
  });

describe('selectApplicable', () => {
  it('drops the cells of a scenario whose required trait the app lacks, and says why', async () => {
    const { plan: p, notApplicable } = await selectApplicable(await plan('cocoa-1.1.4'), loadAppBuild);
    expect(p.scenarios).toHaveLength(0);
    expect(notApplicable.map((n) => [n.cell, n.app, n.missing])).toEqual([
      ['s1[android]', 'cocoa-1.1.4', ['infectious-period-keys-only']],
      ['s1[ios]', 'cocoa-1.1.4', ['infectious-period-keys-only']],
    ]);
  });

  it("keeps them when every phone's app has the trait", async () => {
    const { plan: p, notApplicable } = await selectApplicable(await plan('cocoa-1.2.2'), loadAppBuild);
    expect(p.scenarios[0]?.cells.map((c) => c.id)).toEqual(['s1[android]', 's1[ios]']);
    expect(notApplicable).toEqual([]);
    expect(COCOA_1_2_2.traits).toContain('infectious-period-keys-only');
    expect(COCOA_1_1_4.traits ?? []).not.toContain('infectious-period-keys-only');
  });

  it('keeps every cell of a scenario without requirements', async () => {
    const { plan: p } = await selectApplicable(await plan('cocoa-1.1.4', ''), loadAppBuild);
    expect(p.scenarios[0]?.cells).toHaveLength(2);
  });

  it('drops, on a server without cells or a movable clock, the cells that need them (url target)', async () => {
    const isolated = await plan('latest', 'requires: [isolated-server]');
    expect((await selectApplicable(isolated, loadAppBuild)).notApplicable).toEqual([]);
    const shared = await selectApplicable(isolated, loadAppBuild, []);
    expect(shared.plan.scenarios).toHaveLength(0);
    expect(shared.notApplicable.map((n) => [n.cell, n.app, n.missing])).toEqual([
      ['s1[android]', 'server', ['isolated-server']],
      ['s1[ios]', 'server', ['isolated-server']],
    ]);
    const later = compilePlan(
      parseScenarios(
        'f.yaml',
        scenario('').replace('  - publish: {}', '  - { at: "now +10m", publish: {} }'),
      ),
      { release: await loadRelease('latest'), seed: 1, nowEpochSeconds: NOW, fixedClock: true },
    );
    expect((await selectApplicable(later, loadAppBuild, [])).notApplicable.map((n) => n.missing)).toEqual([
      ['movable-clock'],
      ['movable-clock'],
    ]);
    expect((await selectApplicable(later, loadAppBuild)).notApplicable).toEqual([]);
  });

  it('fails on an unknown app build before anything runs', async () => {
    const p = compilePlan(parseScenarios('f.yaml', scenario('')), {
      release: await loadRelease('cocoa-1.2.2'),
      seed: 1,
      nowEpochSeconds: NOW,
      app: 'cocoa-9.9',
    });
    await expect(selectApplicable(p, loadAppBuild)).rejects.toThrow(/unknown app build "cocoa-9.9"/);
  });

  it('rejects an unknown trait in a scenario with its file and line', () => {
    expect(() => parseScenarios('f.yaml', scenario('requires: [telepathy]'))).toThrow(
      /f\.yaml:4:\d+.*requires.*must be an app trait/s,
    );
  });
});
