/**
 * The standard cases built from the real scenario library and catalog: every scenario is a case with
 * the links its expectations check, and catches come only from the audit result given.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditResult, MutantOutcome } from '../audit/audit.js';
import { loadCatalog } from '../audit/catalog.js';
import { CHAIN_LINKS } from '../runner/results.js';
import { compilePlan, loadRelease, loadScenarios } from '../scenario/index.js';
import { buildCaseBook, type CaseBook, linksChecked, scenarioOfCell } from './model.js';

const NOW = Date.UTC(2026, 11, 1, 3) / 1000;
let plan: Awaited<ReturnType<typeof compilePlan>>;
let catalog: Awaited<ReturnType<typeof loadCatalog>>;
let library: string[];

beforeAll(async () => {
  const scenarios = await loadScenarios(['scenarios']);
  library = scenarios.map((s) => s.id);
  plan = compilePlan(scenarios, { release: await loadRelease('latest'), seed: 1, nowEpochSeconds: NOW });
  catalog = await loadCatalog();
});

const book = (audit?: AuditResult): CaseBook =>
  buildCaseBook({
    plan,
    enApiOf: () => 2,
    catalog,
    ...(audit ? { audit: { file: 'audit.json', result: audit } } : {}),
  });

function outcome(id: string, status: MutantOutcome['status'], failedCells: string[]): MutantOutcome {
  const m = catalog.find((c) => c.id === id);
  if (!m) throw new Error(`no defect ${id} in the catalog`);
  return {
    id,
    class: m.class,
    where: m.where,
    story: m.story,
    expected: m.expected,
    status,
    namedLinks: status === 'caught' ? ['score'] : [],
    failedCells,
    namedExpected: status === 'caught',
    closest: [],
    durationMs: 1,
  };
}

describe('the standard cases', () => {
  it('lists every scenario of the library once, in library order', () => {
    expect(book().cases.map((c) => c.id)).toEqual(library);
  });

  it('gives a notified receiver all eight links to hold, and a negative one the links up to its break', () => {
    const cases = book().cases;
    const positive = cases.find((c) => c.id === 'regression-1.1.4-receiver');
    expect(positive?.links).toEqual([...CHAIN_LINKS]);
    expect(positive?.breaks).toEqual([]);
    expect(positive?.platforms).toEqual(['android', 'ios']);
    const wrong = cases.find((c) => c.id === 'number-wrong');
    expect(wrong?.breaks).toEqual(['upload']);
    expect(wrong?.links).toEqual(['contact', 'diagnosis', 'upload']);
    expect(wrong?.senders).toEqual([{ phone: 'a', uploads: ['rejected'] }]);
    const far = cases.find((c) => c.id === 'policy-20m-30min');
    expect(far?.breaks).toEqual(['contact', 'score']);
  });

  it('reads checked links from the expectation, never from the scenario name', () => {
    expect(linksChecked({ notified: false, brokenLinks: ['score', 'contact'] })).toEqual({
      mustHold: [],
      mustBreakAt: ['contact', 'score'],
    });
    expect(linksChecked({ notified: false, brokenLinks: ['download'] }).mustHold).toEqual([
      'contact',
      'diagnosis',
      'upload',
      'publish',
    ]);
    expect(linksChecked({ notified: 'any' })).toEqual({ mustHold: [], mustBreakAt: [] });
  });

  it('counts a statistical case with a lower bound on its rate as checking the whole chain', () => {
    const mixed = book().cases.find((c) => c.id === 'regression-1.1.4-mixed-receivers');
    expect(mixed?.statistics?.differential).toBe('platform');
    expect(mixed?.links).toEqual([...CHAIN_LINKS]);
  });

  it('claims no catch without an audit result', () => {
    const b = book();
    expect(b.audit).toBeUndefined();
    expect(b.cases.every((c) => c.catches === undefined)).toBe(true);
    expect(b.defects.every((d) => d.status === undefined && d.caughtBy.length === 0)).toBe(true);
  });

  it('credits a case with exactly the defects whose runs failed one of its cells', () => {
    const [caughtDefect, survivor] = catalog.filter((c) => c.expected !== 'none');
    const audit = {
      schemaVersion: 1,
      kind: 'audit',
      metadata: { release: 'latest', seed: 1, command: 'ichiren audit', ichirenVersion: '0.1.0', cells: 2 },
      baseline: { passed: 2, failed: 0, failedCells: [] },
      mutants: [
        outcome(caughtDefect.id, 'caught', ['regression-1.1.4-receiver[android,11]', 'number-wrong[ios]']),
        outcome(survivor.id, 'survived', []),
      ],
      score: { caught: 1, total: 2, rate: 0.5 },
      controlSurvived: true,
    } as unknown as AuditResult;
    const b = book(audit);
    const byId = new Map(b.cases.map((c) => [c.id, c]));
    expect(byId.get('regression-1.1.4-receiver')?.catches).toEqual([caughtDefect.id]);
    expect(byId.get('number-wrong')?.catches).toEqual([caughtDefect.id]);
    expect(byId.get('policy-1m-30min')?.catches).toEqual([]);
    const rows = new Map(b.defects.map((d) => [d.id, d]));
    expect(rows.get(caughtDefect.id)?.caughtBy).toEqual(['number-wrong', 'regression-1.1.4-receiver']);
    expect(rows.get(survivor.id)?.status).toBe('survived');
    // A defect the audit did not play has no status: "not in the audit", never "survived".
    expect(b.defects.filter((d) => d.status === undefined)).toHaveLength(catalog.length - 2);
    expect(b.audit).toMatchObject({ file: 'audit.json', caught: 1, total: 2 });
  });

  it('names a cell’s scenario whatever its matrix and trial', () => {
    expect(scenarioOfCell('regression-1.1.4-mixed-receivers[android]#3')).toBe(
      'regression-1.1.4-mixed-receivers',
    );
    expect(scenarioOfCell('boundary-v1-duration[15,false,ios,13.6]')).toBe('boundary-v1-duration');
  });

  it('marks a platform × EN path no case checks as a gap in the coverage table', () => {
    const v1Only = { ...plan, scenarios: plan.scenarios.filter((s) => s.id === 'regression-1.1.4-receiver') };
    const b = buildCaseBook({ plan: v1Only, enApiOf: () => 1, catalog });
    const column = (platform: string, enPath: string) =>
      b.columns.findIndex((c) => c.platform === platform && c.enPath === enPath);
    expect(b.coverage.score[column('android', 'v1')]).toEqual(['regression-1.1.4-receiver']);
    expect(b.coverage.score[column('android', 'v2')]).toEqual([]);
  });
});
